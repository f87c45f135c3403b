"""The service layer: permissions, one audit event per change in the same transaction, scoping."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.db import IntegrityError

from securable.errors import InputError, NotFoundError
from securable.web.audit.models import AuditEvent
from securable.web.orgs import services
from securable.web.orgs.models import Membership, Organization
from securable.web.orgs.roles import PERMISSIONS, ROLES, allows
from securable.web.products.models import Product
from securable.web.products.services import ImportProduct, import_product
from securable.web.scoping import UnscopedQuery
from securable.web.service import Conflict, Forbidden

from .conftest import CAMERA, actor

pytestmark = pytest.mark.django_db


def events_of(org: Organization) -> list[dict[str, Any]]:
    rows = AuditEvent.objects.for_org(org).order_by("seq").values_list("payload", flat=True)
    return [json.loads(p) for p in rows]


def test_role_table_is_consistent() -> None:
    assert set(ROLES) == {"owner", "editor", "reviewer", "auditor"}
    assert ROLES["owner"] == frozenset(PERMISSIONS)
    for role, granted in ROLES.items():
        assert granted <= set(PERMISSIONS), role
    assert not any(p.endswith((".edit", ".manage", ".sign", ".approve")) for p in ROLES["auditor"])
    with pytest.raises(KeyError):
        allows("owner", "product.delete-everything")


def test_founding_makes_an_owner_and_starts_the_chain(org: Organization, owner: Any) -> None:
    assert Membership.objects.get(organization=org, user=owner).role == "owner"
    (event,) = events_of(org)
    assert event["action"] == "organization.create"
    assert event["credential"] == "session"
    assert event["request_id"] == "test-request"
    # Personal data stays out of the chain: the actor is a stable id, never a name or address.
    assert owner.email not in json.dumps(event)
    assert event["actor"] == str(owner.audit_person.public_id)


def test_members_are_managed_by_owners_only(
    org: Organization, owner: Any, member_of: Callable[[Organization, str], Any]
) -> None:
    editor = member_of(org, "editor")
    with pytest.raises(Forbidden):
        services.add_member(actor(editor), org, services.AddMember(owner.email, "auditor"))
    person = str(editor.audit_person.public_id)
    services.change_role(actor(owner), org, services.ChangeRole(person, "reviewer", why="moved to QA"))
    assert Membership.objects.get(organization=org, user=editor).role == "reviewer"
    last = events_of(org)[-1]
    assert (last["action"], last["before"], last["after"], last["why"]) == (
        "member.role",
        {"role": "editor"},
        {"role": "reviewer"},
        "moved to QA",
    )
    services.remove_member(actor(owner), org, services.RemoveMember(person))
    assert not Membership.objects.filter(organization=org, user=editor).exists()
    assert [e["action"] for e in events_of(org)] == [
        "organization.create",
        "member.add",
        "member.role",
        "member.remove",
    ]


def test_the_last_owner_stays(org: Organization, owner: Any) -> None:
    me = str(owner.audit_person.public_id)
    with pytest.raises(Conflict, match="at least one owner"):
        services.change_role(actor(owner), org, services.ChangeRole(me, "editor"))
    with pytest.raises(Conflict):
        services.remove_member(actor(owner), org, services.RemoveMember(me))
    assert len(events_of(org)) == 1


def test_outsiders_are_told_not_found(org: Organization, make_user: Callable[[str], Any]) -> None:
    stranger = make_user("stranger@elsewhere.example")
    with pytest.raises(NotFoundError, match="no such organization"):
        services.add_member(actor(stranger), org, services.AddMember(stranger.email, "owner"))
    with pytest.raises(NotFoundError):
        import_product(actor(stranger), org, ImportProduct(CAMERA.read_bytes()))


def test_bad_commands_change_nothing(org: Organization, owner: Any) -> None:
    with pytest.raises(InputError, match="unknown role"):
        services.add_member(actor(owner), org, services.AddMember(owner.email, "admin"))
    with pytest.raises(NotFoundError, match="no account"):
        services.add_member(actor(owner), org, services.AddMember("nobody@x.example", "editor"))
    with pytest.raises(Conflict, match="taken"):
        services.create_organization(actor(owner), services.CreateOrganization("maker", "Again", "maker"))
    assert len(events_of(org)) == 1


def test_a_change_and_its_event_commit_together(org: Organization, owner: Any) -> None:
    """If writing the event fails, the change is rolled back with it (one transaction)."""
    raw = CAMERA.read_bytes()
    with (
        mock.patch("securable.web.audit.models.AuditEvent.save", side_effect=IntegrityError("boom")),
        pytest.raises(IntegrityError),
    ):
        import_product(actor(owner), org, ImportProduct(raw))
    assert not Product.objects.for_org(org).exists()
    assert len(events_of(org)) == 1


def test_every_import_is_a_new_version_and_an_event(org: Organization, owner: Any) -> None:
    raw = CAMERA.read_bytes()
    first = import_product(actor(owner), org, ImportProduct(raw, why="first"))
    second = import_product(actor(owner), org, ImportProduct(raw.replace(b'"2.0"', b'"2.1"')))
    assert (first.number, second.number, second.label) == (1, 2, "2.1")
    assert first.product_id == second.product_id
    actions = [e["action"] for e in events_of(org)]
    assert actions == ["organization.create", "product.create", "product.version"]
    assert bytes(Product.objects.for_org(org).get().versions.get(number=1).content) == raw


def test_unscoped_queries_are_impossible(org: Organization) -> None:
    with pytest.raises(UnscopedQuery):
        list(Product.objects.all())
    with pytest.raises(UnscopedQuery):
        AuditEvent.objects.filter(seq=1).exists()
    assert AuditEvent.objects.for_org(org).count() == 1
