"""The demo agency, filled through the services: requirements, vendors, devices, policies and maintenance.

Each record is in the state a visitor should be able to see (a request waiting, one approved, one
performed, a failed check with its device restricted, one closed, an offsite repair with its
data-removal attestation), made by the person the rules require, so nothing here bypasses a check.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

from securable.operations import policy
from securable.operations.register import DeviceRow
from securable.web.agency import archive
from securable.web.agency.models import RequirementSet, VendorPackage
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
from securable.web.operations import services as ops
from securable.web.orgs.models import Organization
from securable.web.service import Actor

WHY = "make demo"
SENSOR_TYPE = "environmental sensor"


@dataclass(frozen=True)
class Vendor:
    name: str
    example: str  # the product's folder under examples/
    package: str  # its package folder under out/packages/ (what `make demo` builds)
    public_key: str  # under out/keys/
    tags: tuple[str, ...]  # the asset tags of the demo's devices of this product


VENDORS = (
    Vendor(
        "Aerolume Systems",
        "federal-env-sensor",
        "federal-env-sensor",
        "public.pem",
        ("ENV-001", "ENV-002", "ENV-003", "ENV-004"),
    ),
    Vendor(
        "Northwind Building Technologies",
        "agency/vendor-b",
        "agency-vendor-b",
        "northwind-public.pem",
        ("AS20-001", "AS20-002", "AS20-003"),
    ),
)


def fill(owner: Actor, reviewer: Actor, agency: Organization, examples: Path, out: Path | None) -> None:
    """Fill an empty demo agency; an agency that has a requirement set is left as it is."""
    if RequirementSet.objects.for_org(agency).exists():
        return
    slug, number = _requirements(owner, reviewer, agency)
    with tempfile.TemporaryDirectory(prefix="securable-demo-") as tmp:
        packages = [
            _upload(owner, agency, vendor, _package(vendor, examples, out, Path(tmp))) for vendor in VENDORS
        ]
    run_evaluation(owner, agency, RunEvaluation(slug, number, tuple(p.pk for p in packages), why=WHY))
    for vendor, package in zip(VENDORS, packages, strict=True):
        _devices(owner, agency, vendor, package)
    draft = ops.draft_policy(owner, agency, policy.Parameters(agency.name))
    ops.approve_policy(reviewer, agency, draft.number)
    staff, _lapsed = _personnel(owner, reviewer, agency)
    _maintenance(owner, reviewer, agency, staff)


def _requirements(owner: Actor, reviewer: Actor, agency: Organization) -> tuple[str, int]:
    """A MODERATE set drafted by the owner, tailored once with a reason and approved by the reviewer."""
    first = create_requirement_set(
        owner, agency, CreateRequirementSet("Building sensors", baseline="moderate", why=WHY)
    )
    slug = first.requirement_set.slug
    reason = "the sensors report to a building network isolated from the agency's other systems"
    tailored = tailor_requirement_set(
        owner, agency, TailorRequirements(slug, first.number, "drop", reason, ref="DI-2")
    )
    approve_requirement_set(reviewer, agency, ApproveRequirements(slug, tailored.number, why=WHY))
    return slug, tailored.number


def _package(vendor: Vendor, examples: Path, out: Path | None, tmp: Path) -> tuple[bytes, bytes]:
    """The vendor's package zipped (as a vendor would send it) and their public key.

    `make demo` has built and signed both packages before the workspace starts; without them (a
    test, or the workspace loaded alone) they are built here with a key made for this load.
    """
    if out is not None:
        folder, key = out / "packages" / vendor.package, out / "keys" / vendor.public_key
        if (folder / "manifest.sig").is_file() and key.is_file():
            return _zip(folder), key.read_bytes()
    from securable import api
    from securable.package.keys import keygen

    keygen(tmp / f"{vendor.package}.pem", tmp / f"{vendor.package}.pub")
    built = tmp / vendor.package
    api.package(
        examples / vendor.example / "securable.yaml",
        built,
        today=timezone.now().date(),
        key=tmp / f"{vendor.package}.pem",
        pdf=False,
    )
    return _zip(built), (tmp / f"{vendor.package}.pub").read_bytes()


def _zip(folder: Path) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as made:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                made.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
    return data.getvalue()


def _upload(
    owner: Actor, agency: Organization, vendor: Vendor, package: tuple[bytes, bytes]
) -> VendorPackage:
    content, key = package
    command = UploadPackage(vendor.name, content, key, filename=f"{vendor.package}.zip", why=WHY)
    return upload_package(owner, agency, command)


def _devices(owner: Actor, agency: Organization, vendor: Vendor, package: VendorPackage) -> None:
    """Devices of the vendor's product; its version, support end and end of life are the package's own
    statements, read by the core's evaluation reader, so the register warns from what the vendor signed."""
    from securable.agency.evaluation.facts import read_facts

    with tempfile.TemporaryDirectory(prefix="securable-demo-facts-") as tmp:
        folder = archive.unpack(bytes(package.archive), Path(tmp), label=package.filename)
        facts, _ = read_facts(folder, verified_with=package.key_fingerprint)
    # The product's name as the verified manifest states it (the verification report keeps it).
    stated = package.verification.get("product") if isinstance(package.verification, dict) else None
    product = str(stated.get("name", "")) if isinstance(stated, dict) else ""
    for number, tag in enumerate(vendor.tags, start=1):
        row = DeviceRow(
            tag,
            f"{tag.split('-')[0]}-SN-{1000 + number}",
            location=f"Building 1, floor {number}",
            system="Building automation",
            owner="Facilities",
            device_type=SENSOR_TYPE,
            vendor=vendor.name,
            product=product or vendor.example.rsplit("/", 1)[-1],
            version=facts.version,
            support_end=_day(facts.support_end),
            end_of_life=_day(facts.end_of_life),
        )
        ops.add_device(owner, agency, row, why=WHY)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _personnel(owner: Actor, reviewer: Actor, agency: Organization) -> tuple[int, int]:
    """An authorized staff technician, a contractor whose authorization has lapsed, and approved tools."""
    staff = ops.add_technician(owner, agency, "Dana Reyes", "Example Agency facilities", "staff")
    ops.grant(
        owner,
        agency,
        staff.pk,
        expires=date.today() + timedelta(days=365),
        unescorted=True,
        device_types=SENSOR_TYPE,
    )
    lapsed = ops.add_technician(owner, agency, "Sam Ortiz", "Aerolume Systems", "manufacturer")
    ops.grant(
        owner,
        agency,
        lapsed.pk,
        expires=date.today() - timedelta(days=30),
        unescorted=False,
        device_types=SENSOR_TYPE,
    )
    for name, purpose in (
        ("aerolume-diag 4.2", "radio link and battery diagnostics"),
        ("sitemanager-cli 3.2", "Northwind sensor configuration checks"),
    ):
        tool = ops.propose_tool(owner, agency, name, purpose)
        ops.approve_tool(reviewer, agency, tool.pk)
    return staff.pk, lapsed.pk


def _maintenance(owner: Actor, reviewer: Actor, agency: Organization, staff: int) -> None:
    """One record in each state a visitor should see; the owner asks and works, the reviewer decides."""
    rules = ops.policy_for(agency)
    passed = dict.fromkeys(rules.checklist, True)
    failed = passed | {rules.checklist[-1]: False}
    earlier = timezone.now() - timedelta(hours=2)

    def ask(tag: str, reason: str, where: str = "local", by: str = "staff") -> int:
        return ops.request_maintenance(
            owner, agency, ops.RequestMaintenance(tag, where, by, reason, staff)
        ).number

    def work(number: int, what: str, tool: str) -> None:
        ops.step(reviewer, agency, number, ops.Approve("in the maintenance window"))
        ops.step(owner, agency, number, ops.Perform(staff, None, earlier, what, (tool,)))

    ask("ENV-001", "battery below 20 percent")  # requested, waiting for the reviewer
    approved = ask("ENV-002", "firmware update to the current release")
    ops.step(reviewer, agency, approved, ops.Approve("scheduled for next week"))
    work(ask("ENV-003", "readings drift"), "recalibrated the humidity sensor", "aerolume-diag 4.2")
    restricted = ask("AS20-001", "configuration review after a site network change")
    work(restricted, "re-applied the hardened configuration", "sitemanager-cli 3.2")
    ops.step(reviewer, agency, restricted, ops.Verify(failed, "the web interface was found enabled"))
    closed = ask("AS20-002", "yearly inspection")
    work(closed, "inspected the mounting and checked the firmware signature", "sitemanager-cli 3.2")
    ops.step(reviewer, agency, closed, ops.Verify(passed, "all checks passed"))
    ops.step(reviewer, agency, closed, ops.Close())
    offsite = ask("ENV-004", "the sensor stopped reporting", where="offsite", by="manufacturer")
    ops.step(reviewer, agency, offsite, ops.Approve("send it to Aerolume under warranty"))
    log = b"factory reset from the console; settings, keys and buffered readings erased\n"
    attest = ops.Attest(
        "factory reset", "Dana Reyes", timezone.now() - timedelta(hours=1), "wipe-log.txt", log
    )
    ops.step(owner, agency, offsite, attest)
    ops.step(owner, agency, offsite, ops.Ship())
