"""Sensitive actions ask for the password (or the second factor) again when the last
re-authentication is older than ACCOUNT_REAUTHENTICATION_TIMEOUT.

This is allauth's own mechanism: the view raises ``ReauthenticationRequired``, allauth's middleware
keeps the POST in the session and redirects to /accounts/reauthenticate/, and after the password or
code is given allauth replays the kept POST through the same view (which authorizes it again). Only
a re-authentication counts, not the sign-in itself: a session left open at someone's desk would
otherwise carry its sign-in as proof for as long as it lives.

Put it *inside* ``org_page``: an outsider still gets 404 and a role without the permission 403,
before anyone is asked for a password.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from allauth.account.decorators import reauthentication_required
from django.http import HttpRequest

V = TypeVar("V", bound=Callable[..., Any])


def sensitive(when: Callable[[HttpRequest], bool] | None = None) -> Callable[[V], V]:
    """Require a recent re-authentication for the view's POSTs (those where ``when`` holds).

    GETs pass: they only show the form, and a replayed POST needs a page to come back to.
    """

    def wrap(view: V) -> V:
        return cast(V, reauthentication_required(view, allow_get=True, enabled=when))

    return wrap
