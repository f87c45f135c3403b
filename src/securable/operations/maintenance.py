"""Maintenance records as a state machine: request, approve, perform, verify, close.

Each transition is a pure function ``(record, who, details, now) -> new record`` that either returns
the next record or raises :class:`Refused` with the reason and how to proceed. A record never changes
in place, and a closed one has no transition left: a correction is a new record naming the old one.

Offsite repair adds two steps between approval and performance: the device may leave only with an
attestation that its data was removed, made no longer ago than the policy allows, and comes back
before the work done is recorded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from securable.errors import UsageError

# The seed page's Agency actions each step carries out (see ``securable.operations.actions``).
ACTIONS: dict[str, tuple[str, ...]] = {
    "request": ("FPN-SEED-1.A1",),
    "approve": ("FPN-SEED-1.A1",),
    "reject": ("FPN-SEED-1.A1",),
    "attest": ("FPN-SEED-2.A1", "FPN-SEED-2.A2"),
    "ship": ("FPN-SEED-2.A1",),
    "receive": ("FPN-SEED-2.A1",),
    "perform": ("FPN-SEED-1.A1", "FPN-SEED-4.A1", "FPN-SEED-5.A1", "FPN-SEED-7.A1", "FPN-SEED-8.A1"),
    "verify": ("FPN-SEED-22.A1", "FPN-SEED-22.A2"),
    "close": ("FPN-SEED-1.A1",),
}
NONLOCAL_ACTIONS = ("FPN-SEED-3.A1", "FPN-SEED-3.A2")

# The permission each step needs (the workspace's role table grants them).
PERMISSION: dict[str, str] = {
    "request": "maintenance.request",
    "approve": "maintenance.approve",
    "reject": "maintenance.approve",
    "attest": "maintenance.perform",
    "ship": "maintenance.perform",
    "receive": "maintenance.perform",
    "perform": "maintenance.perform",
    "verify": "maintenance.approve",
    "close": "maintenance.approve",
}


class Refused(UsageError):
    """A transition the record's state, the rules or the person's authorization do not allow."""


class State(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    OFFSITE = "offsite"  # shipped for repair, data removal attested
    RETURNED = "returned"  # back from offsite, waiting for the record of what was done
    PERFORMED = "performed"
    FAILED = "failed"  # verification failed: the device stays restricted until a new attempt passes
    VERIFIED = "verified"
    CLOSED = "closed"


FINAL = frozenset({State.REJECTED, State.CLOSED})

# Which step is allowed from which state; the tests walk every pair.
ALLOWED: dict[str, frozenset[State]] = {
    "approve": frozenset({State.REQUESTED}),
    "reject": frozenset({State.REQUESTED}),
    "attest": frozenset({State.APPROVED}),
    "ship": frozenset({State.APPROVED}),
    "receive": frozenset({State.OFFSITE}),
    "perform": frozenset({State.APPROVED, State.RETURNED, State.FAILED}),
    "verify": frozenset({State.PERFORMED}),
    "close": frozenset({State.VERIFIED}),
}


class Where(StrEnum):
    LOCAL = "local"
    NONLOCAL = "nonlocal"  # remote maintenance or diagnostics over a network
    OFFSITE = "offsite"  # the device leaves the agency's facilities


class By(StrEnum):
    STAFF = "staff"
    MANUFACTURER = "manufacturer"
    CONTRACTOR = "contractor"


@dataclass(frozen=True)
class Who:
    """A user of the workspace acting on a record, with the permissions their role gives."""

    id: str
    permissions: frozenset[str]


@dataclass(frozen=True)
class Authorization:
    """What a maintenance person may do, until when (inclusive)."""

    expires: date
    unescorted: bool  # False: only with an escort named in the record
    device_types: frozenset[str]  # empty: every type


@dataclass(frozen=True)
class Technician:
    """A person who performs maintenance (staff, a manufacturer's or a contractor's)."""

    id: str
    name: str
    organization: str
    authorizations: tuple[Authorization, ...] = ()

    def authorization_for(self, device_type: str, day: date) -> Authorization | None:
        """The widest authorization valid on ``day`` for ``device_type`` (unescorted first)."""
        valid = [
            a
            for a in self.authorizations
            if a.expires >= day and (not a.device_types or device_type in a.device_types)
        ]
        valid.sort(key=lambda a: not a.unescorted)
        return valid[0] if valid else None


def check_authorized(person: Technician, device_type: str, day: date) -> Authorization:
    found = person.authorization_for(device_type, day)
    if found is not None:
        return found
    lapsed = [a for a in person.authorizations if not a.device_types or device_type in a.device_types]
    if lapsed:
        last = max(a.expires for a in lapsed)
        reason = (
            f"{person.name}'s authorization for {device_type or 'this device'} lapsed on {last.isoformat()}"
        )
    elif person.authorizations:
        reason = f"{person.name} is not authorized for device type {device_type!r}"
    else:
        reason = f"{person.name} has no maintenance authorization"
    raise Refused(reason, hint="renew the authorization in Personnel, or assign someone authorized")


@dataclass(frozen=True)
class Policy:
    """The agency's parameters that the rules enforce."""

    removal_days: int = 2  # data removal may be at most this many days before the device leaves
    checklist: tuple[str, ...] = (
        "device boots and reports its expected firmware version",
        "security settings match the approved configuration",
        "no maintenance accounts or remote sessions remain open",
        "logs show no unexpected events during maintenance",
    )


@dataclass(frozen=True)
class RemoteSession:
    """How nonlocal maintenance reached the device."""

    tool: str
    started: datetime
    ended: datetime
    connection: str  # e.g. the VPN or jump host, and the account used


@dataclass(frozen=True)
class Attestation:
    """Data removal before the device leaves the agency's facilities."""

    method: str
    by: str
    when: datetime
    evidence_name: str
    evidence_sha256: str


@dataclass(frozen=True)
class Performed:
    technician: str  # Technician.id
    escort: str  # Technician.id of the escort, or "" when unescorted
    when: datetime
    what: str
    tools: tuple[str, ...]
    session: RemoteSession | None


@dataclass(frozen=True)
class Verification:
    results: Mapping[str, bool]  # checklist item -> passed
    note: str
    by: str
    when: datetime

    @property
    def passed(self) -> bool:
        return all(self.results.values())


@dataclass(frozen=True)
class Step:
    """One transition in the record's history: who, when, and which Agency actions it carried out."""

    name: str
    by: str
    when: datetime
    state: State
    note: str = ""


@dataclass(frozen=True)
class Record:
    device_type: str
    where: Where
    by: By
    reason: str
    requester: str  # Who.id
    technician: str  # Technician.id assigned at request
    requested: datetime
    state: State = State.REQUESTED
    approver: str = ""
    attestation: Attestation | None = None
    shipped: datetime | None = None
    received: datetime | None = None
    performed: tuple[Performed, ...] = ()  # a failed verification is followed by a new attempt
    verifications: tuple[Verification, ...] = ()
    corrects: str = ""  # the id of the closed record this one corrects
    history: tuple[Step, ...] = field(default=())

    @property
    def actions(self) -> tuple[str, ...]:
        """The Agency actions this record carries out, in the order its steps did."""
        ids: list[str] = []
        for step in self.history:
            ids += [a for a in ACTIONS[step.name] if a not in ids]
        if self.where is Where.NONLOCAL:
            ids += [a for a in NONLOCAL_ACTIONS if a not in ids]
        return tuple(ids)


def _need(who: Who, step: str) -> None:
    if PERMISSION[step] not in who.permissions:
        raise Refused(
            f"{step}: your role does not allow {PERMISSION[step]}",
            hint="an owner of the organization can change your role",
        )


def _from(record: Record, step: str) -> None:
    if record.state in FINAL:
        raise Refused(
            f"the record is {record.state}: it cannot change",
            hint="record a correction: a new record linked to this one",
        )
    if record.state not in ALLOWED[step]:
        allowed = ", ".join(sorted(ALLOWED[step]))
        raise Refused(f"{step}: the record is {record.state}, and {step} needs it {allowed}")


def _next(
    record: Record, step: str, who: Who, now: datetime, state: State, *, note: str = "", **changes: object
) -> Record:
    history = (*record.history, Step(step, who.id, now, state, note))
    return dataclasses.replace(record, state=state, history=history, **changes)  # type: ignore[arg-type]


def request(
    who: Who,
    *,
    device_type: str,
    where: Where,
    by: By,
    reason: str,
    technician: Technician,
    now: datetime,
    corrects: str = "",
) -> Record:
    """A new request; the assigned technician must be authorized today for the device's type."""
    _need(who, "request")
    if not reason.strip():
        raise Refused("say what the maintenance is for", hint="fill in the reason")
    check_authorized(technician, device_type, now.date())
    record = Record(
        device_type=device_type,
        where=where,
        by=by,
        reason=reason.strip(),
        requester=who.id,
        technician=technician.id,
        requested=now,
        corrects=corrects,
    )
    return dataclasses.replace(record, history=(Step("request", who.id, now, State.REQUESTED),))


def approve(record: Record, who: Who, *, now: datetime, note: str = "") -> Record:
    _need(who, "approve")
    _from(record, "approve")
    if who.id == record.requester:
        raise Refused(
            "the requester cannot approve their own request (separation of duties)",
            hint="ask another member with maintenance.approve",
        )
    return _next(record, "approve", who, now, State.APPROVED, note=note, approver=who.id)


def reject(record: Record, who: Who, *, now: datetime, note: str) -> Record:
    _need(who, "reject")
    _from(record, "reject")
    if who.id == record.requester:
        raise Refused("the requester cannot decide on their own request (separation of duties)")
    if not note.strip():
        raise Refused("say why the request is rejected", hint="fill in the note")
    return _next(record, "reject", who, now, State.REJECTED, note=note)


def attest(record: Record, who: Who, attestation: Attestation, *, now: datetime) -> Record:
    """Record that the device's data was removed before it leaves for offsite repair."""
    _need(who, "attest")
    _from(record, "attest")
    if record.where is not Where.OFFSITE:
        raise Refused("data-removal attestations are for offsite repair")
    missing = [
        name
        for name, value in (
            ("method", attestation.method),
            ("by whom", attestation.by),
            ("evidence file", attestation.evidence_sha256),
        )
        if not value.strip()
    ]
    if missing:
        raise Refused(
            "the attestation lacks " + ", ".join(missing),
            hint="give the method, who removed the data and the evidence",
        )
    if attestation.when > now:
        raise Refused("the data removal cannot be in the future")
    return _next(record, "attest", who, now, record.state, note=attestation.method, attestation=attestation)


def ship(record: Record, who: Who, policy: Policy, *, now: datetime) -> Record:
    """The device leaves: only with an attestation no older than the policy's limit."""
    _need(who, "ship")
    _from(record, "ship")
    if record.where is not Where.OFFSITE:
        raise Refused("only offsite repairs are shipped")
    if record.attestation is None:
        raise Refused(
            "the device cannot leave without a data-removal attestation",
            hint="record how its data was removed, by whom, when, with the evidence file",
        )
    age = now - record.attestation.when
    if age > timedelta(days=policy.removal_days):
        raise Refused(
            f"the data removal is {age.days} days old; the policy allows {policy.removal_days}",
            hint="remove the data again and attest it",
        )
    return _next(record, "ship", who, now, State.OFFSITE, shipped=now)


def receive(record: Record, who: Who, *, now: datetime) -> Record:
    _need(who, "receive")
    _from(record, "receive")
    return _next(record, "receive", who, now, State.RETURNED, received=now)


def perform(
    record: Record,
    who: Who,
    work: Performed,
    *,
    people: Mapping[str, Technician],
    approved_tools: frozenset[str],
    now: datetime,
) -> Record:
    """Record the work: by an authorized person (or an escorted one, escort named), approved tools only."""
    _need(who, "perform")
    _from(record, "perform")
    if record.where is Where.OFFSITE and record.state is State.APPROVED:
        raise Refused("offsite repair: ship the device first", hint="attest the data removal, then ship")
    if not work.what.strip():
        raise Refused("say what was done", hint="fill in the work performed")
    if work.when > now:
        raise Refused("the work cannot be in the future")
    person = people.get(work.technician)
    if person is None:
        raise Refused(f"unknown technician {work.technician!r}", hint="add them in Personnel first")
    # Offsite, the manufacturer works under its own rules; what the agency controls is the removal.
    if record.where is not Where.OFFSITE:
        granted = check_authorized(person, record.device_type, work.when.date())
        if not granted.unescorted:
            escort = people.get(work.escort) if work.escort else None
            if escort is None:
                raise Refused(
                    f"{person.name} may work only escorted: name the escort",
                    hint="the escort must hold an unescorted authorization",
                )
            if (
                escort.id == person.id
                or not check_authorized(escort, record.device_type, work.when.date()).unescorted
            ):
                raise Refused(f"{escort.name} cannot escort: no unescorted authorization for this device")
    unapproved = sorted(set(work.tools) - approved_tools)
    if unapproved:
        raise Refused(
            "not on the approved diagnostic tools list: " + ", ".join(unapproved),
            hint="have the tool approved first (Tools), or use an approved one",
        )
    if record.where is Where.NONLOCAL:
        if work.session is None:
            raise Refused(
                "nonlocal maintenance needs the remote session's details",
                hint="give the tool, times and connection",
            )
        if work.session.ended < work.session.started:
            raise Refused("the remote session ends before it starts")
        if work.session.tool not in approved_tools:
            raise Refused(f"remote session tool {work.session.tool!r} is not approved")
    elif work.session is not None:
        raise Refused("a remote session belongs to nonlocal maintenance only")
    return _next(
        record, "perform", who, now, State.PERFORMED, note=work.what, performed=(*record.performed, work)
    )


def verify(
    record: Record, who: Who, results: Mapping[str, bool], policy: Policy, *, now: datetime, note: str = ""
) -> Record:
    """Check the device against the policy's checklist; a failure leaves the record FAILED."""
    _need(who, "verify")
    _from(record, "verify")
    if record.history and record.history[-1].by == who.id:
        raise Refused(
            "the person who recorded the work cannot verify it (separation of duties)",
            hint="ask another member with maintenance.approve",
        )
    missing = [item for item in policy.checklist if item not in results]
    extra = [item for item in results if item not in policy.checklist]
    if missing or extra:
        raise Refused(
            "answer exactly the policy's checklist",
            hint="missing: " + "; ".join(missing) if missing else None,
        )
    check = Verification(dict(results), note, who.id, now)
    state = State.VERIFIED if check.passed else State.FAILED
    return _next(record, "verify", who, now, state, note=note, verifications=(*record.verifications, check))


def close(record: Record, who: Who, *, now: datetime) -> Record:
    _need(who, "close")
    _from(record, "close")
    return _next(record, "close", who, now, State.CLOSED)


def device_status(record: Record) -> str | None:
    """The device status a record in this state imposes, or None when it imposes none."""
    return {
        State.APPROVED: "under maintenance",
        State.OFFSITE: "offsite",
        State.RETURNED: "under maintenance",
        State.PERFORMED: "under maintenance",
        State.FAILED: "restricted",  # controlled until the problem is resolved (FPN-SEED-22.A2)
        State.VERIFIED: "in service",
    }.get(record.state)


def approve_tool(proposer: str, who: Who) -> None:
    """A diagnostic tool goes on the approved list only by someone other than who proposed it."""
    if "tools.approve" not in who.permissions:
        raise Refused("your role does not allow tools.approve")
    if who.id == proposer:
        raise Refused(
            "the person who proposed a tool cannot approve it (separation of duties)",
            hint="ask another member with tools.approve",
        )
