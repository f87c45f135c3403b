"""The workspace's infrastructure: migrations, database settings, lazy import from the CLI."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection

from securable.errors import UsageError
from securable.web import config


@pytest.mark.django_db
def test_migrations_match_the_models() -> None:
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # SystemExit(1) when one is missing
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_sqlite_has_foreign_keys_and_immediate_transactions() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_sqlite_file_database_is_in_wal_mode(tmp_path: os.PathLike[str]) -> None:
    import sqlite3

    settings = config.database({"SECURABLE_WEB_DATA": str(tmp_path)})
    assert settings["ENGINE"] == "django.db.backends.sqlite3"
    db = sqlite3.connect(settings["NAME"])
    db.executescript(settings["OPTIONS"]["init_command"])
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_postgresql_settings_from_the_environment() -> None:
    settings = config.database(
        {"SECURABLE_DB_ENGINE": "postgresql", "SECURABLE_DB_NAME": "ws", "SECURABLE_DB_HOST": "/run/pg"}
    )
    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert (settings["NAME"], settings["HOST"]) == ("ws", "/run/pg")
    with pytest.raises(UsageError, match="SECURABLE_DB_NAME"):
        config.database({"SECURABLE_DB_ENGINE": "postgresql"})
    with pytest.raises(UsageError, match="not supported"):
        config.database({"SECURABLE_DB_ENGINE": "oracle"})


def test_demo_secret_key_is_made_once_and_private(tmp_path: os.PathLike[str]) -> None:
    env = {"SECURABLE_WEB_DATA": str(tmp_path)}
    first = config.secret_key(env)
    assert len(first) >= 50
    assert config.secret_key(env) == first
    assert os.stat(os.path.join(tmp_path, "secret_key")).st_mode & 0o777 == 0o600
    assert config.secret_key({**env, "SECURABLE_WEB_SECRET_KEY": "given"}) == "given"


def _settings_of(env: dict[str, str], *names: str) -> list[str]:
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='securable.web.settings';"
        "from django.conf import settings;"
        f"print('|'.join(str(getattr(settings, n, None)) for n in {list(names)!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "SECURABLE_WEB_SECRET_KEY": "s" * 60, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip().split("|")


def test_https_uses_host_prefixed_secure_cookies() -> None:
    names = ("SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE")
    assert _settings_of({"SECURABLE_WEB_HTTPS": "1"}, *names) == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
    ]
    plain = _settings_of({"SECURABLE_WEB_HTTPS": ""}, *names)
    assert plain[:2] == ["sessionid", "csrftoken"]


def test_cli_start_does_not_import_django() -> None:
    code = (
        "import sys, securable.cli as c; c.main(['--help']); c.main(['audit', '--help']);"
        "bad = [m for m in sys.modules if m == 'django' or m.startswith(('django.', 'securable.web'))];"
        "sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.django_db
def test_the_tests_run_on_the_configured_database() -> None:
    """tools/pgtest.sh sets SECURABLE_DB_ENGINE=postgresql: then these tests really run on PostgreSQL."""
    expected = "postgresql" if os.environ.get("SECURABLE_DB_ENGINE") == "postgresql" else "sqlite"
    assert connection.vendor == expected
