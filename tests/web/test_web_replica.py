"""The read replica: configured from the environment, and read only when a lagging copy is harmless."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from securable.errors import UsageError
from securable.web import config, routing
from securable.web.orgs.models import Membership
from securable.web.products.models import Product

from .test_web_infra import _settings_of

PG = {"SECURABLE_DB_ENGINE": "postgresql", "SECURABLE_DB_NAME": "ws", "SECURABLE_DB_HOST": "/run/pg"}


def test_replica_settings_from_the_environment() -> None:
    primary = config.database(PG)
    assert config.replica(PG, primary) is None
    replica = config.replica({**PG, "SECURABLE_DB_REPLICA_HOST": "standby.internal"}, primary)
    assert replica is not None
    assert (replica["HOST"], replica["NAME"], replica["TEST"]) == (
        "standby.internal",
        "ws",
        {"MIRROR": "default"},
    )
    with pytest.raises(UsageError, match="postgresql"):
        config.replica({"SECURABLE_DB_REPLICA_HOST": "x"}, config.database({}))


def test_the_router_and_its_middleware_are_installed_only_with_a_replica() -> None:
    names = ("DATABASE_ROUTERS", "MIDDLEWARE")
    routers, middleware = _settings_of({**PG, "SECURABLE_DB_REPLICA_HOST": "standby.internal"}, *names)
    assert routers == "['securable.web.routing.ReplicaRouter']"
    assert middleware.index("ReplicaReadsMiddleware") > middleware.index("AuthenticationMiddleware")
    routers, middleware = _settings_of(PG, *names)
    assert routers == "[]"
    assert "Replica" not in middleware


@pytest.mark.django_db(transaction=True)  # no test transaction around it: the router looks for one
def test_reads_go_to_the_replica_only_outside_transactions_and_never_for_accounts() -> None:
    router = routing.ReplicaRouter()
    assert router.db_for_read(Product) == "default"  # not inside a request that allows it
    token = routing.replica_allowed.set(True)
    try:
        assert router.db_for_read(Product) == "replica"
        assert router.db_for_read(Membership) == "replica"
        assert router.db_for_read(Session) == "default"
        with transaction.atomic():  # a service function's reads: the audit chain's head, the membership
            assert router.db_for_read(Product) == "default"
        assert router.db_for_write(Product) == "default"
    finally:
        routing.replica_allowed.reset(token)
    assert not router.allow_migrate("replica", "products")


@pytest.mark.django_db
def test_a_session_reads_the_primary_for_a_while_after_a_change(make_user: Any) -> None:
    seen: list[bool] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(routing.replica_allowed.get())
        return HttpResponse()

    middleware = routing.ReplicaReadsMiddleware(view)
    user = make_user("lead@maker.example")
    session = SessionStore()

    def send(method: str) -> None:
        request = getattr(RequestFactory(), method)("/")
        request.session = session
        request.user = user
        middleware(request)

    send("get")
    send("post")
    send("get")
    assert seen == [True, False, False]
    session["securable_primary_until"] = 0  # the pin has run out
    send("head")
    assert seen[-1] is True
