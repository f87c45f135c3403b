"""The one "today" of a run: ``--date``, else ``SOURCE_DATE_EPOCH`` (reproducible builds), else the clock.

The core never reads the clock or the environment: it takes the day as an argument, and this is
where the CLI works it out, always as a UTC day so that a run gives the same date wherever it
happens. Kept apart from the assessment so the CLI can work out the date (for its result cache)
without importing the assessment machinery.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from securable.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Mapping


def clock_date() -> date:
    """Today's UTC day from the clock, whatever the build pins: what a date-sensitive warning (an
    expiring security.txt) must be judged against."""
    return datetime.now(UTC).date()


def run_date(given: str | None = None, environ: Mapping[str, str] | None = None) -> date:
    """``--date`` if given, else the UTC day of ``SOURCE_DATE_EPOCH``, else today's UTC day."""
    return pinned_date(given, environ) or datetime.now(UTC).date()


def pinned_date(given: str | None = None, environ: Mapping[str, str] | None = None) -> date | None:
    """The day the user fixed: ``--date`` if given, else the UTC day of ``SOURCE_DATE_EPOCH``, else None."""
    if given is not None:
        # fromisoformat alone also takes 20240101 and 2024W011; the help promises YYYY-MM-DD.
        shaped = len(given) == 10 and given[4] == given[7] == "-"
        try:
            if not shaped:
                raise ValueError(given)
            return date.fromisoformat(given)
        except ValueError as err:
            raise UsageError(f"--date {given!r} is not a date", hint="write it as YYYY-MM-DD") from err
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC).date()
        except (ValueError, OverflowError, OSError) as err:
            raise UsageError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970",
                hint="set it to a whole number, e.g. $(git log -1 --format=%ct), or unset it",
            ) from err
    return None
