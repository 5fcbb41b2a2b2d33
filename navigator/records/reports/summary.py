"""An executive summary: up to five sentences written from a report's published figures.

A commissioner reads the top of a report and may read no further, so the
summary says the few things the tables show most plainly: how sessions ended,
the largest unmet needs, the biggest change, where people give up most, and
who is likely to carry the cost. Each sentence names the table it comes from.

It reads only the published cells of the `Report` (never the records), and a
sentence uses a row only where every figure it quotes is shown: a hidden
figure ("<5", "[c]") is never put into words, nor hinted at by its rank.
"""

from __future__ import annotations

from dataclasses import dataclass

from navigator.records.reports.tables import Report, Table, Value


@dataclass(frozen=True)
class Sentence:
    text: str
    table_key: str
    table_title: str


def _number(value: Value) -> int | float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return None


def _count(value: int | float) -> str:
    return f"{value:,}"


def _find(report: Report, key: str) -> Table | None:
    return next((table for table in report.tables if table.key == key), None)


def _cell(table: Table, row: tuple[Value, ...], column: str) -> Value:
    try:
        return row[table.column_index(column)]
    except KeyError:
        return None


def _body(table: Table) -> tuple[tuple[Value, ...], ...]:
    return table.rows[: len(table.rows) - table.totals]


def _overview(report: Report) -> Sentence | None:
    table = _find(report, "headline")
    if table is None:
        return None
    rows = {str(row[0]): row for row in table.rows}
    sessions = _number(rows["Sessions"][1]) if "Sessions" in rows else None
    if not sessions:
        return None
    parts = []
    for label in ("Ended in unmet need", "Reached services"):
        row = rows.get(label)
        count = _number(row[1]) if row else None
        rate = _number(_cell(table, row, "share")) if row else None
        if count is not None and rate is not None:
            parts.append(f"{_count(count)} ({rate:.1f}%) {label.lower()}")
    if not parts:
        return None
    return Sentence(
        f"Of {_count(sessions)} sessions, " + " and ".join(parts) + ".", table.key, table.title
    )


def _largest_needs(report: Report) -> Sentence | None:
    table = _find(report, "unmet_by_need")
    if table is None:
        return None
    shown = [
        (str(row[0]), count, _number(_cell(table, row, "per_1000")))
        for row in _body(table)
        if (count := _number(_cell(table, row, "current")))
    ][:3]
    if not shown:
        return None
    named = [
        f"{label} ({_count(count)} records"
        + (f", {rate:.1f} per 1,000 sessions)" if rate is not None else ")")
        for label, count, rate in shown
    ]
    return Sentence("The largest unmet needs were " + _join(named) + ".", table.key, table.title)


def _biggest_change(report: Report) -> Sentence | None:
    table = _find(report, "unmet_by_need")
    if table is None:
        return None
    changes = []
    for row in _body(table):
        moved = _number(_cell(table, row, "change"))
        before = _number(_cell(table, row, "previous"))
        if moved and before is not None:
            changes.append((abs(moved), str(row[0]), moved, before))
    if not changes:
        return None
    _, label, moved, before = max(changes, key=lambda c: (c[0], c[1]))
    direction = "rose" if moved > 0 else "fell"
    return Sentence(
        f"The biggest change from the period before was in {label}, which {direction} by "
        f"{_count(abs(moved))} (from {_count(before)}).",
        table.key,
        table.title,
    )


def _giving_up(report: Report) -> Sentence | None:
    table = _find(report, "gave_up_by_topic")
    if table is None:
        return None
    rated = [
        (rate, str(row[0]), count)
        for row in _body(table)
        if (rate := _number(_cell(table, row, "rate"))) is not None
        and (count := _number(_cell(table, row, "count")))
    ]
    if not rated:
        return None
    rate, label, count = max(rated, key=lambda r: (r[0], r[1]))
    where = label[0].lower() + label[1:] if label.startswith("Before") else f"in {label}"
    return Sentence(
        f"People gave up most often {where}: {_count(count)} sessions ({rate:.1f}%).",
        table.key,
        table.title,
    )


def _cost(report: Report) -> Sentence | None:
    """The indicative cost in pounds, from the cost table's published figures only."""
    table = _find(report, "unmet_cost_by_agency")
    if table is None or not table.rows or table.withheld:
        return None
    total = table.rows[-1]
    low, high = _number(_cell(table, total, "low")), _number(_cell(table, total, "high"))
    if not high or low is None:
        return None
    central = _number(_cell(table, total, "central"))
    middle = f" (central estimate £{_count(central)})" if central else ""
    first = _body(table)[0]
    first_low, first_high = (
        _number(_cell(table, first, "low")),
        _number(_cell(table, first, "high")),
    )
    most = (
        f", most of it for {first[0]} (£{_count(first_low)} to £{_count(first_high)})"
        if first_low is not None and first_high
        else ""
    )
    return Sentence(
        f"Unmet need this period may cost other agencies roughly £{_count(low)} to "
        f"£{_count(high)} later{middle}{most}; an indication from content staff's estimates and "
        "published unit costs.",
        table.key,
        table.title,
    )


def _who_pays(report: Report) -> Sentence | None:
    found = _cost(report)
    if found is not None:
        return found
    table = _find(report, "unmet_by_agency")
    if table is None or not table.rows:
        return None
    row = table.rows[0]
    count = _number(_cell(table, row, "count"))
    if not count:
        return None
    return Sentence(
        f"The agency most likely to carry the later cost is {row[0]} "
        f"({_count(count)} records of unmet need).",
        table.key,
        table.title,
    )


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def summarise(report: Report) -> tuple[Sentence, ...]:
    """At most five sentences, each from one table's shown figures; fewer if figures are hidden."""
    found = (
        make(report) for make in (_overview, _largest_needs, _biggest_change, _giving_up, _who_pays)
    )
    return tuple(sentence for sentence in found if sentence is not None)[:5]
