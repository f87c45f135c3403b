"""Security keys (WebAuthn) as a second factor, in Debian's Chromium with its virtual authenticator
(DevTools protocol): add a key, then sign in with the password and the key. allauth's scripts are
static files, so this runs with the strict Content-Security-Policy in force."""

from __future__ import annotations

from typing import Any

import pytest

from chromium import ARGS, CHROMIUM

from .conftest import PASSWORD

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (make unit installs it)"),
]


def test_add_a_security_key_then_sign_in_with_it(
    live_server: Any, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # Playwright's loop runs in this thread
    user = make_user("lead@maker.example")
    # allauth lets only a verified address add a factor (with a mail server it is verified by a link).
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    base = live_server.url
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, timeout=60_000)
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            devtools = page.context.new_cdp_session(page)
            devtools.send("WebAuthn.enable")
            key = devtools.send(
                "WebAuthn.addVirtualAuthenticator",
                {
                    "options": {
                        "protocol": "ctap2",
                        "transport": "usb",
                        "hasResidentKey": True,
                        "hasUserVerification": True,
                        "isUserVerified": True,
                    }
                },
            )

            def sign_in() -> None:
                page.goto(f"{base}/accounts/login/")
                page.fill("input[name=login]", user.email)
                page.fill("input[name=password]", PASSWORD)
                page.click("main form button[type=submit]")

            sign_in()
            page.wait_for_url(f"{base}/")
            page.goto(f"{base}/accounts/2fa/webauthn/add/")
            # Adding a factor is a sensitive action: allauth asks for the password again first.
            assert "/accounts/reauthenticate/" in page.url
            page.fill("input[name=password]", PASSWORD)
            page.click("main form button[type=submit]")
            page.wait_for_url(f"{base}/accounts/2fa/webauthn/add/")
            page.fill("input[name=name]", "virtual key")
            page.click("#mfa_webauthn_add")
            page.wait_for_url(lambda url: "/webauthn/add/" not in url)
            credentials = devtools.send(
                "WebAuthn.getCredentials", {"authenticatorId": key["authenticatorId"]}
            )
            assert len(credentials["credentials"]) == 1

            page.context.clear_cookies()
            sign_in()
            page.wait_for_url(f"{base}/accounts/2fa/authenticate/")  # the password alone is not enough
            page.click("#mfa_webauthn_authenticate")
            page.wait_for_url(f"{base}/")
            assert "Your organizations" in page.locator("h1").inner_text()
        finally:
            browser.close()
    assert problems == []
    # Read after the browser closed: an ORM query inside Playwright's event loop would open a
    # connection of its own that nothing closes.
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).count() == 1
