"""Rotating an organization's package-signing key: owners only, audited, new builds signed with the
new key, and the old public key still published so packages it signed keep verifying."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from securable import api
from securable.errors import InputError
from securable.web.audit.models import AuditEvent
from securable.web.orgs.models import Organization
from securable.web.products import keys
from securable.web.products.models import Release, SigningKey
from securable.web.products.releases import ApproveRelease, RequestRelease, approve_release, request_release
from securable.web.service import Forbidden

from . import test_web_releases as releases
from .conftest import actor
from .test_web_pages import assert_csp_clean

# Their fixtures: a product with its SBOM, builds without PDF, and jobs run on demand.
camera, jobs_done, _no_pdf = releases.camera, releases.jobs_done, releases._no_pdf

pytestmark = pytest.mark.django_db


def _built(org: Organization, product: str, asker: Any, signer: Any, jobs: Callable[[], Any]) -> Release:
    sbom = releases.SBOM.read_bytes()
    asked = request_release(actor(asker), org, RequestRelease(product, 1, sbom))
    with jobs():
        approve_release(actor(signer), org, ApproveRelease(asked.pk))
    done = Release.objects.for_org(org).get(pk=asked.pk)
    assert done.state == Release.State.BUILT, done.error
    return done


def _verifies(release: Release, pem: bytes, into: Path) -> bool:
    with zipfile.ZipFile(io.BytesIO(bytes(release.package))) as archive:
        archive.extractall(into)
    return api.verify(into, api.Document("key.pem", pem)).report.ok


def test_an_owner_rotates_the_key_and_old_packages_still_verify(
    *,
    org: Organization,
    owner: Any,
    camera: str,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
    jobs_done: Callable[[], Any],
    tmp_path: Path,
) -> None:
    reviewer, editor = member_of(org, "reviewer"), member_of(org, "editor")
    old = _built(org, camera, editor, reviewer, jobs_done)
    first = SigningKey.objects.for_org(org).get()
    assert old.key_fingerprint == first.fingerprint

    for who in (editor, reviewer):
        with pytest.raises(Forbidden):
            keys.rotate_key(actor(who), org, keys.RotateKey("not theirs to do"))
    with pytest.raises(InputError, match="why"):
        keys.rotate_key(actor(owner), org, keys.RotateKey("  "))
    client = client_of(owner)
    rotate = reverse("signing_key_rotate", kwargs={"org": org.slug})
    assert client.post(rotate, {"why": "yearly rotation"}).status_code == 302

    second = keys.current_key(org)
    assert second is not None
    assert second.fingerprint != first.fingerprint
    first.refresh_from_db()
    assert first.retired is not None
    event = json.loads(AuditEvent.objects.for_org(org).order_by("-seq")[0].payload)
    assert event["action"] == "key.rotate"
    assert (event["before"], event["after"]) == (
        {"fingerprint": first.fingerprint},
        {"fingerprint": second.fingerprint},
    )
    assert event["why"] == "yearly rotation"

    new = _built(org, camera, editor, reviewer, jobs_done)
    assert new.key_fingerprint == second.fingerprint

    def pem(key: SigningKey) -> bytes:
        path = reverse("signing_key_pem", kwargs={"org": org.slug, "fingerprint": key.fingerprint[7:]})
        got = client_of(editor).get(path)
        assert got.status_code == 200
        return bytes(got.content)

    current = client_of(editor).get(reverse("signing_key", kwargs={"org": org.slug})).content
    assert current == pem(second)
    assert _verifies(old, pem(first), tmp_path / "old")
    assert _verifies(new, pem(second), tmp_path / "new")
    assert not _verifies(old, pem(second), tmp_path / "old-with-new-key")

    page = client.get(reverse("releases", kwargs={"org": org.slug})).content.decode()
    assert_csp_clean(page)
    assert first.fingerprint in page
    assert second.fingerprint in page
    assert "retired" in page
    assert "Rotate the signing key" in page
    assert (
        "Rotate the signing key"
        not in client_of(reviewer).get(reverse("releases", kwargs={"org": org.slug})).content.decode()
    )


def test_a_key_address_that_is_no_fingerprint_is_not_found(
    org: Organization, owner: Any, client_of: Callable[[Any], Client]
) -> None:
    keys.rotate_key(actor(owner), org, keys.RotateKey("first key before any release"))
    client = client_of(owner)
    for bad in ("0" * 64, "xyz", "A" * 64, "0" * 65):
        path = reverse("signing_key_pem", kwargs={"org": org.slug, "fingerprint": bad})
        assert client.get(path).status_code == 404


def test_the_releases_page_lists_any_number_of_keys_in_one_query(
    org: Organization, owner: Any, client_of: Callable[[Any], Client], django_assert_max_num_queries: Any
) -> None:
    client = client_of(owner)
    client.get("/")  # the session's first request stamps it
    for n in range(5):
        keys.rotate_key(actor(owner), org, keys.RotateKey(f"rotation {n}"))
    # Session, user, organization, membership, switcher; releases, shares, the member, the keys.
    with django_assert_max_num_queries(9):
        page = client.get(reverse("releases", kwargs={"org": org.slug})).content.decode()
    assert page.count("signing-keys/") == 5
    assert page.count("<strong>current</strong>") == 1
