"""What every group of figures shares: the published cells, withholding, dates as printed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import replace

from navigator.records.reports.suppression import Hidden, Ledger, share
from navigator.records.reports.tables import Drill, Table, Value

Published = dict[Hashable, tuple[int, bool]]
"""Cells already shown by an earlier group: key -> (value, hidden)."""
"""Cells already shown by an earlier group: key -> (value, hidden)."""


WITHHELD = (
    "Withheld: these figures could not be protected, because too few people are behind them "
    "to hide a small number by hiding others. Nothing of this table is published."
)


def withheld_if(ledger: Ledger, tables: tuple[Table, ...]) -> tuple[Table, ...]:
    """`tables`, or each of them withheld whole (no rows, a note why) if `ledger` failed.

    A table that cannot be protected is never published: removing figures only
    ever takes away what a reader could use, so withholding is always safe.
    """
    if not ledger.unprotected:
        return tables
    return tuple(withheld(table) for table in tables)


def withheld_row(label: str, cells: int, threshold: int, why: str = WITHHELD) -> tuple[Value, ...]:
    """A row of a table protected row by row whose figures could not be protected:
    every figure hidden, and the last cell saying why (services, referrals)."""
    return (label, *[Hidden(threshold, primary=False)] * cells, why)


def withheld(table: Table) -> Table:
    return replace(table, rows=(), drill=(), chart=None, totals=0, note=WITHHELD, withheld=True)


def published(ledger: Ledger) -> Published:
    return {key: (value, ledger.is_hidden(key)) for key, value in ledger.values.items()}


def pin_headline(ledger: Ledger, pinned: Published, measure: str) -> tuple[str, str]:
    """Pin the overview's headline cell for `measure`, with its weeks and their sum.

    A reader sees the weekly trend beside the headline: nine weeks of "<5" say a
    hidden total is at least 9, and a table here that bounds it from above (sites
    "<5" and 5) would pin it. So the weeks come with the headline, fixed as the
    overview showed them, and this ledger protects its own cells around both.
    """
    key = ("headline", measure)
    value, hidden = pinned[key]
    ledger.pin(key, value, hidden)
    weeks = sorted(
        cell
        for cell in pinned
        if isinstance(cell, tuple) and len(cell) == 3 and cell[:1] + cell[2:] == ("week", measure)
    )
    if weeks:
        for week in weeks:
            ledger.pin(week, *pinned[week])
        ledger.relate(key, weeks)
    return key


BEFORE_TOPIC = "(before)"
"""The topic key of what happened before a topic was chosen."""


def pinned_figure(pinned: Published, key: Hashable, threshold: int) -> Value:
    """A cell the overview published, as it was published (hidden or the count)."""
    if key not in pinned:
        return None
    value, hidden = pinned[key]
    return Hidden(threshold, primary=0 < value < threshold) if hidden else value


def shown_drill(figure: Value, drill: Drill) -> Drill | None:
    """`drill` for a shown, non-zero figure; None for a hidden or empty one (nothing to show)."""
    return None if isinstance(figure, Hidden) or not figure else drill


def day(value: dt.datetime | str | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value).date()
    return value.date()


def iso(value: dt.datetime | str | None) -> str | None:
    found = day(value)
    return found.isoformat() if found else None


def months_between(earlier: dt.date, later: dt.date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def published_order(figure: Value, label: str) -> tuple[int, float, str]:
    """Sort key: largest published figure first, hidden figures last, ties by label.

    Never a hidden figure's real value: ordering rows by it would let a reader rank
    the "[c]" and "<5" cells, and so narrow down what was hidden.
    """
    if isinstance(figure, int | float) and not isinstance(figure, bool):
        return (0, -float(figure), label)
    return (1, 0.0, label)


def share_of(figure: Value, whole: Value, itself: bool) -> Value:
    """`figure` as a percentage of `whole` (None: not applicable), hidden with either."""
    if itself or whole is None:
        return None
    return share(figure_of(figure), figure_of(whole))


def figure_of(value: Value) -> int | float | Hidden:
    return value if isinstance(value, int | float | Hidden) else 0
