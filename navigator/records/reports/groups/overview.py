"""The "Overview" section: sessions and how they ended, and the weekly trend.

Computed first, always: every later group pins the cells it publishes here (the
headline and its weeks), so no later table can change or give away what it shows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from navigator.records.reports.groups.common import (
    Published,
    published,
    withheld_if,
)
from navigator.records.reports.suppression import Hidden, share
from navigator.records.reports.tables import Chart, Column, Drill, Filters, Table

if TYPE_CHECKING:
    from navigator.records.reports.review import Review


def build(
    review: Review, filters: Filters, pinned: Published
) -> tuple[tuple[Table, ...], Published]:
    labels = {
        "sessions": "Sessions",
        "reached_services": "Reached services",
        "unmet": "Ended in unmet need",
        "safeguarding": "Shown safeguarding contacts",
        "gave_up": "Gave up",
    }
    weeks: dict[int, Counter[str]] = defaultdict(Counter)
    for row in review.overview_rows(filters):  # by week and language: summed over languages
        weeks[int(row.week)].update({key: int(getattr(row, key)) for key in labels})
    ledger = review.ledger()
    for key in labels:
        ledger.count(("headline", key), sum(week[key] for week in weeks.values()))
    week_count = -(-filters.period.days // 7)
    for week in range(week_count):
        ledger.count(("week", week, "sessions"), weeks[week]["sessions"])
        ledger.count(("week", week, "unmet"), weeks[week]["unmet"])
    for measure in ("sessions", "unmet"):
        ledger.relate(("headline", measure), [("week", w, measure) for w in range(week_count)])
    sessions = ledger.figure(("headline", "sessions"))
    headline = Table(
        key="headline",
        title="Sessions and how they ended",
        columns=(
            Column("measure", "Measure", "label"),
            Column("count", "Sessions"),
            Column("share", "Share of sessions (%)", "share"),
        ),
        rows=tuple(
            (
                label,
                ledger.figure(("headline", key)),
                None if key == "sessions" else share(ledger.figure(("headline", key)), sessions),
            )
            for key, label in labels.items()
        ),
        drill=(None, None, Drill("Sessions ending in unmet need", unmet_only=True), None, None),
    )
    starts = [filters.period.start + dt.timedelta(days=7 * w) for w in range(week_count)]
    weekly = Table(
        key="weekly",
        title="Weekly trend",
        note="Weeks start on the first day of the period; the last week may be short.",
        columns=(
            Column("week", "Week starting", "date"),
            Column("sessions", "Sessions"),
            Column("unmet", "Ended in unmet need"),
        ),
        rows=tuple(
            (
                start.isoformat(),
                ledger.figure(("week", w, "sessions")),
                ledger.figure(("week", w, "unmet")),
            )
            for w, start in enumerate(starts)
        ),
        chart=Chart("line", "week", "unmet"),
        drill=tuple(
            Drill(f"Unmet need in the week from {start}", week_start=start, unmet_only=True)
            if not isinstance(ledger.figure(("week", w, "unmet")), Hidden)
            else None
            for w, start in enumerate(starts)
        ),
    )
    return withheld_if(ledger, (headline, weekly)), published(ledger)
