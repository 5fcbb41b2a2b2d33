"""The "Side by side" section: site against site, channel against channel, in one table each.

Each measure's rows add up to the overview's published figure (pinned), so both tables
share one ledger with it. A "Compare places" section would be a module like this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from navigator.records.reports import queries as q
from navigator.records.reports.groups.common import (
    Published,
    pin_headline,
    published,
    published_order,
    share_of,
)
from navigator.records.reports.suppression import Ledger
from navigator.records.reports.tables import Chart, Column, Filters, Table, Value

if TYPE_CHECKING:
    from navigator.records.reports.review import Review

MEASURES = {
    "sessions": "Sessions",
    "reached_services": "Reached services",
    "unmet": "Ended in unmet need",
    "gave_up": "Gave up",
}


def build(
    review: Review, filters: Filters, pinned: Published
) -> tuple[tuple[Table, ...], Published]:
    """Site against site and channel against channel: the headline counts side by side.

    One ledger: each measure's sites add up to the overview's published total (pinned),
    and so do its channels, so neither table can give away a small count in the other.
    """
    ledger = review.ledger()
    for measure in MEASURES:
        pin_headline(ledger, pinned, measure)
    tables = []
    for column, title, label in (
        ("site", "Sites side by side", "Site"),
        ("channel", "Channels side by side (kiosk, advocate, web...)", "Channel"),
    ):
        rows = {row.key or "": row for row in review.rows(q.overview_by(column, filters))}
        for measure in MEASURES:
            keys = [
                ledger.count((column, key, measure), int(getattr(row, measure)))
                for key, row in rows.items()
            ]
            ledger.relate(("headline", measure), keys)
        tables.append((column, title, label, sorted(rows)))
    return tuple(
        _table(ledger, column, title, label, keys) for column, title, label, keys in tables
    ), published(ledger)


def _table(ledger: Ledger, column: str, title: str, label: str, keys: list[str]) -> Table:
    def sessions(key: str) -> Value:
        return ledger.figure((column, key, "sessions"))

    ordered = sorted(keys, key=lambda k: published_order(sessions(k), k or "(none)"))
    rows: list[tuple[Value, ...]] = []
    for key in ordered:
        cells: list[Value] = [key or "(none)", sessions(key)]
        for measure in list(MEASURES)[1:]:
            figure = ledger.figure((column, key, measure))
            cells += [figure, share_of(figure, sessions(key), False)]
        rows.append(tuple(cells))
    columns = [Column("label", label, "label"), Column("sessions", "Sessions")]
    for measure, heading in list(MEASURES.items())[1:]:
        columns += [Column(measure, heading), Column(f"{measure}_share", "%", "share")]
    return Table(
        key=f"compare_{column}s",
        title=title,
        note="Each row's shares are of its own sessions, so places and channels of "
        "different sizes can be compared; the chart shows the share that ended in unmet need.",
        columns=tuple(columns),
        rows=tuple(rows),
        chart=Chart("bar", "label", "unmet_share"),
    )
