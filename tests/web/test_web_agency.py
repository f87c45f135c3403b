"""The agency's side: requirement sets (derive, tailor, approve by a second person, versions,
export), vendor packages (safe unpacking, verification on arrival) and stored evaluations."""

from __future__ import annotations

import io
import json
import stat
import struct
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from securable import api
from securable.errors import InputError, NotFoundError, UsageError
from securable.web.agency import archive
from securable.web.agency.models import Evaluation, RequirementSet, RequirementVersion, VendorPackage
from securable.web.agency.services import (
    ApproveRequirements,
    CreateRequirementSet,
    RunEvaluation,
    TailorRequirements,
    UploadPackage,
    approve_requirement_set,
    create_requirement_set,
    run_evaluation,
    tailor_requirement_set,
    upload_package,
)
from securable.web.audit.models import AuditEvent
from securable.web.orgs.models import Organization
from securable.web.orgs.services import CreateOrganization, create_organization
from securable.web.service import Conflict, Forbidden

from .agency_world import Packages, approved_set, packages_fixture  # noqa: F401  (the packages fixture)
from .conftest import ROOT, actor
from .test_web_pages import assert_csp_clean

pytestmark = pytest.mark.django_db

NIST = ROOT / "upstream" / "sources" / "nist-sp800-53-rev5-oscal" / "5.1.1_88bb8de"


@pytest.fixture
def agency(owner: Any) -> Organization:
    return create_organization(actor(owner), CreateOrganization("agency", "Agency", "agency"))


def _actions(org: Organization) -> list[str]:
    return [json.loads(e.payload)["action"] for e in AuditEvent.objects.for_org(org).order_by("seq")]


# ---- requirement sets -----------------------------------------------------------------------------


def test_a_baseline_set_matches_the_cli_and_exports_what_evaluate_reads(
    agency: Organization, owner: Any
) -> None:
    version = create_requirement_set(
        actor(owner), agency, CreateRequirementSet("Sensors", baseline="moderate")
    )
    expected = api.requirements(baseline="moderate")
    assert version.export == expected.report("oscal")
    assert version.counts["technical"] == len(expected.requirements.technical)
    assert version.status == "draft"
    assert version.number == 1
    # The export is a requirements profile the core's evaluation accepts.
    result = api.evaluate(api.Document("req.json", version.export.encode()), [])
    assert len(result.evaluation.requirements.section("technical")) == version.counts["technical"]
    assert _actions(agency)[-1] == "requirements.create"


def test_tailoring_makes_a_new_draft_version_with_the_reason(
    agency: Organization, owner: Any, member_of: Callable[[Organization, str], Any]
) -> None:
    first = approved_set(agency, owner, member_of(agency, "reviewer"))
    assert first.status == "approved"
    slug = first.requirement_set.slug
    second = tailor_requirement_set(
        actor(owner), agency, TailorRequirements(slug, 1, "drop", "isolated network", ref="DI-1")
    )
    assert (second.number, second.status) == (2, "draft")
    dropped = json.loads(second.report)["dropped"]
    assert {d["reason"] for d in dropped} == {"isolated network"}
    expected = api.requirements(baseline="low", tailoring=[api.Tailoring("drop", "DI-1", "isolated network")])
    assert second.export == expected.report("oscal")
    # The approved version is unchanged; a stale form (based on version 1) is refused.
    first.refresh_from_db()
    assert first.status == "approved"
    assert first.tailoring == []
    with pytest.raises(Conflict):
        tailor_requirement_set(actor(owner), agency, TailorRequirements(slug, 1, "drop", "again", ref="DI-2"))
    # Taking the step back is itself a change with a reason: version 3, as derived at first.
    third = tailor_requirement_set(
        actor(owner), agency, TailorRequirements(slug, 2, "remove", "not isolated", step=0)
    )
    assert third.tailoring == []
    assert third.export == first.export
    assert third.status == "draft"
    assert _actions(agency)[-3:] == ["requirements.approve", "requirements.tailor", "requirements.tailor"]


@pytest.mark.parametrize(
    ("action", "ref", "reason", "error"),
    [
        ("drop", "DI-1", "", InputError),
        ("drop", "NOPE-1", "why", NotFoundError),
        ("add", "DI-1.3", "why", UsageError),  # already required
        ("rename", "DI-1", "why", InputError),
    ],
)
def test_bad_tailoring_changes_nothing(
    *, agency: Organization, owner: Any, action: str, ref: str, reason: str, error: type[Exception]
) -> None:
    version = create_requirement_set(actor(owner), agency, CreateRequirementSet("Sensors", baseline="low"))
    with pytest.raises(error):
        tailor_requirement_set(
            actor(owner), agency, TailorRequirements("sensors", 1, action, reason, ref=ref)
        )
    assert RequirementVersion.objects.for_org(agency).count() == 1
    assert RequirementSet.objects.for_org(agency).get().latest_number == version.number


def test_the_author_never_approves_their_own_version(
    agency: Organization, owner: Any, member_of: Callable[[Organization, str], Any]
) -> None:
    reviewer = member_of(agency, "reviewer")
    editor = member_of(agency, "editor")
    version = create_requirement_set(actor(editor), agency, CreateRequirementSet("Sensors", baseline="low"))
    with pytest.raises(Forbidden):  # editors may not approve at all
        approve_requirement_set(actor(editor), agency, ApproveRequirements("sensors", 1))
    tailor_requirement_set(
        actor(owner), agency, TailorRequirements("sensors", 1, "drop", "isolated", ref="DI-1")
    )
    with pytest.raises(Forbidden, match="second person"):  # the owner made version 2
        approve_requirement_set(actor(owner), agency, ApproveRequirements("sensors", 2))
    with pytest.raises(Conflict):  # version 1 was replaced
        approve_requirement_set(actor(reviewer), agency, ApproveRequirements("sensors", version.number))
    approved = approve_requirement_set(actor(reviewer), agency, ApproveRequirements("sensors", 2, why="ok"))
    assert approved.status == "approved"
    assert approved.approver is not None
    with pytest.raises(Conflict):
        approve_requirement_set(actor(owner), agency, ApproveRequirements("sensors", 2))


def test_a_set_from_an_uploaded_oscal_profile(agency: Organization, owner: Any) -> None:
    profile = (NIST / "NIST_SP-800-53_rev5_LOW-baseline_profile.json").read_bytes()
    version = create_requirement_set(
        actor(owner), agency, CreateRequirementSet("From profile", profile=profile, profile_name="low.json")
    )
    assert version.counts["technical"] == len(api.requirements(baseline="low").requirements.technical)
    assert "upstream" not in version.report
    assert "upstream" not in version.export  # no server path
    assert bytes(version.profile) == profile


@pytest.mark.parametrize("how", ["absolute", "file-uri", "dot-dot"])
def test_a_profile_never_makes_the_server_read_a_file_it_names(
    agency: Organization, owner: Any, tmp_path: Any, how: str
) -> None:
    # A file on the server that would break the resolution if it were read.
    planted = tmp_path / "planted.json"
    planted.write_text('{"catalog": "not one"}')
    href = {
        "absolute": str(planted),
        "file-uri": planted.as_uri(),
        "dot-dot": "../" * 12 + str(planted).lstrip("/"),
    }[how]
    doc = json.loads((NIST / "NIST_SP-800-53_rev5_LOW-baseline_profile.json").read_bytes())
    doc["profile"]["back-matter"]["resources"][0]["rlinks"] = [{"href": href}]
    uuid = doc["profile"]["back-matter"]["resources"][0]["uuid"]
    doc["profile"]["imports"][0]["href"] = "#" + uuid
    version = create_requirement_set(
        actor(owner),
        agency,
        CreateRequirementSet("P", profile=json.dumps(doc).encode(), profile_name="p.json"),
    )
    assert version.counts["technical"] == len(api.requirements(baseline="low").requirements.technical)
    assert str(tmp_path) not in version.report


# ---- vendor packages ------------------------------------------------------------------------------


def test_a_signed_package_is_verified_on_arrival(
    agency: Organization, owner: Any, packages: Packages
) -> None:
    package = upload_package(
        actor(owner), agency, UploadPackage("Aerolume", packages.sensor, packages.public_key, "aerolume.zip")
    )
    assert package.status == "verified"
    assert package.key_fingerprint == packages.fingerprint
    assert package.verification["signature"] == "valid"
    assert package.verification["files_checked"] > 5
    assert "package" not in package.verification  # the server's temporary folder is not kept
    assert _actions(agency)[-1] == "vendor.upload"


@pytest.mark.parametrize("which", ["tampered", "wrong key"])
def test_a_package_that_fails_is_stored_as_failed(
    agency: Organization, owner: Any, packages: Packages, which: str
) -> None:
    data, key = (
        (packages.tampered, packages.public_key)
        if which == "tampered"
        else (packages.sensor, packages.other_key)
    )
    package = upload_package(actor(owner), agency, UploadPackage("Aerolume", data, key, "a.zip"))
    assert package.status == "failed"
    assert package.verification["ok"] is False
    assert package.verification["problems"] or package.verification["signature"] != "valid"


def test_a_key_that_is_no_key_is_refused(agency: Organization, owner: Any, packages: Packages) -> None:
    with pytest.raises(InputError):
        upload_package(actor(owner), agency, UploadPackage("A", packages.sensor, b"not a key", "a.zip"))
    assert not VendorPackage.objects.for_org(agency).exists()


def _zip(entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
    return out.getvalue()


def _symlink(name: str, target: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def _bomb(*, lie: bool) -> bytes:
    """Zeros that unpack past the cap, from a small zip; with ``lie``, headers claiming 10 bytes."""
    data = bytearray(_zip([("pkg/big.bin", b"\0" * (archive.MAX_TOTAL + 1))]))
    if lie:  # the uncompressed size, in the local header (offset 22) and the central one (offset 24)
        for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            at = data.index(signature) + offset
            data[at : at + 4] = struct.pack("<I", 10)
    return bytes(data)


HOSTILE: dict[str, Callable[[], bytes]] = {
    "dot-dot": lambda: _zip([("pkg/../../escape.txt", b"x")]),
    "absolute": lambda: _zip([("/etc/cron.d/x", b"x")]),
    "backslash": lambda: _zip([("pkg\\..\\x", b"x")]),
    "drive": lambda: _zip([("C:/x", b"x")]),
    "symlink": lambda: _zip([(_symlink("pkg/link", "/etc/passwd"), b"/etc/passwd")]),
    "fifo": lambda: _zip([(_fifo("pkg/pipe"), b"")]),
    "duplicate": lambda: _zip([("pkg/a", b"1"), ("pkg/A", b"2")]),
    "entries": lambda: _zip([(f"pkg/{i}", b"") for i in range(archive.MAX_ENTRIES + 1)]),
    "bomb": lambda: _bomb(lie=False),
    "lying size": lambda: _bomb(lie=True),
    "not a zip": lambda: b"PK\x03\x04 this is not a zip",
}


def _fifo(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFIFO | 0o644) << 16
    return info


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_zips_are_refused_and_nothing_escapes(
    agency: Organization, owner: Any, packages: Packages, tmp_path: Any, case: str
) -> None:
    data = HOSTILE[case]()
    with pytest.raises(InputError):
        upload_package(actor(owner), agency, UploadPackage("Evil", data, packages.public_key, "evil.zip"))
    assert not VendorPackage.objects.for_org(agency).exists()
    # And the unpacker alone, into a folder we can look at: nothing written outside it.
    into = tmp_path / "into"
    into.mkdir()
    with pytest.raises(InputError):
        archive.unpack(data, into)
    assert [p.name for p in tmp_path.iterdir()] == ["into"]
    assert not any(p.is_symlink() for p in into.rglob("*"))


def test_the_upload_cap_comes_before_unpacking(tmp_path: Any) -> None:
    with pytest.raises(InputError, match="larger than"):
        archive.unpack(b"\0" * (archive.MAX_ARCHIVE + 1), tmp_path)


def test_a_zip_without_a_top_folder_is_the_package_itself(packages: Packages, tmp_path: Any) -> None:
    with zipfile.ZipFile(io.BytesIO(packages.sensor)) as z:
        flat = _zip([(i.filename.split("/", 1)[1], z.read(i)) for i in z.infolist()])
    folder = archive.unpack(flat, tmp_path)
    assert folder == tmp_path
    assert (folder / "manifest.json").is_file()


# ---- evaluations ----------------------------------------------------------------------------------


def _two_vendors(org: Organization, who: Any, packages: Packages) -> tuple[VendorPackage, VendorPackage]:
    a = upload_package(
        actor(who), org, UploadPackage("aerolume", packages.sensor, packages.public_key, "a.zip")
    )
    b = upload_package(
        actor(who), org, UploadPackage("northwind", packages.vendor_b, packages.public_key, "b.zip")
    )
    return a, b


def test_an_evaluation_is_the_cores_and_a_rerun_is_a_new_one(
    agency: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    packages: Packages,
    tmp_path: Any,
) -> None:
    version = approved_set(agency, owner, member_of(agency, "reviewer"))
    a, b = _two_vendors(agency, owner, packages)
    first = run_evaluation(
        actor(owner), agency, RunEvaluation("sensors", version.number, (a.pk, b.pk), why="tender")
    )
    # The same as the core's own evaluation of the same inputs.
    for name, data in (("a", packages.sensor), ("b", packages.vendor_b)):
        (tmp_path / name).mkdir()
        archive.unpack(data, tmp_path / name)
    (tmp_path / "key.pem").write_bytes(packages.public_key)
    core = api.evaluate(
        api.Document("requirements.json", version.export.encode()),
        [
            api.VendorInput("aerolume", tmp_path / "a" / "package", tmp_path / "key.pem"),
            api.VendorInput("northwind", tmp_path / "b" / "package", tmp_path / "key.pem"),
        ],
    )
    expected = json.loads(core.report("json"))
    assert first.result["evaluation"] == expected["evaluation"]
    assert first.result["questions"] == expected["questions"]
    assert first.result["clauses"] == expected["clauses"]
    assert [v["signature"] for v in first.result["vendors"]] == ["verified", "verified"]
    assert str(tmp_path) not in json.dumps(first.result)
    assert not first.failed
    second = run_evaluation(actor(owner), agency, RunEvaluation("sensors", version.number, (a.pk,)))
    assert second.pk != first.pk
    assert Evaluation.objects.for_org(agency).count() == 2
    assert list(first.packages.order_by("pk")) == [a, b]
    assert _actions(agency)[-2:] == ["vendor.evaluate", "vendor.evaluate"]


def test_only_approved_sets_and_verified_packages_are_evaluated(
    agency: Organization, owner: Any, packages: Packages
) -> None:
    create_requirement_set(actor(owner), agency, CreateRequirementSet("Draft", baseline="low"))
    good = upload_package(
        actor(owner), agency, UploadPackage("ok", packages.sensor, packages.public_key, "a.zip")
    )
    with pytest.raises(Conflict, match="not approved"):
        run_evaluation(actor(owner), agency, RunEvaluation("draft", 1, (good.pk,)))
    bad = upload_package(
        actor(owner), agency, UploadPackage("bad", packages.tampered, packages.public_key, "b.zip")
    )
    from securable.web.agency.models import RequirementVersion as RV

    RV.objects.for_org(agency).update(status="approved")  # stands in for a second person's approval
    with pytest.raises(Conflict, match="failed verification"):
        run_evaluation(actor(owner), agency, RunEvaluation("draft", 1, (good.pk, bad.pk)))
    with pytest.raises(InputError):
        run_evaluation(actor(owner), agency, RunEvaluation("draft", 1, ()))
    assert not Evaluation.objects.for_org(agency).exists()


def test_another_organizations_package_is_not_found(
    agency: Organization, owner: Any, make_user: Callable[[str], Any], packages: Packages
) -> None:
    stranger = make_user("lead@other.example")
    other = create_organization(actor(stranger), CreateOrganization("other", "Other", "agency"))
    theirs = upload_package(
        actor(stranger), other, UploadPackage("x", packages.sensor, packages.public_key, "x.zip")
    )
    approved = approved_set(
        agency, owner, make_user("second@agency.example") and _reviewer(agency, owner, make_user)
    )
    with pytest.raises(NotFoundError):
        run_evaluation(actor(owner), agency, RunEvaluation("sensors", approved.number, (theirs.pk,)))


def _reviewer(org: Organization, owner: Any, make_user: Callable[[str], Any]) -> Any:
    from securable.web.orgs.services import AddMember, add_member

    user = make_user("reviewer@agency.example")
    add_member(actor(owner), org, AddMember(user.email, "reviewer"))
    return user


# ---- pages ----------------------------------------------------------------------------------------


def test_pages_upload_verify_and_evaluate(
    *,
    agency: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
    packages: Packages,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_of(owner)
    org = agency.slug
    made = client.post(
        reverse("requirement_set_create", kwargs={"org": org}), {"name": "Sensors", "baseline": "low"}
    )
    assert made.status_code == 302
    page = client.get(made["Location"])
    assert page.status_code == 200
    assert b"You drafted this version" in page.content
    assert_csp_clean(page.content.decode())
    # A second person approves through the page.
    reviewer = client_of(member_of(agency, "reviewer"))
    approve = reviewer.post(
        reverse("requirement_set_approve", kwargs={"org": org, "slug": "sensors"}), {"number": "1"}
    )
    assert approve.status_code == 302
    export = client.get(
        reverse("requirement_set_export", kwargs={"org": org, "slug": "sensors"}) + "?version=1"
    )
    assert export["Content-Type"] == "application/json"
    assert b"".join(export.streaming_content if export.streaming else [export.content]) == (
        RequirementVersion.objects.for_org(agency).get().export.encode()
    )
    for name, data in (("aerolume", packages.sensor), ("tampered", packages.tampered)):
        sent = client.post(
            reverse("vendor_upload", kwargs={"org": org}),
            {
                "name": name,
                "package": SimpleUploadedFile(f"{name}.zip", data, content_type="application/zip"),
                "key": SimpleUploadedFile("vendor.pem", packages.public_key),
            },
        )
        assert sent.status_code == 302, sent.content
        shown = client.get(sent["Location"])
        assert packages.fingerprint.encode() in shown.content
        assert (b"verified" if name == "aerolume" else b"failed") in shown.content
    good, bad = (VendorPackage.objects.for_org(agency).get(name=n) for n in ("aerolume", "tampered"))
    form = client.get(reverse("evaluations", kwargs={"org": org}))
    assert f'value="{good.pk}"'.encode() in form.content
    assert f'value="{bad.pk}"'.encode() not in form.content
    refused = client.post(
        reverse("evaluation_run", kwargs={"org": org}), {"requirements": "sensors:1", "packages": [bad.pk]}
    )
    assert refused.status_code == 409
    ran = client.post(
        reverse("evaluation_run", kwargs={"org": org}), {"requirements": "sensors:1", "packages": [good.pk]}
    )
    assert ran.status_code == 302
    shown = client.get(ran["Location"])
    text = shown.content.decode()
    assert_csp_clean(text)
    for heading in ("Side by side", "Questions to send", "Contract clauses"):
        assert heading in text
    evaluation = Evaluation.objects.for_org(agency).get()
    first_clause = evaluation.result["clauses"][0]["title"]
    assert first_clause in text
    # Query budgets: lists and details do not grow with their rows. A fresh session each time, so
    # each request also writes the session's last-seen stamp (3 queries) and the count is the same
    # however long the test has run.
    for _ in range(3):
        client.post(
            reverse("evaluation_run", kwargs={"org": org}),
            {"requirements": "sensors:1", "packages": [good.pk]},
        )
    for name in ("More sensors", "Cameras"):
        client.post(reverse("requirement_set_create", kwargs={"org": org}), {"name": name, "baseline": "low"})
    pages = [
        reverse(name, kwargs={"org": org}) for name in ("requirement_sets", "vendor_packages", "evaluations")
    ]
    pages += [
        reverse("requirement_set", kwargs={"org": org, "slug": "sensors"}),
        reverse("vendor_package", kwargs={"org": org, "pk": good.pk}),
        reverse("evaluation", kwargs={"org": org, "pk": evaluation.pk}),
    ]
    for path in pages:
        fresh = client_of(owner)
        with django_assert_max_num_queries(11):
            assert fresh.get(path).status_code == 200


def test_new_report_fields_are_shown_by_name(
    agency: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    packages: Packages,
    client_of: Callable[[Any], Client],
) -> None:
    version = approved_set(agency, owner, member_of(agency, "reviewer"))
    a = upload_package(
        actor(owner), agency, UploadPackage("aerolume", packages.sensor, packages.public_key, "a.zip")
    )
    evaluation = run_evaluation(actor(owner), agency, RunEvaluation("sensors", version.number, (a.pk,)))
    # What a newer core may add: a per-vendor summary and a top-level section.
    evaluation.result["vendors"][0]["summary"] = {"support_ends": "2041-12-31", "sbom": "signed"}
    evaluation.result["bottom_line"] = ["aerolume states an end of life"]
    Evaluation.objects.for_org(agency).filter(pk=evaluation.pk).update(result=evaluation.result)
    text = (
        client_of(owner)
        .get(reverse("evaluation", kwargs={"org": agency.slug, "pk": evaluation.pk}))
        .content.decode()
    )
    assert "support_ends: 2041-12-31" in text
    assert "bottom_line" in text
    assert "aerolume states an end of life" in text


def test_an_added_requirement_is_shown_with_its_reason(
    agency: Organization, owner: Any, client_of: Callable[[Any], Client]
) -> None:
    create_requirement_set(actor(owner), agency, CreateRequirementSet("Sensors", baseline="low"))
    version = tailor_requirement_set(
        actor(owner), agency, TailorRequirements("sensors", 1, "add", "badge readers need it", ref="DI-1.1")
    )
    added = [r for r in json.loads(version.report)["technical"] if r.get("added")]
    assert [r["id"] for r in added] == ["DI-1.1"]
    page = client_of(owner).get(reverse("requirement_set", kwargs={"org": agency.slug, "slug": "sensors"}))
    assert "(added: badge readers need it)" in page.content.decode()
    older = client_of(owner).get(
        reverse("requirement_set", kwargs={"org": agency.slug, "slug": "sensors"}) + "?version=1"
    )
    assert "An older version" in older.content.decode()
    assert "badge readers" not in older.content.decode()


def test_without_a_catalog_profiles_are_refused(
    agency: Organization, owner: Any, settings: Any, tmp_path: Any
) -> None:
    settings.SECURABLE_SP800_53_CATALOG = str(tmp_path / "absent.json")
    profile = (NIST / "NIST_SP-800-53_rev5_LOW-baseline_profile.json").read_bytes()
    with pytest.raises(InputError, match="resolves no OSCAL profiles"):
        create_requirement_set(
            actor(owner), agency, CreateRequirementSet("P", profile=profile, profile_name="p.json")
        )
    assert not RequirementSet.objects.for_org(agency).exists()
