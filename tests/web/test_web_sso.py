"""Single sign-on: an OpenID Connect provider configured from SECURABLE_WEB_OIDC_* appears on the
sign-in page, and signing in with it redirects to the provider's authorization endpoint (found by
discovery from a provider stand-in on 127.0.0.1) with the client id, a state and PKCE."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from securable.errors import UsageError
from securable.web import config

from .test_web_pages import assert_csp_clean

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider() -> Iterator[str]:
    """An issuer that answers OIDC discovery only (no sign-in happens in these tests)."""

    class Discovery(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            assert isinstance(self.server, ThreadingHTTPServer)
            base = f"http://127.0.0.1:{self.server.server_port}"
            if self.path != "/.well-known/openid-configuration":
                self.send_error(404)
                return
            body = json.dumps(
                {
                    "issuer": base,
                    "authorization_endpoint": f"{base}/authorize",
                    "token_endpoint": f"{base}/token",
                    "userinfo_endpoint": f"{base}/userinfo",
                    "jwks_uri": f"{base}/jwks",
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Discovery)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_configured_provider_is_offered_and_its_redirect_is_built(provider: str, settings: Any) -> None:
    env = {
        "SECURABLE_WEB_OIDC_SERVER_URL": provider,
        "SECURABLE_WEB_OIDC_CLIENT_ID": "securable-workspace",
        "SECURABLE_WEB_OIDC_CLIENT_SECRET": "s3cret",
        "SECURABLE_WEB_OIDC_NAME": "Staff sign-on",
    }
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": config.oidc_apps(env)}}
    client = Client()
    page = client.get("/accounts/login/").content.decode()
    assert "Staff sign-on" in page
    assert "/accounts/oidc/sso/login/" in page
    assert_csp_clean(page)

    assert client.get("/accounts/oidc/sso/login/").status_code == 200  # a GET only asks to confirm
    response = client.post("/accounts/oidc/sso/login/")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{provider}/authorize"
    query = parse_qs(target.query)
    assert query["client_id"] == ["securable-workspace"]
    assert query["response_type"] == ["code"]
    assert "openid" in query["scope"][0].split()
    assert query["redirect_uri"] == ["http://testserver/accounts/oidc/sso/login/callback/"]
    assert query["state"][0]
    assert query["code_challenge_method"] == ["S256"]
    assert "s3cret" not in response["Location"]


def test_without_configuration_no_provider_is_offered() -> None:
    assert config.oidc_apps({}) == []
    assert "/accounts/oidc/" not in Client().get("/accounts/login/").content.decode()


def test_provider_configuration_is_checked() -> None:
    with pytest.raises(UsageError, match="https://"):
        config.oidc_apps(
            {"SECURABLE_WEB_OIDC_SERVER_URL": "http://login.example.com", "SECURABLE_WEB_OIDC_CLIENT_ID": "x"}
        )
    with pytest.raises(UsageError, match="CLIENT_ID"):
        config.oidc_apps({"SECURABLE_WEB_OIDC_SERVER_URL": "https://login.example.com"})
    (app,) = config.oidc_apps(
        {"SECURABLE_WEB_OIDC_SERVER_URL": "https://login.example.com", "SECURABLE_WEB_OIDC_CLIENT_ID": "x"}
    )
    assert (app["provider_id"], app["name"], app["settings"]["server_url"]) == (
        "sso",
        "Single sign-on",
        "https://login.example.com",
    )
