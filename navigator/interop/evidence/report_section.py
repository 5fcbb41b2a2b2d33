"""The comparison as report tables, so it reads like the rest of the HTML report.

A separate section module: it builds the records reports' own `Table`s (with a
bar chart of this council against the others) from a `Comparison`, and a
`Report` holding only them, which the reports' exporters render as HTML,
Markdown, CSV or JSON. The review does not need to know: a report that wants
a "Compare places" section appends `comparison_tables(...)` to its tables.
"""

from __future__ import annotations

import datetime as dt

from navigator.interop.evidence.compare import Comparison, Line, Rate
from navigator.interop.evidence.periods import PeriodError, parse_period
from navigator.records.reports.tables import (
    NOT_AVAILABLE,
    Chart,
    Column,
    Filters,
    Period,
    Report,
    Table,
    Value,
)


def _value(rate: Rate) -> Value:
    if rate.value is None:
        return NOT_AVAILABLE if rate.unknown else None
    return round(rate.value, 1) if not rate.lower_bound else f"≥{rate.value:,.1f}"


def _table(
    comparison: Comparison, key: str, title: str, lines: tuple[Line, ...], per: str
) -> Table:
    councils = comparison.councils
    ours = councils[comparison.ours]
    columns = [Column("code", "Need or reason", "label")]
    columns += [Column(f"c{index}", council.name, "rate") for index, council in enumerate(councils)]
    columns += [
        Column("min", "Least", "rate"),
        Column("median", "Median", "rate"),
        Column("max", "Most", "rate"),
        Column("place", f"{ours.name}'s place", "text"),
    ]
    rows = []
    for line in lines:
        rates = line.per_1000 if per == "1000" else line.per_100k
        spread = line.spread(rates)
        low, middle, high = (round(v, 1) for v in spread) if spread else (None, None, None)
        rows.append(
            (line.label, *(_value(rate) for rate in rates), low, middle, high,
             line.place(rates, comparison.ours))
        )  # fmt: skip
    note = (
        "Worked from each council's published (rounded) counts; ≥ marks a sum that leaves out "
        "a hidden count. The chart shows "
        f"{ours.name}. Councils: "
        + "; ".join(f"{c.name} {c.code}, {c.population:,} residents" for c in councils)
    )
    return Table(
        key=key,
        title=title,
        columns=tuple(columns),
        rows=tuple(rows),
        note=note,
        chart=Chart("bar", "code", f"c{comparison.ours}"),
    )


def comparison_tables(comparison: Comparison) -> list[Table]:
    """Four tables: by need and by reason, per 1,000 sessions and per 100,000 residents."""
    return [
        _table(comparison, "compare-need-sessions",
               "Compare places: unmet need per 1,000 sessions that asked, by need",
               comparison.needs, "1000"),
        _table(comparison, "compare-need-residents",
               "Compare places: unmet need per 100,000 residents, by need",
               comparison.needs, "100k"),
        _table(comparison, "compare-reason-sessions",
               "Compare places: unmet need per 1,000 sessions, by reason",
               comparison.reasons, "1000"),
        _table(comparison, "compare-reason-residents",
               "Compare places: unmet need per 100,000 residents, by reason",
               comparison.reasons, "100k"),
    ]  # fmt: skip


def comparison_report(comparison: Comparison, threshold: int = 8) -> Report:
    """A report of the comparison alone, for the reports' exporters."""
    name = comparison.councils[comparison.ours].period
    try:
        period = parse_period(name)
        dates = Period(period.start, period.end)
    except PeriodError:
        today = dt.datetime.now(dt.UTC).date()
        dates = Period(today, today)
    return Report(
        title=f"Compare places, {name}",
        filters=Filters(dates),
        threshold=threshold,
        generated_at=dt.datetime.now(dt.UTC),
        tables=tuple(comparison_tables(comparison)),
        notes=tuple(comparison.differences),
    )
