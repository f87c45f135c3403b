"""Documentation and parts requests to manufacturers: what was asked, the answers, follow-ups.

The seed asks the agency to document its attempts to obtain components or information
(FPN-SEED-18.A2, FPN-SEED-19.A1, FPN-SEED-19.A2). A request is drafted from the questions an
evaluation found for that vendor, so nothing the evaluation flagged is forgotten, and it moves
open -> answered -> closed; a follow-up is allowed while it is open or answered (an answer can be
incomplete), and a closed request stays closed: a new one is made instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from securable.errors import InputError, UsageError

KINDS = ("documentation", "parts")
STATUSES = ("open", "answered", "closed")
ACTIONS = ("FPN-SEED-18.A2", "FPN-SEED-19.A1", "FPN-SEED-19.A2", "FPN-SEED-23.A2")
MAX_TEXT = 200_000  # a draft lists every question an evaluation found (tens, with their text)

# Event -> the statuses it may follow and the status it leaves.
_MOVES: dict[str, tuple[frozenset[str], str | None]] = {
    "follow-up": (frozenset({"open", "answered"}), None),  # None: the status stays
    "answer": (frozenset({"open", "answered"}), "answered"),
    "close": (frozenset({"open", "answered"}), "closed"),
}
EVENTS = tuple(_MOVES)


class Refused(UsageError):
    """The request's status does not allow this event."""


def after(status: str, event: str) -> str:
    """The status a request has once ``event`` is recorded on it."""
    if event not in _MOVES:
        raise InputError(f"unknown event {event[:40]!r}", hint="use: " + ", ".join(EVENTS))
    allowed, then = _MOVES[event]
    if status not in allowed:
        raise Refused(
            f"a {status} request takes no {event}",
            hint="make a new request that refers to this one",
        )
    return then or status


def vendors(report: Mapping[str, Any]) -> list[str]:
    """The vendors an evaluation report asks questions of, in report order."""
    return list(dict.fromkeys(str(q.get("vendor", "")) for q in _questions(report) if q.get("vendor")))


def draft(report: Mapping[str, Any], vendor: str) -> str:
    """The text of a request to ``vendor``: one numbered item per question the evaluation found."""
    mine = [q for q in _questions(report) if str(q.get("vendor", "")) == vendor]
    if not mine:
        raise InputError(
            f"the evaluation has no questions for {vendor[:100]!r}",
            hint="choose a vendor the evaluation found gaps for",
        )
    lines = [
        f"We evaluated your product's package against our requirements and ask you for the"
        f" following ({len(mine)} item{'s' if len(mine) != 1 else ''}):",
        "",
    ]
    for number, q in enumerate(mine, start=1):
        about = str(q.get("group_title") or q.get("kind") or "").strip()
        refs = _strings(q.get("requirements"))
        text = " ".join(str(q.get("text", "")).split())
        lines.append(f"{number}. {f'[{about}] ' if about else ''}{text}")
        if refs:
            lines.append(f"   Requirements: {', '.join(refs[:20])}")
    return "\n".join(lines)[:MAX_TEXT]


def _questions(report: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = report.get("questions")
    return [q for q in found if isinstance(q, Mapping)] if isinstance(found, list) else []


def _strings(value: object) -> list[str]:
    items: Sequence[object] = value if isinstance(value, list) else ()
    return [str(v) for v in items if isinstance(v, str | int)]
