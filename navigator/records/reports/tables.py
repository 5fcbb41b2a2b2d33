"""The published shape of every figure: protected tables, ready for a screen or an export.

Queries produce counts; `Ledger` decides what to hide; the builders in
`navigator.records.reports.figures` turn both into these tables. Nothing in a
`Table` is a real value of a hidden cell (a hidden cell is a `Hidden`), so the
dashboard and every export can show a table as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from navigator.records.reports.suppression import Hidden

ColumnKind = Literal["label", "count", "number", "rate", "change", "share", "text", "date"]
"""How a column's values read: labels and text are words, the rest are numbers.

`count` is a count of people (sessions, records), always protected; `number`
is anything else (residents of a district, months since a review)."""


@dataclass(frozen=True)
class NotAvailable:
    """A figure Navigator does not have: a rate for a district whose population is not
    configured, the period before when it lies before the first record. Exports print the
    GSS symbol "[x]"; the dashboard leaves it blank, as it does "not applicable"."""

    def __str__(self) -> str:
        return "[x]"


NOT_AVAILABLE = NotAvailable()

Value = str | int | float | Hidden | NotAvailable | None
"""One published cell. None is "not applicable" ("[z]": a change as a share of nothing)."""

ChartKind = Literal["bar", "line"]


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: ColumnKind = "count"

    @property
    def numeric(self) -> bool:
        return self.kind not in {"label", "text", "date"}


@dataclass(frozen=True)
class Chart:
    """Which columns a chart of this table plots: labels along one axis, a count along the other."""

    kind: ChartKind
    label_column: str
    value_column: str


@dataclass(frozen=True)
class Table:
    """One figure of the review: a titled table of published cells.

    `drill` says which drill-down each row opens (see `Drill`), one per row,
    or is empty when the rows have no pathways behind them.
    """

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]
    note: str = ""
    chart: Chart | None = None
    drill: tuple[Drill | None, ...] = ()
    totals: int = 0
    """How many rows at the end are totals (left out of charts, whose bars they would dwarf)."""
    withheld: bool = False
    """Withheld whole, because its figures could not be protected (the note says so)."""

    def column_index(self, key: str) -> int:
        for index, column in enumerate(self.columns):
            if column.key == key:
                return index
        raise KeyError(f"{self.key} has no column {key!r}")

    def values(self, column_key: str) -> list[Value]:
        index = self.column_index(column_key)
        return [row[index] for row in self.rows]

    def chart_points(self) -> list[tuple[Value, Value]]:
        """(label, value) for each row but the totals and rows with no value, for the chart."""
        if self.chart is None:
            return []
        body = self.rows[: len(self.rows) - self.totals]
        label = self.column_index(self.chart.label_column)
        value = self.column_index(self.chart.value_column)
        return [(row[label], row[value]) for row in body if row[value] not in (None, NOT_AVAILABLE)]

    def row_for(self, label: str) -> dict[str, Value]:
        """The row whose first cell is `label`, by column key (for tests and lookups)."""
        for row in self.rows:
            if row[0] == label:
                return {column.key: value for column, value in zip(self.columns, row, strict=True)}
        raise KeyError(f"{self.key} has no row {label!r}")


@dataclass(frozen=True)
class Drill:
    """What a figure counts, so its anonymous pathways can be fetched: filters on outcomes."""

    title: str
    need_id: str | None = None
    reason: str | None = None
    topic_id: str | None = None
    district: str | None = None
    agency: str | None = None
    abandoned_at: str | None = None
    week_start: dt.date | None = None
    unmet_only: bool = False
    """Only sessions that recorded unmet need (for the headline and weekly figures)."""
    asked_for_person: bool = False
    """Only sessions that asked to talk to a person. With `asked_topic` and `asked_node`, only
    those that first asked there, as the "asked for a person" tables count them."""
    asked_topic: str | None = None
    """The topic of the first request for a person ("": before choosing a topic)."""
    asked_node: str | None = None
    """The node of the first request for a person ("": none, before choosing a topic)."""


@dataclass(frozen=True)
class Period:
    """From the start of `start` to the end of `end` (both whole days, UTC)."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def snapped(self) -> Period:
        """The period widened to whole weeks (Monday to Sunday), or itself if whole months.

        Two reports whose periods differ by a day would give away whoever came that
        day, by subtraction; whole weeks and months never differ by less than a week.
        """
        if self.start.day == 1 and (self.end + dt.timedelta(days=1)).day == 1:
            return self
        start = self.start - dt.timedelta(days=self.start.weekday())
        end = self.end + dt.timedelta(days=6 - self.end.weekday())
        return Period(start, end)

    @property
    def previous(self) -> Period:
        """The period of the same length just before this one, for "change from before"."""
        length = dt.timedelta(days=self.days)
        return Period(self.start - length, self.start - dt.timedelta(days=1))

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as aware UTC datetimes, for an index range scan."""
        begin = dt.datetime.combine(self.start, dt.time(), tzinfo=dt.UTC)
        finish = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        return begin, finish

    def __str__(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


@dataclass(frozen=True)
class Filters:
    """What the review looks at: a period, and optionally one site, channel and topic."""

    period: Period
    site: str | None = None
    channel: str | None = None
    topic: str | None = None
    sites: tuple[str, ...] = ()
    """The manager's scope (setting `manager_sites`): only these sites' sessions count; empty:
    every site. Set by the `Review` from configuration, never by a filter on screen, so a
    council's manager in a database shared by several councils sees only its own sites."""

    def scope(self) -> str:
        """What the figures cover besides the period: "all sites, all channels, all topics"."""
        all_sites = f"the sites {', '.join(self.sites)}" if self.sites else "all sites"
        return ", ".join(
            f"{name} {value}" if value else (all_sites if name == "site" else f"all {name}s")
            for name, value in (
                ("site", self.site),
                ("channel", self.channel),
                ("topic", self.topic),
            )
        )

    def describe(self) -> str:
        parts = [str(self.period)]
        for name, value in (("site", self.site), ("channel", self.channel), ("topic", self.topic)):
            if value:
                parts.append(f"{name} {value}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Heading:
    """A section of a report as exports show it: its key, its title and its tables' keys."""

    key: str
    title: str
    tables: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """Every figure for one set of filters, protected, with what a reader needs to trust it."""

    title: str
    filters: Filters
    threshold: int
    generated_at: dt.datetime
    tables: tuple[Table, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    period_chosen: str = ""
    """How the period was chosen when nobody gave one (said in the report), else ""."""
    sections: tuple[Heading, ...] = ()
    """The sections the tables belong to, in order (the registry's); () for a report made
    of tables alone (a comparison), which exports show without section headings."""

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(f"the report has no table {key!r}")
