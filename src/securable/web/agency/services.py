"""Service functions of the agency's side (see ``securable.web.service``).

The core's work (deriving requirements, unpacking and verifying a package, evaluating) runs before
the transaction, after a first permission check, so outsiders learn nothing from parse errors and
no write lock is held during it; the transaction checks the permission again, stores the result
and appends the audit event.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from securable.errors import InputError, NotFoundError
from securable.web.agency import archive, engine
from securable.web.agency.models import Evaluation, RequirementSet, RequirementVersion, VendorPackage
from securable.web.audit.record import append, person_for
from securable.web.orgs.models import Organization
from securable.web.service import Actor, Conflict, Forbidden, authorize

BASELINES = ("low", "moderate", "high", "privacy")
MAX_KEY = 16 * 1024  # an Ed25519 public key in PEM is 113 bytes
MAX_VENDORS = 10
MAX_REASON = 500


# ---- requirement sets -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateRequirementSet:
    name: str
    baseline: str = ""  # one of BASELINES, or empty with a profile
    profile: bytes | None = None  # an OSCAL profile over SP 800-53 Rev. 5
    profile_name: str = "profile.json"
    why: str = ""


def create_requirement_set(
    actor: Actor, organization: Organization, command: CreateRequirementSet
) -> RequirementVersion:
    """A new requirement set, its first version a draft."""
    authorize(actor, organization, "requirements.edit")
    name = command.name.strip()[:200]
    slug = slugify(name)[:80]
    if not slug:
        raise InputError("give the requirement set a name", hint="e.g. building sensors, MODERATE")
    if (command.profile is None) == (not command.baseline):
        raise InputError("start from either a baseline or an OSCAL profile")
    if command.baseline and command.baseline not in BASELINES:
        raise InputError(f"unknown baseline {command.baseline!r}", hint=f"one of {', '.join(BASELINES)}")
    profile_name = Path(command.profile_name).name[:200] or "profile.json"
    derived = engine.derive(
        baseline=command.baseline, profile=command.profile, profile_name=profile_name, tailoring=()
    )
    with transaction.atomic():
        authorize(actor, organization, "requirements.edit")
        if RequirementSet.objects.for_org(organization).filter(slug=slug).exists():
            raise Conflict(f"a requirement set {slug!r} exists already", hint="choose another name")
        item = RequirementSet(organization=organization, slug=slug, name=name, latest_number=1)
        item.save(force_insert=True)
        version = RequirementVersion(
            organization=organization,
            requirement_set=item,
            number=1,
            baseline=command.baseline,
            profile=command.profile,
            profile_name=profile_name if command.profile is not None else "",
            tailoring=[],
            export=derived.export,
            report=derived.report,
            counts=derived.counts,
            author=person_for(actor.user),
        )
        version.save(force_insert=True)
        append(
            actor,
            organization,
            "requirements.create",
            target=("requirement-set", slug),
            after={
                "version": 1,
                "source": _source(version),
                "counts": derived.counts,
                "sha256": _digest(version),
            },
            why=command.why,
        )
    return version


@dataclass(frozen=True)
class TailorRequirements:
    """One change to the latest version, which becomes a new draft version.

    ``add``/``drop`` name an SP 800-213A or Federal Profile record with the reason; ``remove`` takes
    back tailoring step ``step`` (counted from 0), with the reason for taking it back.
    """

    slug: str
    based_on: int  # the version the change was made on: a stale form must not undo another's change
    action: str
    reason: str
    ref: str = ""
    step: int = -1


def tailor_requirement_set(
    actor: Actor, organization: Organization, command: TailorRequirements
) -> RequirementVersion:
    authorize(actor, organization, "requirements.edit")
    reason = command.reason.strip()
    if not reason:
        raise InputError("a reason is required for every tailoring change")
    if len(reason) > MAX_REASON:
        raise InputError(f"the reason is longer than {MAX_REASON} characters")
    base = _latest(organization, command.slug)
    if base.number != command.based_on:
        raise Conflict(
            f"version {base.number} is the latest, not {command.based_on}",
            hint="reload the page: someone changed the set in the meantime",
        )
    steps = list(base.tailoring)
    if command.action in ("add", "drop"):
        ref = command.ref.strip()
        if not ref or len(ref) > 100:
            raise InputError("name the record to tailor (e.g. DI-1.1 or FPN-MA-5.A2)")
        steps.append({"action": command.action, "ref": ref, "reason": reason})
        change = {"action": command.action, "ref": ref, "reason": reason}
    elif command.action == "remove":
        if not 0 <= command.step < len(steps):
            raise InputError("no such tailoring step")
        change = {"action": "remove", "step": steps.pop(command.step), "reason": reason}
    else:
        raise InputError(f"unknown tailoring action {command.action!r}", hint="add, drop or remove")
    derived = engine.derive(
        baseline=base.baseline,
        profile=bytes(base.profile) if base.profile is not None else None,
        profile_name=base.profile_name,
        tailoring=steps,
    )
    with transaction.atomic():
        authorize(actor, organization, "requirements.edit")
        item = (
            RequirementSet.objects.for_org(organization).select_for_update().get(pk=base.requirement_set_id)
        )
        if item.latest_number != base.number:
            raise Conflict(
                f"version {item.latest_number} is the latest, not {base.number}",
                hint="reload the page: someone changed the set in the meantime",
            )
        item.latest_number += 1
        item.save(update_fields=["latest_number"])
        version = RequirementVersion(
            organization=organization,
            requirement_set=item,
            number=item.latest_number,
            baseline=base.baseline,
            profile=base.profile,
            profile_name=base.profile_name,
            tailoring=steps,
            export=derived.export,
            report=derived.report,
            counts=derived.counts,
            author=person_for(actor.user),
        )
        version.save(force_insert=True)
        append(
            actor,
            organization,
            "requirements.tailor",
            target=("requirement-set", item.slug),
            before={"version": base.number, "status": base.status, "counts": base.counts},
            after={"version": version.number, "status": version.status, "counts": derived.counts, **change},
            why=reason,
        )
    return version


@dataclass(frozen=True)
class ApproveRequirements:
    slug: str
    number: int
    why: str = ""


def approve_requirement_set(
    actor: Actor, organization: Organization, command: ApproveRequirements
) -> RequirementVersion:
    """Approve the latest version; its author never can (separation of duties)."""
    with transaction.atomic():
        authorize(actor, organization, "requirements.approve")
        item = (
            RequirementSet.objects.for_org(organization).select_for_update().filter(slug=command.slug).first()
        )
        if item is None:
            raise NotFoundError("no such requirement set")
        version = (
            RequirementVersion.objects.for_org(organization)
            .filter(requirement_set=item, number=command.number)
            .first()
        )
        if version is None:
            raise NotFoundError("no such version")
        if version.number != item.latest_number:
            raise Conflict(
                f"version {item.latest_number} replaced version {version.number}: approve that one"
            )
        if version.status == RequirementVersion.Status.APPROVED:
            raise Conflict(f"version {version.number} is approved already")
        approver = person_for(actor.user)
        if version.author_id == approver.pk:
            raise Forbidden(
                "you made this version: a second person approves it",
                hint="ask another member with requirements.approve",
            )
        version.status = RequirementVersion.Status.APPROVED
        version.approver = approver
        version.approved = timezone.now()
        version.save(update_fields=["status", "approver", "approved"])
        append(
            actor,
            organization,
            "requirements.approve",
            target=("requirement-set", item.slug),
            before={"version": version.number, "status": "draft"},
            after={"version": version.number, "status": "approved", "sha256": _digest(version)},
            why=command.why,
        )
    return version


def _latest(organization: Organization, slug: str) -> RequirementVersion:
    item = RequirementSet.objects.for_org(organization).filter(slug=slug).first()
    if item is None:
        raise NotFoundError("no such requirement set")
    version = (
        RequirementVersion.objects.for_org(organization)
        .filter(requirement_set=item, number=item.latest_number)
        .first()
    )
    if version is None:
        raise NotFoundError("no such version")
    return version


def _source(version: RequirementVersion) -> str:
    return f"baseline:{version.baseline}" if version.baseline else f"profile:{version.profile_name}"


def _digest(version: RequirementVersion) -> str:
    """Of the exported profile: what an approval approved, checkable against a download."""
    return hashlib.sha256(version.export.encode("utf-8")).hexdigest()


# ---- vendor packages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadPackage:
    name: str  # the vendor, as evaluations name it
    archive: bytes  # a zip of the package folder
    public_key: bytes  # the vendor's Ed25519 public key (PEM)
    filename: str = "package.zip"
    why: str = ""


def upload_package(actor: Actor, organization: Organization, command: UploadPackage) -> VendorPackage:
    """Store a vendor's package with the result of verifying it; one that fails is stored as failed."""
    authorize(actor, organization, "vendor.upload")
    name = " ".join(command.name.split())[:100]
    if not name or not name.isprintable():
        raise InputError("give the vendor's name", hint="e.g. Aerolume Systems")
    if len(command.public_key) > MAX_KEY:
        raise InputError("the public key is larger than 16 KiB", hint="give the vendor's PEM public key")
    filename = Path(command.filename).name[:200] or "package.zip"
    with tempfile.TemporaryDirectory(prefix="securable-upload-") as tmp:
        folder = archive.unpack(command.archive, Path(tmp), label=filename)
        verified = engine.verify(folder, command.public_key)  # a key that is no key raises
    status = VendorPackage.Status.VERIFIED if verified.ok else VendorPackage.Status.FAILED
    digest = hashlib.sha256(command.archive).hexdigest()
    with transaction.atomic():
        authorize(actor, organization, "vendor.upload")
        package = VendorPackage(
            organization=organization,
            name=name,
            filename=filename,
            archive=command.archive,
            sha256=digest,
            public_key=command.public_key.decode("ascii", "replace"),
            key_fingerprint=verified.key_fingerprint[:100],
            status=status,
            verification=verified.report,
            uploader=person_for(actor.user),
        )
        package.save(force_insert=True)
        append(
            actor,
            organization,
            "vendor.upload",
            target=("vendor-package", str(package.pk)),
            after={
                "vendor": name,
                "sha256": digest,
                "status": status,
                "signature": verified.report.get("signature"),
                "key_fingerprint": verified.key_fingerprint,
            },
            why=command.why,
        )
    return package


# ---- evaluations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunEvaluation:
    slug: str  # the requirement set
    number: int  # its approved version
    packages: tuple[int, ...]
    why: str = ""


def run_evaluation(actor: Actor, organization: Organization, command: RunEvaluation) -> Evaluation:
    """Evaluate verified packages against an approved version; each run is stored as a new evaluation."""
    authorize(actor, organization, "vendor.evaluate")
    item = RequirementSet.objects.for_org(organization).filter(slug=command.slug).first()
    version = (
        RequirementVersion.objects.for_org(organization)
        .filter(requirement_set=item, number=command.number)
        .first()
        if item is not None
        else None
    )
    if item is None or version is None:
        raise NotFoundError("no such requirement set version")
    if version.status != RequirementVersion.Status.APPROVED:
        raise Conflict(
            f"{item.name} version {version.number} is not approved",
            hint="vendors are evaluated against approved requirements only",
        )
    wanted = list(dict.fromkeys(command.packages))
    if not wanted:
        raise InputError("choose at least one vendor package")
    if len(wanted) > MAX_VENDORS:
        raise InputError(f"choose at most {MAX_VENDORS} vendor packages")
    found = {p.pk: p for p in VendorPackage.objects.for_org(organization).filter(pk__in=wanted)}
    if len(found) != len(wanted):
        raise NotFoundError("no such vendor package")
    packages = [found[pk] for pk in wanted]
    failed = [p.name for p in packages if p.status != VendorPackage.Status.VERIFIED]
    if failed:
        raise Conflict(
            f"{', '.join(failed)}: the package failed verification and cannot be evaluated",
            hint="ask the vendor for a package signed with the key they gave",
        )
    names = [p.name for p in packages]
    if len(set(names)) != len(names):
        raise InputError(
            "two of the packages have the same vendor name", hint="evaluate one of them at a time"
        )
    with tempfile.TemporaryDirectory(prefix="securable-evaluate-") as tmp:
        folders = []
        for i, package in enumerate(packages):
            into = Path(tmp) / str(i)
            into.mkdir()
            folder = archive.unpack(bytes(package.archive), into, label=package.filename)
            key = package.public_key.encode("ascii", "replace")
            folders.append(engine.VendorFolder(package.name, folder, key, package.filename))
        result = engine.evaluate(version.export, folders)
    failed_now = any(not v.get("evaluated", False) for v in result.get("vendors", ()) if isinstance(v, dict))
    with transaction.atomic():
        authorize(actor, organization, "vendor.evaluate")
        evaluation = Evaluation(
            organization=organization,
            name=f"{item.name} v{version.number}: {', '.join(names)}"[:300],
            requirements=version,
            result=result,
            failed=failed_now,
            author=person_for(actor.user),
        )
        evaluation.save(force_insert=True)
        evaluation.packages.set(packages)
        append(
            actor,
            organization,
            "vendor.evaluate",
            target=("evaluation", str(evaluation.pk)),
            after={
                "requirements": f"{item.slug} v{version.number}",
                "packages": [{"id": p.pk, "vendor": p.name, "sha256": p.sha256} for p in packages],
                "failed": failed_now,
            },
            why=command.why,
        )
    return evaluation
