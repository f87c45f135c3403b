"""Service functions for reviews (see ``securable.web.service``): trigger events open them, a job
schedules them and reminds assignees, a member with ``review.complete`` closes them.

Reviews opened by the workspace itself (the schedule, a failed verification seen by the job) are
audit events with no actor ("system"); those opened by a member's upload or record name the member.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from securable.errors import InputError, NotFoundError
from securable.operations import advisory as adv
from securable.operations import reviews as rv
from securable.web.audit.models import Person
from securable.web.audit.record import append, person_for
from securable.web.orgs.models import Membership, Organization
from securable.web.orgs.roles import allows
from securable.web.service import Actor, Conflict, authorize

from .models import Device, Maintenance
from .review_models import Advisory, Incident, Review
from .services import current_policy, parameters_of

NO_SYSTEM = "(devices outside any system)"


def assignee(organization: Organization) -> Person | None:
    """The member allowed to complete reviews with the fewest open ones, among those of the approved
    policy's approver role when there are any; ties go by the order members joined in (the same
    data, the same choice)."""
    current = current_policy(organization)
    preferred = parameters_of(current).approver_role if current else ""
    members = [
        m
        for m in Membership.objects.filter(organization=organization).select_related("user").order_by("pk")
        if allows(m.role, "review.complete")
    ]
    members = [m for m in members if m.role == preferred] or members
    load = Counter(
        Review.objects.for_org(organization).filter(state="open").values_list("assignee_id", flat=True)
    )
    people = [person_for(m.user) for m in members]
    chosen = rv.pick_assignee([(str(p.pk), load[p.pk]) for p in people])
    return next((p for p in people if str(p.pk) == chosen), None)


def _open(
    actor: Actor | None,
    organization: Organization,
    kind: str,
    subject: str,
    *,
    today: date,
    device: Device | None = None,
    system: str = "",
    maintenance: Maintenance | None = None,
    advisory: Advisory | None = None,
    incident: Incident | None = None,
) -> Review:
    """A new open review and its event; runs inside the caller's transaction."""
    # Numbers are per organization: take the organization's row lock first (as the audit append
    # does), so two reviews opened at once on PostgreSQL wait instead of taking the same number.
    Organization.objects.select_for_update().filter(pk=organization.pk).exists()
    last = Review.objects.for_org(organization).aggregate(n=Max("number"))["n"] or 0
    person = assignee(organization)
    review = Review(
        organization=organization,
        number=last + 1,
        kind=kind,
        subject=subject[:500],
        system=system[:200],
        device=device,
        maintenance=maintenance,
        advisory=advisory,
        incident=incident,
        assignee=person,
        opened=today,
        due=rv.due(kind, today),
    )
    review.save(force_insert=True)
    append(
        actor,
        organization,
        "review.open",
        target=("review", f"R-{review.number}"),
        after={
            "state": "open",
            "kind": kind,
            "subject": review.subject,
            "device": device.asset_tag if device else "",
            "system": review.system,
            "maintenance": f"M-{maintenance.number}" if maintenance else "",
            "due": review.due.isoformat(),
            "assignee": str(person.public_id) if person else None,
            "actions": list(rv.ACTIONS[kind]),
        },
    )
    return review


def open_for_failure(actor: Actor, organization: Organization, row: Maintenance, today: date) -> Review:
    """A failed post-maintenance verification (called by the verify step, in its transaction)."""
    return _open(
        actor,
        organization,
        "verification",
        f"verification of M-{row.number} failed",
        today=today,
        device=row.device,
        maintenance=row,
    )


@dataclass(frozen=True)
class AdvisoryResult:
    advisory: Advisory
    reviews: list[Review]


def upload_advisory(actor: Actor, organization: Organization, content: bytes, name: str) -> AdvisoryResult:
    """Read a manufacturer advisory and open a review per register device it affects."""
    authorize(actor, organization, "review.trigger")  # before parsing: outsiders learn nothing
    read = adv.read(content, name)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        member = authorize(actor, organization, "review.trigger")
        if Advisory.objects.for_org(organization).filter(sha256=digest).exists():
            raise Conflict("this advisory was uploaded already", hint="see Reviews for what it opened")
        stored = Advisory(
            organization=organization,
            name=name[:200],
            title=read.title,
            format=read.format,
            sha256=digest,
            content=content,
            findings=json.dumps([asdict(f) for f in read.findings[:5000]]),
            uploaded_by=person_for(member.user),
        )
        stored.save(force_insert=True)
        devices = {
            d.asset_tag: d
            for d in Device.objects.for_org(organization).exclude(status="retired").exclude(product="")
        }
        keys = [adv.DeviceKey(d.asset_tag, d.vendor, d.product, d.version) for d in devices.values()]
        hits = adv.match(read.findings, keys)
        append(
            actor,
            organization,
            "advisory.upload",
            target=("advisory", digest[:16]),
            after={
                "name": stored.name,
                "format": read.format,
                "sha256": digest,
                "findings": len(read.findings),
                "devices": sorted(hits)[:1000],
                "actions": ["FPN-SEED-6.A2"],
            },
        )
        today = timezone.now().date()
        opened = []
        for tag in sorted(hits):
            said = sorted({f"{f.vulnerability} ({f.status})" for f in hits[tag]})
            subject = f"advisory {read.title or stored.name}: " + ", ".join(said)
            opened.append(
                _open(
                    actor,
                    organization,
                    "advisory",
                    subject,
                    today=today,
                    device=devices[tag],
                    advisory=stored,
                )
            )
    return AdvisoryResult(stored, opened)


@dataclass(frozen=True)
class RecordIncident:
    summary: str
    severity: str
    occurred: datetime
    asset_tag: str = ""  # empty: not tied to one device


def record_incident(actor: Actor, organization: Organization, command: RecordIncident) -> Review:
    summary = command.summary.strip()
    if not summary:
        raise InputError("describe the incident")
    if command.severity not in rv.SEVERITIES:
        raise InputError(
            f"unknown severity {command.severity[:20]!r}", hint="use: " + ", ".join(rv.SEVERITIES)
        )
    with transaction.atomic():
        member = authorize(actor, organization, "review.trigger")
        device = None
        if command.asset_tag.strip():
            device = Device.objects.for_org(organization).filter(asset_tag=command.asset_tag.strip()).first()
            if device is None:
                raise NotFoundError(f"no device with asset tag {command.asset_tag[:80]!r}")
        incident = Incident(
            organization=organization,
            device=device,
            summary=summary[:2000],
            severity=command.severity,
            occurred=command.occurred,
            recorded_by=person_for(member.user),
        )
        incident.save(force_insert=True)
        append(
            actor,
            organization,
            "incident.record",
            target=("incident", str(incident.pk)),
            after={
                "device": device.asset_tag if device else "",
                "severity": command.severity,
                "occurred": command.occurred.isoformat(),
                "actions": ["FPN-SEED-6.A2"],
            },
            why=summary[:500],
        )
        return _open(
            actor,
            organization,
            "incident",
            f"{command.severity} incident: {summary}",
            today=timezone.now().date(),
            device=device,
            incident=incident,
        )


def complete_review(actor: Actor, organization: Organization, number: int, outcome: str, note: str) -> Review:
    rv.check_outcome(outcome, note)
    with transaction.atomic():
        member = authorize(actor, organization, "review.complete")
        review = (
            Review.objects.for_org(organization)
            .select_for_update(of=("self",))  # PostgreSQL locks no nullable side of a join
            .select_related("device")
            .filter(number=number)
            .first()
        )
        if review is None:
            raise NotFoundError(f"no review R-{number}")
        if review.state == "completed":
            raise Conflict(f"R-{number} is completed already", hint="a completed review never changes")
        review.state = "completed"
        review.outcome = outcome
        review.note = note.strip()
        review.completed_by = person_for(member.user)
        review.completed = timezone.now()
        review.save(update_fields=["state", "outcome", "note", "completed_by", "completed"])
        append(
            actor,
            organization,
            "review.complete",
            target=("review", f"R-{number}"),
            before={"state": "open"},
            after={
                "state": "completed",
                "outcome": outcome,
                "note": review.note[:500],
                "device": review.device.asset_tag if review.device else "",
                "actions": list(rv.ACTIONS[review.kind]),
            },
        )
    return review


# -- The job: schedule and remind ----------------------------------------------------------------


def schedule_reviews(organization: Organization, today: date) -> list[Review]:
    """A scheduled review per system whose last one is older than the approved policy's review
    frequency (no approved policy: no schedule yet). Inside the caller's transaction."""
    current = current_policy(organization)
    if current is None:
        return []
    months = parameters_of(current).review_months
    systems = set(
        Device.objects.for_org(organization)
        .exclude(status="retired")
        .values_list("system", flat=True)
        .distinct()
    )
    last = dict(
        Review.objects.for_org(organization)
        .filter(kind="scheduled")
        .values("system")
        .annotate(last=Max("opened"))
        .values_list("system", "last")
    )
    opened = []
    for system in sorted(s or NO_SYSTEM for s in systems):
        if rv.scheduled_due(last.get(system), months, today):
            subject = f"scheduled review of {system} (every {months} months, policy v{current.number})"
            opened.append(_open(None, organization, "scheduled", subject, today=today, system=system))
    return opened


def send_reminders(organization: Organization, today: date) -> list[Review]:
    """Remind the assignee of every overdue open review once a day: an audit event each, and an
    e-mail when a mail server is configured (sent once the transaction commits)."""
    overdue = list(
        Review.objects.for_org(organization)
        .select_for_update(of=("self",))  # the review rows only: assignee and device may be null
        .filter(state="open", due__lt=today)
        .exclude(reminded=today)
        .select_related("assignee", "device")
        .order_by("due", "number")[:1000]
    )
    mail = bool(getattr(settings, "SMTP_HOST", ""))
    for review in overdue:
        review.reminded = today
        review.save(update_fields=["reminded"])
        to = review.assignee.email if review.assignee and review.assignee.erased is None else ""
        append(
            None,
            organization,
            "review.remind",
            target=("review", f"R-{review.number}"),
            after={
                "due": review.due.isoformat(),
                "days_overdue": (today - review.due).days,
                "assignee": str(review.assignee.public_id) if review.assignee else None,
                "device": review.device.asset_tag if review.device else "",
                "mailed": bool(mail and to),
            },
        )
        if mail and to:
            transaction.on_commit(lambda r=review, to=to: _mail(organization, r, to, today))
    return overdue


def _mail(organization: Organization, review: Review, to: str, today: date) -> None:
    from django.core.mail import send_mail

    send_mail(
        f"[{organization.name}] review R-{review.number} is overdue",
        f"Review R-{review.number} ({review.subject}) was due on {review.due.isoformat()}, "
        f"{(today - review.due).days} days ago.\n",
        None,
        [to],
        fail_silently=True,  # the reminder is recorded either way; a mail outage must not undo it
    )


@dataclass(frozen=True)
class Reminders:
    scheduled: int
    reminded: int


def run_reminders(organization: int, today: str = "") -> Reminders:
    """The job (``operations.reminders``): one organization's schedule and reminders, one transaction."""
    day = date.fromisoformat(today) if today else timezone.now().date()
    org = Organization.objects.filter(pk=organization).first()
    if org is None:
        return Reminders(0, 0)
    with transaction.atomic():
        scheduled = schedule_reviews(org, day)
        reminded = send_reminders(org, day)
    return Reminders(len(scheduled), len(reminded))
