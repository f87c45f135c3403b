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

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from allauth.account.decorators import reauthentication_required
from allauth.core.exceptions import ReauthenticationRequired
from django.http import HttpRequest, HttpResponse

V = TypeVar("V", bound=Callable[..., Any])


def sensitive(when: Callable[[HttpRequest], bool] | None = None) -> Callable[[V], V]:
    """Require a recent re-authentication for the view's POSTs (those where ``when`` holds).

    GETs pass: they only show the form, and a replayed POST needs a page to come back to.
    """

    def wrap(view: V) -> V:
        guarded = reauthentication_required(view, allow_get=True, enabled=when)

        @functools.wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                response: HttpResponse = guarded(request, *args, **kwargs)
            except ReauthenticationRequired:
                if request.headers.get("HX-Request") != "true":
                    raise  # allauth's middleware keeps the POST and redirects
                return _htmx_redirect(request)
            return response

        return cast(V, inner)

    return wrap


def _htmx_redirect(request: HttpRequest) -> HttpResponse:
    """htmx would follow a redirect inside its request and swap the password form into a fragment of
    the page; HX-Redirect makes the browser itself go there. The POST is kept the way allauth's
    middleware keeps it, so it is replayed after the password all the same."""
    from allauth.account.adapter import get_adapter
    from allauth.account.internal.flows.reauthentication import suspend_request
    from django.core.exceptions import PermissionDenied

    methods = get_adapter().get_reauthentication_methods(request.user)
    if not methods:
        raise PermissionDenied  # as allauth's middleware does: no password and no second factor
    response = HttpResponse(status=204)
    response["HX-Redirect"] = suspend_request(request, methods[0]["url"])["Location"]
    return response
