"""Configuration from environment variables: the database, secrets, hosts and HTTPS.

Kept apart from ``settings.py`` so the rules (and their errors) can be tested without Django set up.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from securable.errors import UsageError

# Idle and absolute session limits (OWASP ASVS 3.3): a session unused for the first, or older than
# the second, is signed out.
IDLE_SECONDS = 30 * 60
ABSOLUTE_SECONDS = 12 * 60 * 60


def data_dir(env: Mapping[str, str]) -> Path:
    """Where the SQLite database and the generated secret key live (SECURABLE_WEB_DATA)."""
    return Path(env.get("SECURABLE_WEB_DATA", "securable-workspace")).resolve()


def database(env: Mapping[str, str]) -> dict[str, Any]:
    """Django's DATABASES["default"] from SECURABLE_DB_* variables; SQLite unless told otherwise."""
    engine = env.get("SECURABLE_DB_ENGINE", "sqlite")
    if engine == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env.get("SECURABLE_DB_NAME") or str(data_dir(env) / "workspace.sqlite3"),
            "OPTIONS": {
                # One writer at a time, taken when a write transaction starts rather than at its
                # first write: two requests can then never deadlock upgrading read locks.
                "transaction_mode": "IMMEDIATE",
                # WAL lets readers go on while one request writes; Django turns foreign keys on itself.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "timeout": 20,
            },
        }
    if engine == "postgresql":
        if not env.get("SECURABLE_DB_NAME"):
            raise UsageError(
                "SECURABLE_DB_ENGINE=postgresql needs SECURABLE_DB_NAME",
                hint="set SECURABLE_DB_NAME, and SECURABLE_DB_HOST/PORT/USER/PASSWORD as needed",
            )
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": env["SECURABLE_DB_NAME"],
            "USER": env.get("SECURABLE_DB_USER", ""),
            "PASSWORD": env.get("SECURABLE_DB_PASSWORD", ""),
            "HOST": env.get("SECURABLE_DB_HOST", ""),  # a folder here means a Unix socket
            "PORT": env.get("SECURABLE_DB_PORT", ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise UsageError(
        f"SECURABLE_DB_ENGINE={engine!r} is not supported", hint="choose sqlite (the default) or postgresql"
    )


def secret_key(env: Mapping[str, str]) -> str:
    """SECURABLE_WEB_SECRET_KEY, or a random key kept (mode 0600) in the data folder for demos."""
    if env.get("SECURABLE_WEB_SECRET_KEY"):
        return env["SECURABLE_WEB_SECRET_KEY"]
    path = data_dir(env) / "secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    try:  # O_EXCL: two processes starting at once keep the same key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key + "\n")
    return key


def allowed_hosts(env: Mapping[str, str]) -> list[str]:
    raw = env.get("SECURABLE_WEB_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
    return [h.strip() for h in raw.split(",") if h.strip()]


def flag(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").lower() in ("1", "true", "yes", "on")


def oidc_apps(env: Mapping[str, str]) -> list[dict[str, Any]]:
    """Single sign-on through an OpenID Connect provider, when SECURABLE_WEB_OIDC_SERVER_URL names one.

    The provider is found by OIDC discovery (``SERVER_URL/.well-known/openid-configuration``); its
    button appears on the sign-in page. HTTPS only, but for a provider on this machine (tests, demos).
    """
    server = env.get("SECURABLE_WEB_OIDC_SERVER_URL", "").strip()
    if not server:
        return []
    from urllib.parse import urlsplit

    parts = urlsplit(server)
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise UsageError(
            f"SECURABLE_WEB_OIDC_SERVER_URL must be an https:// address, not {server!r}",
            hint="the issuer URL of your identity provider, e.g. https://login.example.com/realms/staff",
        )
    client_id = env.get("SECURABLE_WEB_OIDC_CLIENT_ID", "").strip()
    if not client_id:
        raise UsageError(
            "SECURABLE_WEB_OIDC_SERVER_URL needs SECURABLE_WEB_OIDC_CLIENT_ID",
            hint="and SECURABLE_WEB_OIDC_CLIENT_SECRET: the client registered at the provider",
        )
    return [
        {
            "provider_id": env.get("SECURABLE_WEB_OIDC_ID", "sso").strip() or "sso",
            "name": env.get("SECURABLE_WEB_OIDC_NAME", "Single sign-on").strip() or "Single sign-on",
            "client_id": client_id,
            "secret": env.get("SECURABLE_WEB_OIDC_CLIENT_SECRET", ""),
            "settings": {"server_url": server, "oauth_pkce_enabled": True},
        }
    ]


def replica(env: Mapping[str, str], primary: dict[str, Any]) -> dict[str, Any] | None:
    """DATABASES["replica"]: the primary's settings with SECURABLE_DB_REPLICA_HOST (and _PORT)."""
    host = env.get("SECURABLE_DB_REPLICA_HOST", "").strip()
    if not host:
        return None
    if primary["ENGINE"] != "django.db.backends.postgresql":
        raise UsageError(
            "SECURABLE_DB_REPLICA_HOST needs SECURABLE_DB_ENGINE=postgresql",
            hint="a read replica is a PostgreSQL standby; SQLite has none",
        )
    # Tests make no database for it: it reads the primary's test database.
    return {
        **primary,
        "HOST": host,
        "PORT": env.get("SECURABLE_DB_REPLICA_PORT", primary["PORT"]),
        "TEST": {"MIRROR": "default"},
    }
