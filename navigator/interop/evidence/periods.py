"""Published periods: fixed calendar months and quarters, nothing else.

Two packs whose periods overlap could be subtracted to find whoever came on
the days one has and the other lacks; fixed calendar periods never overlap
partly, so that subtraction is impossible.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class PeriodError(ValueError):
    """A period that is not a calendar month or quarter, with what to write instead."""


@dataclass(frozen=True)
class CalendarPeriod:
    """A calendar month (`2026-09`) or quarter (`2026-Q3`): its name, first and last day."""

    name: str
    start: dt.date
    end: dt.date

    @property
    def end_exclusive(self) -> dt.date:
        return self.end + dt.timedelta(days=1)


def parse_period(text: str) -> CalendarPeriod:
    """`2026-Q3` or `2026-09`, or `PeriodError` saying what a period must look like."""
    cleaned = text.strip().upper()
    if match := _QUARTER.match(cleaned):
        year, quarter = int(match[1]), int(match[2])
        start = dt.date(year, 3 * quarter - 2, 1)
        return CalendarPeriod(cleaned, start, _month_after(dt.date(year, 3 * quarter, 1)))
    if match := _MONTH.match(cleaned):
        start = dt.date(int(match[1]), int(match[2]), 1)
        return CalendarPeriod(cleaned, start, _month_after(start))
    raise PeriodError(
        f"'{text[:20]}' is not a period that can be published: give a calendar quarter like "
        "2026-Q3 or a month like 2026-09 (fixed periods cannot be subtracted from each other)"
    )


def _month_after(first: dt.date) -> dt.date:
    """The last day of the month that starts on `first`."""
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)
