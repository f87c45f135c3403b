"""Second factor (allauth MFA): a verified address activates TOTP; then signing in needs the code."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
EMAIL = "lead@maker.example"


def code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_without_a_verified_address_no_second_factor_can_be_added() -> None:
    """Without a mail server addresses stay unverified, so the real owner cannot be locked out."""
    client = Client()
    client.post("/accounts/signup/", {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD})
    assert client.get("/accounts/2fa/totp/activate/")["Location"] == "/accounts/2fa/"


def test_totp_is_activated_and_then_required_at_sign_in(settings: Any) -> None:
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"  # as with SECURABLE_WEB_SMTP_HOST set
    client = Client()
    client.post("/accounts/signup/", {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD})
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", message.body)
    assert link is not None
    assert client.post(link.group(1)).status_code == 302  # the address is verified

    # Adding a factor is a sensitive action: allauth asks for the password again first.
    asked = client.get("/accounts/2fa/totp/activate/")
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    assert client.post(asked["Location"], {"password": PASSWORD}).status_code == 302
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    assert b"data:image/svg+xml" in page.content  # the QR code is an image: no script
    secret = client.session[SECRET_SESSION_KEY]
    assert client.post("/accounts/2fa/totp/activate/", {"code": "000000"}).status_code == 200  # refused
    assert client.post("/accounts/2fa/totp/activate/", {"code": code(secret)}).status_code == 302

    signin = Client()
    step = signin.post("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert step["Location"] == "/accounts/2fa/authenticate/"
    assert signin.get("/").status_code == 302  # not signed in with the password alone
    assert signin.post("/accounts/2fa/authenticate/", {"code": "000000"}).status_code == 200
    assert signin.post("/accounts/2fa/authenticate/", {"code": code(secret)}).status_code == 302
    assert signin.get("/").status_code == 200
