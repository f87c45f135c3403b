"""Reviews of IoT devices and systems: on the policy's schedule and after trigger events.

The seed page asks for reviews "according to organizationally-defined frequencies" (FPN-SEED-6.A1)
and "according to established trigger events defined by the manufacturer" (FPN-SEED-6.A2). These
rules (what a trigger opens, by when it is due, who gets it, how it is closed) have no Django in
them; the workspace stores reviews and calls these functions.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta

from securable.errors import InputError

# What opened a review. A failed verification already restricts the device (FPN-SEED-22.A2); the
# review is the look at why it failed, so it is due as soon as an incident's.
KINDS = ("scheduled", "advisory", "incident", "verification")
DUE_DAYS = {"scheduled": 30, "advisory": 14, "incident": 7, "verification": 7}
ACTIONS: dict[str, tuple[str, ...]] = {
    "scheduled": ("FPN-SEED-6.A1",),
    "advisory": ("FPN-SEED-6.A2",),
    "incident": ("FPN-SEED-6.A2",),
    "verification": ("FPN-SEED-6.A2", "FPN-SEED-22.A2"),
}
OUTCOMES = (
    "no action needed",
    "maintenance requested",
    "configuration changed",
    "device restricted",
    "device retired",
    "risk accepted",
)
SEVERITIES = ("low", "moderate", "high", "critical")
MAX_NOTE = 2000


def due(kind: str, opened: date) -> date:
    if kind not in DUE_DAYS:
        raise KeyError(f"unknown review kind {kind!r}")  # a typo in code, never a silent default
    return opened + timedelta(days=DUE_DAYS[kind])


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def scheduled_due(last: date | None, months: int, today: date) -> bool:
    """Whether a scheduled review of a system is due: never reviewed, or ``months`` have passed."""
    if months < 1:
        raise InputError("the review frequency must be at least one month")
    return last is None or add_months(last, months) <= today


def is_overdue(due_day: date, today: date) -> bool:
    return due_day < today


def pick_assignee(candidates: Sequence[tuple[str, int]]) -> str | None:
    """The candidate (id, open reviews) with the fewest open reviews; ties go to the first listed,
    so the choice is the same on every run over the same data."""
    best: tuple[str, int] | None = None
    for candidate in candidates:
        if best is None or candidate[1] < best[1]:
            best = candidate
    return best[0] if best else None


def check_outcome(outcome: str, note: str) -> None:
    """A completed review says what was decided and why; "risk accepted" needs the reason."""
    if outcome not in OUTCOMES:
        raise InputError(f"unknown outcome {outcome[:40]!r}", hint="choose one of: " + ", ".join(OUTCOMES))
    if not note.strip():
        raise InputError("say what was reviewed and why this outcome", hint="a sentence is enough")
    if len(note) > MAX_NOTE:
        raise InputError(f"the note is longer than {MAX_NOTE} characters")
