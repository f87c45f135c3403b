"""Oversight of contractors and service providers: their obligations, audits done and due.

FPN-SEED-23.A1 asks the agency to make sure devices are used as the external service providers'
procedures require; the workspace keeps each provider's obligations and the audits of them, and
says when the next audit is due: the provider's interval after the last audit, or after the
provider was taken on when none was done.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from securable.errors import InputError

KINDS = ("contractor", "service provider", "manufacturer")
OUTCOMES = ("satisfactory", "findings", "failed")
ACTIONS = ("FPN-SEED-23.A1",)


def add_months(day: date, months: int) -> date:
    """``day`` moved on by ``months``, clamped to the end of a shorter month (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_interval(months: int) -> None:
    if not 1 <= months <= 60:
        raise InputError("audit interval: 1 to 60 months")


@dataclass(frozen=True)
class Due:
    day: date
    overdue_days: int  # 0 when not overdue

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def next_audit(since: date, last_audit: date | None, every_months: int, today: date) -> Due:
    day = add_months(last_audit or since, every_months)
    return Due(day, max(0, (today - day).days))
