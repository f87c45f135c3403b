"""Service functions for the vendor documentation vault, devices made from verified vendor packages,
requests to manufacturers and third-party oversight (see ``securable.web.service``)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from securable.errors import InputError, NotFoundError
from securable.operations import oversight, requests, vault
from securable.operations.register import DeviceRow
from securable.web.audit.record import append, person_for
from securable.web.orgs.models import Membership, Organization
from securable.web.service import Actor, Conflict, Forbidden, authorize

from . import services
from .models import Device
from .vendor_models import DocumentRequest, Provider, ProviderAudit, RequestEntry, VendorDocument

MAX_TEXT = requests.MAX_TEXT


def _line(value: str, what: str, limit: int = 200) -> str:
    text = " ".join(value.split())[:limit]
    if not text:
        raise InputError(f"give the {what}")
    return text


# -- Vendor documentation vault -----------------------------------------------------------------


def documentation_roles(organization: Organization) -> tuple[str, ...]:
    """The roles the approved policy lets see vendor documentation (the policy's defaults before one
    is approved)."""
    from securable.operations.policy import Parameters

    current = services.current_policy(organization)
    if current is None:
        return Parameters(agency=organization.name).documentation_roles
    return services.parameters_of(current).documentation_roles


def may_open(member: Membership, actor: Actor, organization: Organization) -> bool:
    roles = documentation_roles(organization)
    role_ok = vault.may_open(member.role, roles)
    return role_ok and (actor.token_role is None or vault.may_open(actor.token_role, roles))


def authorize_documents(actor: Actor, organization: Organization) -> Membership:
    """``docs.view`` and a role the documentation policy names (FPN-SEED-16.A1, FPN-SEED-20.A1)."""
    member = authorize(actor, organization, "docs.view")
    if not may_open(member, actor, organization):
        raise Forbidden(
            "the documentation policy does not let your role see vendor documentation",
            hint="the roles that see it are a parameter of the policy (Policies)",
        )
    return member


@dataclass(frozen=True)
class AddDocument:
    vendor: str
    product: str
    title: str
    filename: str
    content: bytes


def add_document(actor: Actor, organization: Organization, command: AddDocument) -> VendorDocument:
    authorize(actor, organization, "docs.manage")  # before reading: outsiders learn nothing
    name, digest = vault.checked(command.content, command.filename)
    vendor = _line(command.vendor, "vendor")
    product = _line(command.product, "product")
    title = " ".join(command.title.split())[:200] or name
    with transaction.atomic():
        authorize(actor, organization, "docs.manage")
        document = VendorDocument(
            organization=organization,
            vendor=vendor,
            product=product,
            title=title,
            filename=name,
            size=len(command.content),
            sha256=digest,
            content=command.content,
            uploaded_by=person_for(actor.user),
        )
        document.save(force_insert=True)
        append(
            actor,
            organization,
            "document.add",
            target=("vendor-document", str(document.pk)),
            after={
                "vendor": vendor,
                "product": product,
                "filename": name,
                "sha256": digest,
                "size": document.size,
                "actions": ["FPN-SEED-16.A1"],
            },
        )
    return document


def open_document(actor: Actor, organization: Organization, document_id: int) -> VendorDocument:
    """The document, once the view is in the audit log: a view that cannot be logged is refused."""
    with transaction.atomic():
        authorize_documents(actor, organization)
        document = VendorDocument.objects.for_org(organization).filter(pk=document_id).first()
        if document is None:
            raise NotFoundError("no such document")
        append(
            actor,
            organization,
            "document.view",
            target=("vendor-document", str(document.pk)),
            after={"sha256": document.sha256, "actions": ["FPN-SEED-16.A1"]},
        )
    return document


# -- Devices from verified vendor packages ------------------------------------------------------


@dataclass(frozen=True)
class DeviceFromPackage:
    package: int
    asset_tag: str
    serial: str
    device_type: str
    location: str = ""
    system: str = ""
    owner: str = ""
    why: str = ""


def device_from_package(actor: Actor, organization: Organization, command: DeviceFromPackage) -> Device:
    """A device whose product, vendor, version and support dates are read from a verified package's
    product description by the core, never typed in."""
    from securable import api
    from securable.web.agency import archive
    from securable.web.agency.models import VendorPackage

    authorize(actor, organization, "device.manage")
    package = (
        VendorPackage.objects.for_org(organization)
        .filter(pk=command.package, status=VendorPackage.Status.VERIFIED)
        .first()
    )
    if package is None:
        raise NotFoundError("no verified vendor package with that id")
    with tempfile.TemporaryDirectory(prefix="securable-device-") as tmp:
        folder = archive.unpack(bytes(package.archive), Path(tmp), label=package.filename)
        product = api.package_product(folder)
    row = DeviceRow(
        asset_tag=command.asset_tag.strip()[:200],
        serial=command.serial.strip()[:200],
        location=command.location.strip()[:200],
        system=command.system.strip()[:200],
        owner=command.owner.strip()[:200],
        device_type=command.device_type.strip()[:200],
        vendor=product.manufacturer or package.name,
        product=product.name,
        version=product.version,
        support_end=product.support_end,
        end_of_life=product.end_of_life,
    )
    why = command.why or f"from vendor package {package.pk} (sha256 {package.sha256})"
    return services.add_device(actor, organization, row, why=why)


# -- Documentation and parts requests -----------------------------------------------------------


@dataclass(frozen=True)
class NewRequest:
    vendor: str
    product: str
    kind: str
    subject: str
    asked: str
    asked_on: date
    evaluation: int | None = None


def draft_request(organization: Organization, evaluation_id: int, vendor: str) -> NewRequest:
    """A request drafted from the questions a stored evaluation found for ``vendor`` (not saved)."""
    from securable.web.agency.models import Evaluation

    evaluation = Evaluation.objects.for_org(organization).filter(pk=evaluation_id).first()
    if evaluation is None:
        raise NotFoundError("no such evaluation")
    return NewRequest(
        vendor=vendor[:200],
        product="",
        kind="documentation",
        subject=f"Information missing from your package ({evaluation.name})"[:200],
        asked=requests.draft(evaluation.result, vendor),
        asked_on=timezone.now().date(),
        evaluation=evaluation.pk,
    )


def make_request(actor: Actor, organization: Organization, command: NewRequest) -> DocumentRequest:
    from securable.web.agency.models import Evaluation

    if command.kind not in requests.KINDS:
        raise InputError(f"unknown kind {command.kind[:40]!r}", hint="use: " + ", ".join(requests.KINDS))
    asked = command.asked.strip()[:MAX_TEXT]
    if not asked:
        raise InputError("write what is asked of the manufacturer")
    with transaction.atomic():
        authorize(actor, organization, "docs.manage")
        evaluation = None
        if command.evaluation is not None:
            evaluation = Evaluation.objects.for_org(organization).filter(pk=command.evaluation).first()
            if evaluation is None:
                raise NotFoundError("no such evaluation")
        last = DocumentRequest.objects.for_org(organization).aggregate(n=Max("number"))["n"] or 0
        made = DocumentRequest(
            organization=organization,
            number=last + 1,
            vendor=_line(command.vendor, "manufacturer"),
            product=" ".join(command.product.split())[:200],
            kind=command.kind,
            subject=_line(command.subject, "subject"),
            asked=asked,
            asked_on=command.asked_on,
            evaluation=evaluation,
            author=person_for(actor.user),
        )
        made.save(force_insert=True)
        append(
            actor,
            organization,
            "request.make",
            target=("request", f"R-{made.number}"),
            after={
                "vendor": made.vendor,
                "kind": made.kind,
                "asked_on": made.asked_on.isoformat(),
                "evaluation": evaluation.pk if evaluation else None,
                "actions": list(requests.ACTIONS),
            },
        )
    return made


def record_entry(
    actor: Actor, organization: Organization, number: int, *, event: str, text: str, on: date
) -> RequestEntry:
    """A follow-up, the manufacturer's answer, or the close of request R-<number>."""
    text = text.strip()[:MAX_TEXT]
    if not text:
        raise InputError("write what was sent or received")
    with transaction.atomic():
        authorize(actor, organization, "docs.manage")
        found = (
            DocumentRequest.objects.for_org(organization).select_for_update().filter(number=number).first()
        )
        if found is None:
            raise NotFoundError(f"no request R-{number}")
        before = found.status
        found.status = requests.after(before, event)
        found.save(update_fields=["status"])
        entry = RequestEntry(
            organization=organization,
            request=found,
            event=event,
            text=text,
            on=on,
            author=person_for(actor.user),
        )
        entry.save(force_insert=True)
        append(
            actor,
            organization,
            f"request.{event}",
            target=("request", f"R-{number}"),
            before={"status": before},
            after={"status": found.status, "on": on.isoformat(), "actions": list(requests.ACTIONS)},
        )
    return entry


# -- Third-party oversight ------------------------------------------------------------------------


@dataclass(frozen=True)
class NewProvider:
    name: str
    kind: str
    services: str
    obligations: str
    audit_months: int
    since: date


def add_provider(actor: Actor, organization: Organization, command: NewProvider) -> Provider:
    if command.kind not in oversight.KINDS:
        raise InputError(f"unknown kind {command.kind[:40]!r}", hint="use: " + ", ".join(oversight.KINDS))
    oversight.check_interval(command.audit_months)
    obligations = command.obligations.strip()[:MAX_TEXT]
    if not obligations:
        raise InputError("write the provider's obligations", hint="e.g. the contract's security clauses")
    with transaction.atomic():
        authorize(actor, organization, "oversight.manage")
        name = _line(command.name, "provider's name")
        if Provider.objects.for_org(organization).filter(name=name).exists():
            raise Conflict(f"{name!r} is already on the list")
        made = Provider(
            organization=organization,
            name=name,
            kind=command.kind,
            services=" ".join(command.services.split())[:500],
            obligations=obligations,
            audit_months=command.audit_months,
            since=command.since,
        )
        made.save(force_insert=True)
        append(
            actor,
            organization,
            "provider.add",
            target=("provider", str(made.pk)),
            after={
                "name": name,
                "kind": made.kind,
                "audit_months": made.audit_months,
                "actions": list(oversight.ACTIONS),
            },
        )
    return made


def record_audit(
    actor: Actor, organization: Organization, provider_id: int, *, done: date, outcome: str, findings: str
) -> ProviderAudit:
    if outcome not in oversight.OUTCOMES:
        raise InputError(f"unknown outcome {outcome[:40]!r}", hint="use: " + ", ".join(oversight.OUTCOMES))
    findings = findings.strip()[:MAX_TEXT]
    if outcome != "satisfactory" and not findings:
        raise InputError("write the findings of an audit that was not satisfactory")
    if done > timezone.now().date():
        raise InputError("an audit is recorded once done: the day is in the future")
    with transaction.atomic():
        authorize(actor, organization, "oversight.manage")
        provider = Provider.objects.for_org(organization).select_for_update().filter(pk=provider_id).first()
        if provider is None:
            raise NotFoundError("no such provider")
        made = ProviderAudit(
            organization=organization,
            provider=provider,
            done=done,
            outcome=outcome,
            findings=findings,
            recorded_by=person_for(actor.user),
        )
        made.save(force_insert=True)
        if provider.last_audit is None or done > provider.last_audit:
            provider.last_audit = done
            provider.save(update_fields=["last_audit"])
        append(
            actor,
            organization,
            "provider.audit",
            target=("provider", str(provider.pk)),
            after={"done": done.isoformat(), "outcome": outcome, "actions": list(oversight.ACTIONS)},
        )
    return made
