"""Compare places: this council's published unmet need beside other councils' packs.

Opened from the review with `c`. It reads packs, not the database: this
council's own (from the register of published packs) and those given with
`navigator manager --compare PACK...`, so what a manager sees here is what
`navigator compare` prints for the same packs. Packs that cannot stand beside
ours (missing, broken, another period, another crosswalk version) are left
out with a plain sentence each, never a traceback.

One measure at a time (by need or by reason, per 1,000 sessions or per
100,000 residents): a bar chart of this council's rates, the table of every
council with the spread and our place, and, for the row under the cursor,
each council's bar so a manager sees where this council sits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Header, LoadingIndicator, Select, Static

from navigator.interop.evidence.compare import Comparison, Line, Rate
from navigator.interop.evidence.gathering import Gathered, gather_sources
from navigator.interop.evidence.report_section import comparison_tables
from navigator.kb.knowledge import KnowledgeBase
from navigator.records.reports.tables import Chart, Column, Table
from navigator.tui.manager.figures import BarChart, FigureTable
from navigator.tui.manager.period_select import FilterSelect
from navigator.tui.manager.text import ManagerMsg, manager_text


@dataclass(frozen=True)
class Measure:
    title: str
    kind: str
    """"need" or "reason": which lines of the comparison."""
    per: str
    """"1000" (per 1,000 sessions) or "100k" (per 100,000 residents)."""
    table_key: str
    """The key of the matching table in `comparison_tables` (the HTML report's)."""

    def lines(self, comparison: Comparison) -> tuple[Line, ...]:
        return comparison.needs if self.kind == "need" else comparison.reasons

    def rates(self, line: Line) -> tuple[Rate, ...]:
        return line.per_1000 if self.per == "1000" else line.per_100k


MEASURES = {
    "need-sessions": Measure(
        "By need, per 1,000 sessions that asked", "need", "1000", "compare-need-sessions"
    ),
    "need-residents": Measure(
        "By need, per 100,000 residents", "need", "100k", "compare-need-residents"
    ),
    "reason-sessions": Measure(
        "By reason, per 1,000 sessions", "reason", "1000", "compare-reason-sessions"
    ),
    "reason-residents": Measure(
        "By reason, per 100,000 residents", "reason", "100k", "compare-reason-residents"
    ),
}


@dataclass(frozen=True)
class PackSources:
    """Where the view finds packs: the register of this council's published packs, and the
    packs given on the command line."""

    register: Path | None = None
    given: tuple[Path, ...] = ()


class CompareScreen(Screen[None]):
    CSS_PATH = Path(__file__).with_name("compare.tcss")
    BINDINGS = [
        Binding("escape", "close", "Back to the review"),
        Binding("m", "next_measure", "Next measure"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, sources: PackSources, knowledge: KnowledgeBase) -> None:
        super().__init__()
        self.sources = sources
        self.knowledge = knowledge
        """This council's knowledge base: the screen's words (`messages/manager.yaml`)."""
        self.gathered: Gathered | None = None
        self.measure = "need-sessions"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the packs…", id="compare-summary")
        yield Static("", id="compare-left-out")
        yield FilterSelect(
            [(measure.title, key) for key, measure in MEASURES.items()],
            id="compare-measure",
            value=self.measure,
            allow_blank=False,
        )
        yield VerticalScroll(id="compare-place")
        yield VerticalScroll(LoadingIndicator(), id="compare-body")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Compare places"
        self._read()

    @work(group="compare")
    async def _read(self) -> None:
        """Read the packs in a thread (20 packs are about 200,000 rows), then show them."""
        self.gathered = await asyncio.to_thread(
            gather_sources, self.sources.register, self.sources.given
        )
        await self._show_gathered()

    async def _show_gathered(self) -> None:
        gathered = self.gathered
        assert gathered is not None
        self.query_one("#compare-left-out", Static).update("\n".join(gathered.left_out))
        comparison = gathered.comparison
        if comparison is None:
            no_packs = manager_text(self.knowledge, ManagerMsg.NO_PACKS)
            self.query_one("#compare-summary", Static).update(no_packs)
            await self.query_one("#compare-body", VerticalScroll).remove_children()
            return
        self.query_one("#compare-summary", Static).update(summary(comparison))
        await self.show_measure(self.measure)

    # --- Measures -----------------------------------------------------------------

    @on(Select.Changed, "#compare-measure")
    async def _measure_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.measure:
            await self.show_measure(event.value)

    def action_next_measure(self) -> None:
        """Cycle through the four measures; the select follows, and shows the measure."""
        keys = list(MEASURES)
        following = keys[(keys.index(self.measure) + 1) % len(keys)]
        self.query_one("#compare-measure", Select).value = following

    async def show_measure(self, key: str) -> None:
        self.measure = key
        comparison = self.gathered.comparison if self.gathered else None
        if comparison is None:
            return
        measure = MEASURES[key]
        table = next(t for t in comparison_tables(comparison) if t.key == measure.table_key)
        body = self.query_one("#compare-body", VerticalScroll)
        await body.remove_children()
        figure = FigureTable(id="compare-table")
        await body.mount_all(
            [
                Static(table.title, classes="figure-title"),
                ours_chart(comparison, measure),
                figure,
                Static(table.note, classes="figure-note"),
            ]
        )
        figure.show(table)
        await self.show_place(0)

    # --- Where this council sits, for the row under the cursor ---------------------

    @on(DataTable.RowHighlighted, "#compare-table")
    async def _row(self, event: DataTable.RowHighlighted) -> None:
        await self.show_place(event.cursor_row)

    async def show_place(self, row: int) -> None:
        comparison = self.gathered.comparison if self.gathered else None
        lines = MEASURES[self.measure].lines(comparison) if comparison else ()
        if comparison is None or not 0 <= row < len(lines):
            return
        place = self.query_one("#compare-place", VerticalScroll)
        await place.remove_children()
        await place.mount(place_figure(comparison, MEASURES[self.measure], lines[row]))

    def action_close(self) -> None:
        self.dismiss(None)


def summary(comparison: Comparison) -> str:
    """One line for the packs, then the differences the comparison found (disclosure rules)."""
    ours = comparison.councils[comparison.ours]
    text = (
        f"{ours.period} · {len(comparison.councils)} places · ours: {ours.name} ({ours.code}) · "
        f"crosswalk {ours.crosswalk}"
    )
    return "\n".join([text, *comparison.differences])


def rate_chart(labels: Sequence[str], rates: Sequence[Rate]) -> BarChart:
    """The review's bar chart (one line per row, its own label) drawn from rates.

    A lower bound ("≥25.0") is drawn as long as its known part and printed with its sign,
    so a sum with a hidden count in it still has its bar; a rate that cannot be worked
    out (no sessions asked) has none."""
    columns = (Column("label", "", "label"), Column("rate", "", "rate"))
    chart = BarChart(Table("rates", "", columns, (), chart=Chart("bar", "label", "rate")))
    pairs = zip(labels, rates, strict=True)
    chart.points = [(label, rate.value, rate.text()) for label, rate in pairs]
    return chart


def ours_chart(comparison: Comparison, measure: Measure) -> BarChart:
    """This council's rate for every need (or reason), as the HTML report charts it."""
    lines = measure.lines(comparison)
    return rate_chart(
        [line.label for line in lines], [measure.rates(line)[comparison.ours] for line in lines]
    )


def place_figure(comparison: Comparison, measure: Measure, line: Line) -> Widget:
    """Every council's rate for one need or reason, highest first, ours marked."""
    rates = measure.rates(line)
    ours = comparison.ours
    names = [council.name for council in comparison.councils]
    values = [rate.value for rate in rates]
    order = sorted(range(len(values)), key=lambda i: (values[i] is None, -(values[i] or 0), i))
    labels = [names[i] + (" (ours)" if i == ours else "") for i in order]
    spread = line.spread(rates)
    low, middle, high = (f"{v:,.1f}" for v in spread) if spread else ("–", "–", "–")
    place = line.place(rates, ours)
    where = f"is {place} (highest first)" if place != "–" else "has no rate (a hidden count)"
    title = (
        f"{line.label}, {measure.title.split(', ', 1)[1]}: {comparison.councils[ours].name} "
        f"{where}; least {low}, median {middle}, most {high}"
    )
    return Vertical(
        Static(title, classes="figure-title"),
        rate_chart(labels, [rates[i] for i in order]),
        id="place-figure",
    )
