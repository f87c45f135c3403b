"""Releases: request and approval by two different people (separation of duties, owners included),
the build as a job (inline on SQLite; the procrastinate queue with a worker on PostgreSQL), signing
with the organization's sealed key, download, and public share links."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from securable import api
from securable.errors import InputError
from securable.web import jobs
from securable.web.audit.models import AuditEvent
from securable.web.orgs.models import Organization
from securable.web.products import keys
from securable.web.products.models import Release, ShareLink, SigningKey
from securable.web.products.releases import (
    ApproveRelease,
    CreateShare,
    RequestRelease,
    approve_release,
    create_share,
    request_release,
)
from securable.web.products.services import ImportProduct, import_product
from securable.web.service import Conflict, Forbidden

from .conftest import CAMERA, actor, signed_in
from .test_web_pages import assert_csp_clean

SBOM = CAMERA.parent / "sbom.cdx.json"


@pytest.fixture(autouse=True)
def _no_pdf(settings: Any) -> None:
    settings.PACKAGE_PDF = False  # the PDF renderings are tested with the core; builds stay quick


@pytest.fixture
def jobs_done(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """Around a change that queues jobs: afterwards they have run, inline (SQLite) or by a worker
    (PostgreSQL, procrastinate)."""

    @contextmanager
    def done() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True):
            yield
        if jobs.uses_queue():
            # A worker has its own connection and cannot see this test's open transaction; the
            # jobs queued in it are run here (the worker itself: test_the_queue_path_with_a_worker).
            with connection.cursor() as cursor:
                cursor.execute("SELECT args FROM procrastinate_jobs WHERE status = 'todo' ORDER BY id")
                queued = [row[0] for row in cursor.fetchall()]
            for args in queued:  # jsonb, which Django's psycopg setup returns as text
                found = json.loads(args) if isinstance(args, str) else args
                jobs.run(found["job"], found["args"])

    return done


def run_worker() -> None:
    """What `manage.py procrastinate worker` runs, until the queue is empty."""
    import psycopg_pool
    from procrastinate import PsycopgConnector
    from procrastinate.contrib.django import app
    from procrastinate.contrib.django.utils import connector_params

    # As the command does, a connector with its own connection (Django's is not for workers); no
    # pool, so no connection outlives the worker and the test database can be dropped.
    connector = PsycopgConnector(
        kwargs=connector_params("default"), pool_factory=psycopg_pool.AsyncNullConnectionPool
    )
    with app.replace_connector(connector) as worker:
        worker.run_worker(wait=False, install_signal_handlers=False, listen_notify=False, queues=[jobs.QUEUE])


@pytest.fixture
def camera(org: Organization, owner: Any) -> str:
    import_product(actor(owner), org, ImportProduct(CAMERA.read_bytes(), slug="cam"))
    return "cam"


def _request(client: Client, org: Organization, *, sbom: bool = True) -> Any:
    data: dict[str, Any] = {"product": "cam", "version": "1", "why": "2.0 ships"}
    if sbom:
        data["sbom"] = SimpleUploadedFile("sbom.cdx.json", SBOM.read_bytes())
    return client.post(reverse("release_request", kwargs={"org": org.slug}), data)


def _approve(client: Client, org: Organization, release: Release) -> Any:
    return client.post(reverse("release_approve", kwargs={"org": org.slug, "release": release.pk}))


def _only(org: Organization) -> Release:
    found: Release = Release.objects.for_org(org).get()
    return found


def _actions(org: Organization) -> list[str]:
    return [json.loads(e.payload)["action"] for e in AuditEvent.objects.for_org(org).order_by("seq")]


@pytest.mark.django_db
def test_request_approve_build_download_and_verify(
    *,
    org: Organization,
    camera: str,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
    jobs_done: Callable[[], Any],
    tmp_path: Path,
) -> None:
    writer = client_of(member_of(org, "editor"))
    signer = client_of(member_of(org, "reviewer"))
    assert _request(writer, org).status_code == 302
    release = _only(org)
    assert release.state == "requested"
    with jobs_done():
        assert _approve(signer, org, release).status_code == 302
    release.refresh_from_db()
    assert release.state == "built", release.error
    page = signer.get(reverse("releases", kwargs={"org": org.slug})).content.decode()
    assert_csp_clean(page)
    assert "Download package (zip)" in page
    key = SigningKey.objects.for_org(org).get()
    assert key.fingerprint in page
    # The zip is the signed package: it verifies with the public key the page offers.
    got = writer.get(reverse("release_zip", kwargs={"org": org.slug, "release": release.pk}))
    assert got["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(got.content)) as archive:
        archive.extractall(tmp_path / "pkg")
        names = archive.namelist()
    assert "manifest.json" in names
    assert not any("private" in n or n.endswith(".pem") for n in names)
    pem = writer.get(reverse("signing_key", kwargs={"org": org.slug})).content
    report = api.verify(tmp_path / "pkg", api.Document("key.pem", pem)).report
    assert report.ok, report.problems
    assert report.key_fingerprint == key.fingerprint
    # The private key is never stored or shown in clear.
    assert b"PRIVATE KEY" not in bytes(key.sealed_private)
    assert "PRIVATE KEY" not in page
    assert _actions(org)[-4:] == ["release.request", "key.create", "release.approve", "release.built"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["owner", "reviewer"])
def test_the_author_of_a_release_never_approves_it(
    org: Organization, camera: str, member_of: Callable[[Organization, str], Any], role: str
) -> None:
    author = member_of(org, role)
    # A reviewer cannot request (no product.edit), so their "own" request comes from the service
    # with an owner's rights checked at request time; the approval is what is tested.
    requester = author if role == "owner" else member_of(org, "owner")
    release = request_release(actor(requester), org, RequestRelease("cam", 1, SBOM.read_bytes()))
    with pytest.raises(Forbidden, match="you requested this release"):
        approve_release(actor(requester), org, ApproveRelease(release.pk))
    release.refresh_from_db()
    assert release.state == "requested"
    assert release.approved_by is None
    if role == "owner":  # and through the page: no button, and a 403 when posted anyway
        client = signed_in(author)  # re-authenticated: the 403 comes from the rule, not a prompt
        page = client.get(reverse("releases", kwargs={"org": org.slug})).content.decode()
        assert "Approve and sign" not in page
        assert "another member approves it" in page
        assert _approve(client, org, release).status_code == 403
        release.refresh_from_db()
        assert release.state == "requested"


@pytest.mark.django_db
def test_a_build_that_fails_says_why(
    org: Organization,
    camera: str,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    jobs_done: Callable[[], Any],
) -> None:
    release = request_release(actor(owner), org, RequestRelease("cam", 1, None))  # no SBOM given
    with jobs_done():
        approve_release(actor(member_of(org, "reviewer")), org, ApproveRelease(release.pk))
    release.refresh_from_db()
    assert release.state == "failed"
    assert "sbom.cdx.json" in release.error
    assert _actions(org)[-1] == "release.failed"


@pytest.fixture
def built(
    org: Organization,
    camera: str,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    jobs_done: Callable[[], Any],
) -> Release:
    release = request_release(actor(owner), org, RequestRelease("cam", 1, SBOM.read_bytes()))
    with jobs_done():
        approve_release(actor(member_of(org, "reviewer")), org, ApproveRelease(release.pk))
    release.refresh_from_db()
    assert release.state == "built", release.error
    return release


@pytest.mark.django_db
def test_share_link_is_public_read_only_revocable_and_expiring(
    org: Organization, owner: Any, built: Release, client_of: Callable[[Any], Client]
) -> None:
    lead = client_of(owner)
    made = lead.post(reverse("share_create", kwargs={"org": org.slug, "release": built.pk}), {"days": "7"})
    assert made.status_code == 302
    page = lead.get(reverse("releases", kwargs={"org": org.slug}))
    url = re.search(r"http://testserver(/share/sec_share_[A-Za-z0-9_-]+/)", page.content.decode())
    assert url is not None
    link = url.group(1)
    again = lead.get(reverse("releases", kwargs={"org": org.slug})).content.decode()
    assert link not in again  # shown once
    stored = ShareLink.objects.for_org(org).get()
    assert link.split("/")[2] not in stored.token_hash  # only the hash is kept

    public = Client()  # nobody signed in
    index = public.get(link)
    assert index.status_code == 200
    assert b"Acme HomeCam 2" in index.content
    assert index["Content-Security-Policy"].startswith("sandbox;")
    assert public.get(link + "machine/product.json")["Content-Type"] == "application/json"
    assert public.get(link + "../../o/maker/releases/").status_code == 404
    assert public.get(link + "nothing.html").status_code == 404
    zipped = public.get(link + "package.zip")
    assert zipped.content == bytes(built.package)
    assert public.post(link).status_code == 405  # read-only
    assert "share.download" in _actions(org)

    stored.expires = timezone.now() - timedelta(seconds=1)
    stored.save(update_fields=["expires"])
    assert public.get(link).status_code == 404
    stored.expires = timezone.now() + timedelta(days=1)
    stored.save(update_fields=["expires"])
    assert public.get(link).status_code == 200
    revoked = lead.post(reverse("share_revoke", kwargs={"org": org.slug, "share": stored.pk}))
    assert revoked.status_code == 302
    assert public.get(link).status_code == 404
    assert public.get(link + "package.zip").status_code == 404
    assert public.get("/share/sec_share_" + "A" * 43 + "/").status_code == 404
    assert {"share.create", "share.revoke"} <= set(_actions(org))


@pytest.mark.django_db
def test_share_links_need_a_built_release_and_sane_days(org: Organization, camera: str, owner: Any) -> None:
    release = request_release(actor(owner), org, RequestRelease("cam", 1, SBOM.read_bytes()))
    with pytest.raises(Conflict, match="only a built release"):
        create_share(actor(owner), org, CreateShare(release.pk, 7))
    with pytest.raises(InputError, match="1 to 90 days"):
        create_share(actor(owner), org, CreateShare(release.pk, 0))


@pytest.mark.django_db
def test_a_sealed_key_opens_only_for_its_organization(
    org: Organization, owner: Any, make_user: Callable[[str], Any], tmp_path: Path
) -> None:
    from securable.web.orgs.services import CreateOrganization, create_organization

    other = create_organization(
        actor(make_user("x@other.example")), CreateOrganization("other", "O", "maker")
    )
    key = keys.make_key(org)
    keys.write_private(key, org, tmp_path / "ok.pem")
    assert (tmp_path / "ok.pem").read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert (tmp_path / "ok.pem").stat().st_mode & 0o077 == 0
    with pytest.raises(InvalidTag):
        keys.write_private(key, other, tmp_path / "no.pem")


@pytest.mark.django_db
def test_releases_page_within_a_query_budget(
    org: Organization,
    built: Release,
    owner: Any,
    client_of: Callable[[Any], Client],
    django_assert_max_num_queries: Any,
) -> None:
    client = client_of(owner)
    for _ in range(3):
        client.post(reverse("share_create", kwargs={"org": org.slug, "release": built.pk}), {"days": "3"})
        request_release(actor(owner), org, RequestRelease("cam", 1, None))
    # 9 to read, plus 3 to drop the share link shown once from the session.
    with django_assert_max_num_queries(12):
        page = client.get(reverse("releases", kwargs={"org": org.slug}))
    assert page.content.decode().count("Revoke") == 3


def test_jobs_are_known_by_name() -> None:
    with pytest.raises(KeyError):
        jobs.enqueue("no.such.job")


@pytest.mark.django_db(transaction=True)
def test_the_queue_path_with_a_worker(
    org: Organization, camera: str, owner: Any, member_of: Callable[[Organization, str], Any]
) -> None:
    """On PostgreSQL the build goes through procrastinate: nothing runs until a worker does."""
    if connection.vendor != "postgresql":
        pytest.skip("the procrastinate queue needs PostgreSQL (make web-pg)")
    assert jobs.uses_queue()
    release = request_release(actor(owner), org, RequestRelease("cam", 1, SBOM.read_bytes()))
    approve_release(actor(member_of(org, "reviewer")), org, ApproveRelease(release.pk))
    release.refresh_from_db()
    assert release.state == "building"  # queued, not run
    run_worker()
    release.refresh_from_db()
    assert release.state == "built", release.error


@pytest.mark.django_db
def test_the_inline_path_runs_after_commit(
    org: Organization,
    camera: str,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    if jobs.uses_queue():
        pytest.skip("SQLite runs jobs inline")
    release = request_release(actor(owner), org, RequestRelease("cam", 1, SBOM.read_bytes()))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        approve_release(actor(member_of(org, "reviewer")), org, ApproveRelease(release.pk))
    release.refresh_from_db()
    assert release.state == "building"  # nothing ran inside the transaction
    assert len(callbacks) == 1
    callbacks[0]()
    release.refresh_from_db()
    assert release.state == "built"
