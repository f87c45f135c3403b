"""Service functions for agency operations (see ``securable.web.service``).

The maintenance rules are the core's (``securable.operations.maintenance``); these functions load
the record, let the core decide, then store the result, the device's status, alerts and the audit
event in one transaction.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from securable.errors import InputError, NotFoundError
from securable.operations import maintenance as m
from securable.operations import policy, register
from securable.web.audit.record import append, person_for
from securable.web.orgs.models import Organization
from securable.web.orgs.roles import ROLES
from securable.web.service import Actor, Conflict, Forbidden, authorize

from .models import (
    Acknowledgement,
    Alert,
    Authorization,
    Device,
    Evidence,
    Maintenance,
    PolicyVersion,
    Technician,
    Tool,
)

POLICY = m.Policy()  # until the organization approves a policy version of its own
MAX_EVIDENCE = 5 * 1024 * 1024
KINDS = tuple(b.value for b in m.By)


def _who(actor: Actor, organization: Organization) -> m.Who:
    member = authorize(actor, organization, "device.view")
    granted = ROLES.get(member.role, frozenset())
    if actor.token_role is not None:
        granted &= ROLES.get(actor.token_role, frozenset())
    return m.Who(str(person_for(actor.user).public_id), granted)


def _device(organization: Organization, asset_tag: str, *, lock: bool = False) -> Device:
    query = Device.objects.for_org(organization).filter(asset_tag=asset_tag)
    found = (query.select_for_update() if lock else query).first()
    if found is None:
        raise NotFoundError(f"no device with asset tag {asset_tag[:80]!r}")
    return found


def people(organization: Organization) -> dict[str, m.Technician]:
    """The organization's maintenance personnel as the core sees them (id = the row's id)."""
    grants: dict[int, list[m.Authorization]] = {}
    for a in Authorization.objects.for_org(organization):
        grants.setdefault(a.technician_id, []).append(m.Authorization(a.expires, a.unescorted, a.types()))
    return {
        str(t.pk): m.Technician(str(t.pk), t.name, t.company, tuple(grants.get(t.pk, ())))
        for t in Technician.objects.for_org(organization)
    }


def approved_tools(organization: Organization) -> frozenset[str]:
    return frozenset(
        Tool.objects.for_org(organization).filter(approved__isnull=False).values_list("name", flat=True)
    )


# -- Device register ---------------------------------------------------------------------------


def add_device(actor: Actor, organization: Organization, row: register.DeviceRow, why: str = "") -> Device:
    _, errors = register.check_rows([list(register.COLUMNS), _cells(row)])
    if errors:
        raise InputError("; ".join(e.render() for e in errors))
    with transaction.atomic():
        authorize(actor, organization, "device.manage")
        if Device.objects.for_org(organization).filter(asset_tag=row.asset_tag).exists():
            raise Conflict(f"asset tag {row.asset_tag!r} is already in the register")
        device = Device(organization=organization, **_fields(row))
        device.save(force_insert=True)
        append(
            actor, organization, "device.add", target=("device", row.asset_tag), after=_audit(row), why=why
        )
    return device


def _cells(row: register.DeviceRow) -> list[str]:
    return [_text(value) for value in _fields(row).values()]


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _fields(row: register.DeviceRow) -> dict[str, object]:
    return {name: getattr(row, name) for name in register.COLUMNS}


def _audit(row: register.DeviceRow) -> dict[str, object]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in _fields(row).items()}


@dataclass(frozen=True)
class ImportDevices:
    content: bytes
    filename: str
    dry_run: bool = True
    why: str = ""


@dataclass(frozen=True)
class ImportResult:
    devices: int
    errors: list[register.RowError] = field(default_factory=list)
    applied: bool = False


def import_devices(actor: Actor, organization: Organization, command: ImportDevices) -> ImportResult:
    """Check every row (a dry run stops there); store them all or none."""
    authorize(actor, organization, "device.manage")  # before parsing: outsiders learn nothing
    rows, errors = register.check_rows(register.read_table(command.content, command.filename))
    tags = [r.asset_tag for r in rows]
    taken = set(
        Device.objects.for_org(organization).filter(asset_tag__in=tags).values_list("asset_tag", flat=True)
    )
    errors += [
        register.RowError(
            number, "asset_tag", f"{tag!r} is already in the register", "remove the row, or change the tag"
        )
        for number, tag in enumerate(tags, start=2)
        if tag in taken
    ]
    if errors or command.dry_run:
        return ImportResult(len(rows), sorted(errors, key=lambda e: e.row))
    digest = hashlib.sha256(command.content).hexdigest()
    with transaction.atomic():
        authorize(actor, organization, "device.manage")
        Device.objects.for_org(organization).bulk_create(
            [Device(organization=organization, **_fields(r)) for r in rows]
        )
        append(
            actor,
            organization,
            "device.import",
            target=("devices", command.filename[:200]),
            after={"devices": len(rows), "sha256": digest, "asset_tags": tags[:1000]},
            why=command.why,
        )
    return ImportResult(len(rows), [], applied=True)


def set_status(
    actor: Actor, organization: Organization, asset_tag: str, status: str, why: str = ""
) -> Device:
    if status not in register.STATUSES:
        raise InputError(f"unknown status {status[:40]!r}", hint="use: " + ", ".join(register.STATUSES))
    with transaction.atomic():
        authorize(actor, organization, "device.manage")
        device = _device(organization, asset_tag, lock=True)
        if (
            status != "restricted"
            and Alert.objects.for_org(organization).filter(device=device, resolved=None).exists()
        ):
            raise Conflict(
                "the device stays restricted while a failed verification is open",
                hint="perform the maintenance again and verify it",
            )
        before = device.status
        device.status = status
        device.save(update_fields=["status"])
        append(
            actor,
            organization,
            "device.status",
            target=("device", asset_tag),
            before={"status": before},
            after={"status": status},
            why=why,
        )
    return device


# -- Personnel and tools ---------------------------------------------------------------------------


def add_technician(
    actor: Actor, organization: Organization, name: str, company: str, kind: str
) -> Technician:
    if not name.strip() or not company.strip():
        raise InputError("give the person's name and their organization")
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind[:40]!r}", hint="use: " + ", ".join(KINDS))
    with transaction.atomic():
        authorize(actor, organization, "personnel.manage")
        person = Technician(
            organization=organization, name=name.strip()[:200], company=company.strip()[:200], kind=kind
        )
        person.save(force_insert=True)
        append(
            actor,
            organization,
            "technician.add",
            target=("technician", str(person.pk)),
            after={"company": person.company, "kind": kind},
        )
    return person


def grant(
    actor: Actor,
    organization: Organization,
    technician: int,
    *,
    expires: date,
    unescorted: bool,
    device_types: str,
) -> Authorization:
    with transaction.atomic():
        member = authorize(actor, organization, "personnel.manage")
        person = Technician.objects.for_org(organization).filter(pk=technician).first()
        if person is None:
            raise NotFoundError("no such technician")
        types = ",".join(sorted({t.strip() for t in device_types.split(",") if t.strip()}))[:500]
        made = Authorization(
            organization=organization,
            technician=person,
            expires=expires,
            unescorted=unescorted,
            device_types=types,
            granted_by=person_for(member.user),
        )
        made.save(force_insert=True)
        append(
            actor,
            organization,
            "technician.authorize",
            target=("technician", str(person.pk)),
            after={"expires": expires.isoformat(), "unescorted": unescorted, "device_types": types},
        )
    return made


def propose_tool(actor: Actor, organization: Organization, name: str, purpose: str) -> Tool:
    name = name.strip()[:200]
    if not name:
        raise InputError("give the tool's name and version")
    with transaction.atomic():
        authorize(actor, organization, "maintenance.perform")
        if Tool.objects.for_org(organization).filter(name=name).exists():
            raise Conflict(f"{name!r} is already on the list")
        tool = Tool(
            organization=organization,
            name=name,
            purpose=purpose.strip()[:500],
            proposed_by=person_for(actor.user),
        )
        tool.save(force_insert=True)
        append(actor, organization, "tool.propose", target=("tool", name), after={"purpose": tool.purpose})
    return tool


def approve_tool(actor: Actor, organization: Organization, tool_id: int) -> Tool:
    with transaction.atomic():
        authorize(actor, organization, "tools.approve")
        who = _who(actor, organization)
        tool = Tool.objects.for_org(organization).select_for_update().filter(pk=tool_id).first()
        if tool is None:
            raise NotFoundError("no such tool")
        if tool.approved is not None:
            raise Conflict(f"{tool.name!r} is approved already")
        m.approve_tool(str(tool.proposed_by.public_id), who)
        tool.approved_by = person_for(actor.user)
        tool.approved = timezone.now()
        tool.save(update_fields=["approved_by", "approved"])
        append(
            actor,
            organization,
            "tool.approve",
            target=("tool", tool.name),
            after={"actions": ["FPN-SEED-7.A2"]},
        )
    return tool


# -- Maintenance ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestMaintenance:
    asset_tag: str
    where: str
    by: str
    reason: str
    technician: int
    corrects: int | None = None  # the number of a closed record this one corrects


def request_maintenance(actor: Actor, organization: Organization, command: RequestMaintenance) -> Maintenance:
    try:
        where, by = m.Where(command.where), m.By(command.by)
    except ValueError as err:
        raise InputError(str(err)) from err
    with transaction.atomic():
        authorize(actor, organization, "maintenance.request")
        who = _who(actor, organization)
        device = _device(organization, command.asset_tag, lock=True)
        person = people(organization).get(str(command.technician))
        if person is None:
            raise NotFoundError("no such technician", hint="add them in Personnel first")
        old = None
        if command.corrects is not None:
            old = Maintenance.objects.for_org(organization).filter(number=command.corrects).first()
            if (
                old is None
                or old.state not in (m.State.CLOSED, m.State.REJECTED)
                or old.device_id != device.pk
            ):
                raise Conflict("only a closed or rejected record of the same device can be corrected")
        record = m.request(
            who,
            device_type=device.device_type,
            where=where,
            by=by,
            reason=command.reason,
            technician=person,
            now=timezone.now(),
            corrects=f"M-{old.number}" if old else "",
        )
        last = Maintenance.objects.for_org(organization).aggregate(n=Max("number"))["n"] or 0
        row = Maintenance(organization=organization, number=last + 1, device=device, corrects=old)
        row.store(record)
        row.save(force_insert=True)
        append(
            actor,
            organization,
            "maintenance.request",
            target=("maintenance", f"M-{row.number}"),
            after={
                "device": device.asset_tag,
                "where": where.value,
                "by": by.value,
                "corrects": record.corrects,
                "actions": list(record.actions),
            },
            why=command.reason,
        )
    return row


@dataclass(frozen=True)
class Approve:
    note: str = ""


@dataclass(frozen=True)
class Reject:
    note: str


@dataclass(frozen=True)
class Attest:
    method: str
    by: str
    when: datetime
    evidence_name: str
    evidence: bytes


@dataclass(frozen=True)
class Ship:
    pass


@dataclass(frozen=True)
class Receive:
    pass


@dataclass(frozen=True)
class Perform:
    technician: int
    escort: int | None
    when: datetime
    what: str
    tools: tuple[str, ...]
    session: m.RemoteSession | None = None


@dataclass(frozen=True)
class Verify:
    results: dict[str, bool]
    note: str = ""


@dataclass(frozen=True)
class Close:
    pass


StepCommand = Approve | Reject | Attest | Ship | Receive | Perform | Verify | Close
STEP_NAMES: dict[type, str] = {
    Approve: "approve",
    Reject: "reject",
    Attest: "attest",
    Ship: "ship",
    Receive: "receive",
    Perform: "perform",
    Verify: "verify",
    Close: "close",
}


def step(actor: Actor, organization: Organization, number: int, command: StepCommand) -> Maintenance:
    """Move maintenance record M-<number> on by one step; the core decides whether it may."""
    name = STEP_NAMES[type(command)]
    if isinstance(command, Attest) and len(command.evidence) > MAX_EVIDENCE:
        raise InputError("the evidence file is larger than 5 MiB")
    with transaction.atomic():
        authorize(actor, organization, m.PERMISSION[name])
        who = _who(actor, organization)
        row = Maintenance.objects.for_org(organization).select_for_update().filter(number=number).first()
        if row is None:
            raise NotFoundError(f"no maintenance record M-{number}")
        before = row.record()
        now = timezone.now()
        after = _apply(before, who, command, organization, now=now, rules=policy_for(organization))
        row.store(after)
        row.save(update_fields=["data", "state", "where"])
        if isinstance(command, Attest):
            Evidence(
                organization=organization,
                maintenance=row,
                name=command.evidence_name[:200],
                sha256=hashlib.sha256(command.evidence).hexdigest(),
                content=command.evidence,
            ).save(force_insert=True)
        _follow(row, after, organization, now)
        append(
            actor,
            organization,
            f"maintenance.{name}",
            target=("maintenance", f"M-{row.number}"),
            before={"state": before.state.value},
            after={
                "state": after.state.value,
                "device": row.device.asset_tag,
                "actions": list(m.ACTIONS[name]),
                "note": after.history[-1].note[:500],
            },
        )
        if after.state is m.State.FAILED:  # besides the alert, someone looks at why (FPN-SEED-6.A2)
            from .review_services import open_for_failure

            open_for_failure(actor, organization, row, now.date())
    return row


def _apply(
    record: m.Record,
    who: m.Who,
    command: StepCommand,
    organization: Organization,
    *,
    now: datetime,
    rules: m.Policy,
) -> m.Record:
    match command:
        case Approve(note):
            return m.approve(record, who, now=now, note=note)
        case Reject(note):
            return m.reject(record, who, now=now, note=note)
        case Attest():
            digest = hashlib.sha256(command.evidence).hexdigest() if command.evidence else ""
            attestation = m.Attestation(
                command.method, command.by, command.when, command.evidence_name, digest
            )
            return m.attest(record, who, attestation, now=now)
        case Ship():
            return m.ship(record, who, rules, now=now)
        case Receive():
            return m.receive(record, who, now=now)
        case Perform():
            work = m.Performed(
                str(command.technician),
                str(command.escort) if command.escort is not None else "",
                command.when,
                command.what,
                command.tools,
                command.session,
            )
            return m.perform(
                record,
                who,
                work,
                people=people(organization),
                approved_tools=approved_tools(organization),
                now=now,
            )
        case Verify(results, note):
            return m.verify(record, who, results, rules, now=now, note=note)
        case Close():
            return m.close(record, who, now=now)
    raise AssertionError(command)  # pragma: no cover - the union is exhaustive


def _follow(row: Maintenance, record: m.Record, organization: Organization, now: datetime) -> None:
    """The device's status and alerts after a step (a failed check restricts it, FPN-SEED-22.A2)."""
    device = Device.objects.for_org(organization).select_for_update().get(pk=row.device_id)
    if record.state is m.State.FAILED:
        failed = [item for item, ok in record.verifications[-1].results.items() if not ok]
        Alert(
            organization=organization,
            device=device,
            maintenance=row,
            message=("verification failed: " + "; ".join(failed))[:1000],
            raised=now,
        ).save(force_insert=True)
    if record.state is m.State.VERIFIED:
        Alert.objects.for_org(organization).filter(maintenance=row, resolved=None).update(resolved=now)
    status = m.device_status(record)
    open_alerts = Alert.objects.for_org(organization).filter(device=device, resolved=None).exists()
    if open_alerts:
        status = "restricted"
    if status is not None and device.status not in (status, "retired"):
        device.status = status
        device.save(update_fields=["status"])


# -- Policies and procedures -----------------------------------------------------------------------


def current_policy(organization: Organization) -> PolicyVersion | None:
    """The latest approved version, which the maintenance rules follow."""
    return (
        PolicyVersion.objects.for_org(organization).filter(approved__isnull=False).order_by("-number").first()
    )


def policy_for(organization: Organization) -> m.Policy:
    current = current_policy(organization)
    if current is None:
        return POLICY
    return m.Policy(removal_days=int(json.loads(current.parameters)["removal_days"]))


def parameters_of(version: PolicyVersion) -> policy.Parameters:
    raw = json.loads(version.parameters)
    return policy.Parameters(
        agency=str(raw["agency"]),
        removal_days=int(raw["removal_days"]),
        review_months=int(raw["review_months"]),
        approver_role=str(raw["approver_role"]),
        documentation_roles=tuple(str(r) for r in raw["documentation_roles"]),
    )


def ack_roles(chosen: Sequence[str] | None) -> tuple[str, ...]:
    """The roles asked to acknowledge a version, in the role table's order; ``None`` means all."""
    if chosen is None:
        return tuple(ROLES)
    unknown = sorted(set(chosen) - set(ROLES))
    if unknown:
        raise InputError(
            f"unknown role {unknown[0][:20]!r} to acknowledge the policy", hint="use: " + ", ".join(ROLES)
        )
    if not chosen:
        raise InputError("a policy version applies to at least one role", hint="use: " + ", ".join(ROLES))
    return tuple(r for r in ROLES if r in chosen)


def draft_policy(
    actor: Actor,
    organization: Organization,
    parameters: policy.Parameters,
    applies_to: Sequence[str] | None = None,
) -> PolicyVersion:
    documents = policy.generate(parameters)
    roles = ack_roles(applies_to)
    with transaction.atomic():
        authorize(actor, organization, "policy.edit")
        last = PolicyVersion.objects.for_org(organization).aggregate(n=Max("number"))["n"] or 0
        version = PolicyVersion(
            organization=organization,
            number=last + 1,
            parameters=json.dumps(dataclasses.asdict(parameters), sort_keys=True),
            documents=json.dumps(policy.to_json(documents), sort_keys=True),
            author=person_for(actor.user),
            ack_roles=",".join(roles),
        )
        version.save(force_insert=True)
        append(
            actor,
            organization,
            "policy.draft",
            target=("policy", str(version.number)),
            after={
                "parameters": json.loads(version.parameters),
                "acknowledged_by_roles": list(roles),
                "actions": ["FPN-SEED-1.A1", "FPN-SEED-2.A1"],
            },
        )
    return version


def approve_policy(actor: Actor, organization: Organization, number: int) -> PolicyVersion:
    with transaction.atomic():
        authorize(actor, organization, "policy.approve")
        version = (
            PolicyVersion.objects.for_org(organization).select_for_update().filter(number=number).first()
        )
        if version is None:
            raise NotFoundError(f"no policy version {number}")
        if version.approved is not None:
            raise Conflict(f"version {number} is approved already")
        approver = person_for(actor.user)
        if approver.pk == version.author_id:
            raise Forbidden(
                "the author of a policy version cannot approve it (separation of duties)",
                hint="ask another member with policy.approve",
            )
        version.approved_by = approver
        version.approved = timezone.now()
        version.save(update_fields=["approved_by", "approved"])
        append(
            actor, organization, "policy.approve", target=("policy", str(number)), after={"approved": True}
        )
    return version


def acknowledge(actor: Actor, organization: Organization, number: int) -> Acknowledgement:
    """The member has read this approved version (distribution, FPN-SEED-5.A2 and FPN-SEED-20.A1)."""
    with transaction.atomic():
        member = authorize(actor, organization, "device.view")
        version = PolicyVersion.objects.for_org(organization).filter(number=number).first()
        if version is None:
            raise NotFoundError(f"no policy version {number}")
        if version.approved is None:
            raise Conflict("only an approved version can be acknowledged")
        if member.role not in version.roles():
            raise Forbidden(
                f"version {number} applies to the roles {', '.join(version.roles())};"
                f" as {member.role} you are not asked to acknowledge it",
                hint="an owner can change your role, or a new version can include it",
            )
        person = person_for(actor.user)
        if Acknowledgement.objects.for_org(organization).filter(version=version, person=person).exists():
            raise Conflict("you have acknowledged this version already")
        made = Acknowledgement(organization=organization, version=version, person=person)
        made.save(force_insert=True)
        append(
            actor,
            organization,
            "policy.acknowledge",
            target=("policy", str(number)),
            after={"actions": ["FPN-SEED-5.A2", "FPN-SEED-20.A1"]},
        )
    return made
