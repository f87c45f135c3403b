"""Reads from a PostgreSQL read replica, when one is configured (SECURABLE_DB_REPLICA_HOST).

Only what cannot go wrong on a lagging copy goes there: reads of GET and HEAD requests outside any
transaction. Everything else reads the primary: a service function's reads inside its transaction
(the audit chain's head, the membership it authorizes), every request that changes something,
a session's requests for a few seconds after it changed something (so a redirect after a form shows
the change), and accounts, sessions and second factors (signing in must see a just-made session).
"""

from __future__ import annotations

import contextvars
import time
from typing import Any

from django.db import connections

from securable.web.middleware import Handler

REPLICA = "replica"
PIN_SECONDS = 10  # longer than the replica's lag is expected ever to be
_PRIMARY_ONLY = frozenset({"sessions", "auth", "account", "mfa", "socialaccount", "contenttypes"})
replica_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_allowed", default=False)


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        if (
            not replica_allowed.get()
            or model._meta.app_label in _PRIMARY_ONLY
            or connections["default"].in_atomic_block
        ):
            return "default"
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


class ReplicaReadsMiddleware:
    """Lets a request read from the replica when it is safe (see the module's docstring)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        safe = request.method in ("GET", "HEAD")
        session = getattr(request, "session", None)
        pinned = session is not None and session.get("securable_primary_until", 0) > time.time()
        token = replica_allowed.set(safe and not pinned)
        try:
            response = self.get_response(request)
        finally:
            replica_allowed.reset(token)
        if not safe and session is not None and request.user.is_authenticated:
            session["securable_primary_until"] = int(time.time()) + PIN_SECONDS
        return response
