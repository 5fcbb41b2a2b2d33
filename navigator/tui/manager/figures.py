"""Widgets that show protected tables: a titled DataTable, a chart, headline cards, paging.

They take `Table`s from `navigator.records.reports` as they are: hidden cells
are already "<5" or "[c]" there, so no widget here ever sees a small number.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Static
from textual_plotext import PlotextPlot

from navigator.records.reports.export import cell_text
from navigator.records.reports.review import Page
from navigator.records.reports.suppression import Hidden
from navigator.records.reports.tables import Drill, Table, Value


def dom_id(key: str) -> str:
    """A widget id for a table key (`funnel:carers` -> `funnel-carers`)."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", key)


def _cell(value: Value, numeric: bool) -> Text:
    text = cell_text(value, grouped=True)
    style = "italic" if isinstance(value, Hidden) else ""
    return Text(text, style=style, justify="right" if numeric else "left")


class FigureTable(DataTable[Text]):
    """A DataTable of one protected table; Enter on a row with pathways behind it drills down."""

    class DrillRequested(Message):
        def __init__(self, drill: Drill) -> None:
            super().__init__()
            self.drill = drill

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.shown: Table | None = None

    def show(self, table: Table) -> None:
        self.shown = table
        self.clear(columns=True)
        for column in table.columns:
            self.add_column(
                Text(column.title, justify="right" if column.numeric else "left"), key=column.key
            )
        for row in table.rows:
            self.add_row(
                *(
                    _cell(value, column.numeric)
                    for column, value in zip(table.columns, row, strict=True)
                )
            )

    @on(DataTable.RowSelected)
    def _drill(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.shown is None or not self.shown.drill:
            return
        drill = self.shown.drill[event.cursor_row]
        if drill is not None:
            self.post_message(self.DrillRequested(drill))


class FigureView(Vertical):
    """A figure with its title and note, a chart where the table names one, and the table."""

    DEFAULT_CSS = """
    FigureView { height: auto; margin-bottom: 1; }
    FigureView > .figure-title { text-style: bold; }
    FigureView > .figure-note { color: $text-muted; }
    FigureView > PlotextPlot { height: 14; }
    FigureView > FigureTable { height: auto; max-height: 24; }
    """

    def __init__(self, table: Table, *, chart: bool = True) -> None:
        super().__init__(id=f"figure-{dom_id(table.key)}", classes="figure")
        self.table = table
        self.with_chart = chart and table.chart is not None and bool(table.rows)

    def compose(self) -> ComposeResult:
        yield Static(self.table.title, classes="figure-title")
        if self.table.note:
            yield Static(self.table.note, classes="figure-note")
        if self.with_chart:
            yield PlotextPlot()
        if not self.table.rows:
            if not self.table.withheld:  # a withheld table's note says why it is empty
                yield Static("No records for these filters.", classes="figure-empty")
        else:
            yield FigureTable(id=f"table-{dom_id(self.table.key)}")

    def on_mount(self) -> None:
        if self.table.rows:
            self.query_one(FigureTable).show(self.table)
        if self.with_chart:
            plot = self.query_one(PlotextPlot)
            if self.table.chart is not None and self.table.chart.kind == "bar":
                bars = len(self.table.chart_points())
                plot.styles.height = max(6, min(16, 4 + 2 * bars))
            draw_chart(plot, self.table)


def draw_chart(plot: PlotextPlot, table: Table) -> None:
    """Bars or a line of the table's chart column; hidden values are left out, never drawn."""
    assert table.chart is not None
    plt = plot.plt
    plt.clear_figure()
    points = table.chart_points()
    labels = [cell_text(label) for label, _ in points]
    shown = [
        (index, cell_text(label), float(value))
        for index, (label, value) in enumerate(points)
        if isinstance(value, int | float) and not isinstance(value, bool)
    ]
    plt.title(_column_title(table, table.chart.value_column))
    if table.chart.kind == "line":
        top = max((value for _, _, value in shown), default=0.0)
        plt.ylim(0, max(top * 1.1, 1.0))
        for run in _runs(shown):
            plt.plot([index for index, _, _ in run], [value for _, _, value in run], marker="dot")
        ticks = [float(tick) for tick in range(0, len(labels), max(1, len(labels) // 6))]
        plt.xticks(ticks, [labels[int(tick)] for tick in ticks])
    else:
        bars = list(reversed(shown))  # plotext stacks horizontal bars from the bottom up
        plt.bar(
            [label[:24] for _, label, _ in bars],
            [value for _, _, value in bars],
            orientation="horizontal",
        )
    plot.refresh()


def _column_title(table: Table, key: str) -> str:
    return table.columns[table.column_index(key)].title


def _runs(points: list[tuple[int, str, float]]) -> list[list[tuple[int, str, float]]]:
    """Consecutive points, so a line breaks where a value is hidden."""
    runs: list[list[tuple[int, str, float]]] = []
    for point in points:
        if runs and runs[-1][-1][0] == point[0] - 1:
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs


class Card(Vertical, can_focus=True):
    """One headline figure; where pathways lie behind it, Enter or a click opens them."""

    BINDINGS = [Binding("enter", "drill", "Pathways", show=False)]

    def __init__(self, label: str, value: str, drill: Drill | None) -> None:
        super().__init__(classes="card drillable" if drill else "card")
        self.label = label
        self.value = value
        self.drill = drill
        self.can_focus = drill is not None

    def compose(self) -> ComposeResult:
        yield Static(self.label, classes="card-label")
        yield Static(self.value, classes="card-value")

    def on_click(self) -> None:
        self.action_drill()

    def action_drill(self) -> None:
        if self.drill is not None:
            self.post_message(FigureTable.DrillRequested(self.drill))


class HeadlineCards(Horizontal):
    """The overview's headline numbers, one card each (label over figure)."""

    DEFAULT_CSS = """
    HeadlineCards { height: 5; }
    HeadlineCards > .card { width: 1fr; height: 100%; border: round $primary; padding: 0 1; }
    HeadlineCards > .card:focus { border: double $accent; }
    HeadlineCards > .card > .card-value { text-style: bold; }
    """

    def __init__(self, table: Table) -> None:
        super().__init__(id="headline-cards")
        self.table = table

    def compose(self) -> ComposeResult:
        drills = self.table.drill or (None,) * len(self.table.rows)
        for row, drill in zip(self.table.rows, drills, strict=True):
            label, value = row[0], row[1]
            hidden = isinstance(value, Hidden) or not value
            yield Card(cell_text(label), cell_text(value, grouped=True), None if hidden else drill)


PageLoader = Callable[[int], Page]


class PagedFigure(Vertical):
    """A table fetched one page at a time (LIMIT/OFFSET in SQL), for tables that can be long."""

    DEFAULT_CSS = """
    PagedFigure { height: auto; }
    PagedFigure > .figure-title { text-style: bold; }
    PagedFigure > FigureTable { height: auto; max-height: 30; }
    PagedFigure > Horizontal { height: auto; }
    PagedFigure > Horizontal > .page-label { width: auto; padding: 1 2; }
    """

    BINDINGS = [
        Binding("]", "next_page", "Next page"),
        Binding("[", "previous_page", "Previous page"),
    ]

    def __init__(self, title: str, loader: PageLoader, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self.loader = loader
        self.page = 0
        self.pages = 1

    def compose(self) -> ComposeResult:
        yield Static(self.title, classes="figure-title")
        yield FigureTable()
        with Horizontal():
            yield Button("Previous page", classes="previous-page")
            yield Static("", classes="page-label")
            yield Button("Next page", classes="next-page")

    def on_mount(self) -> None:
        self.load(0)

    @work(exclusive=True, group="page")
    async def load(self, page: int) -> None:
        """Fetch a page in a thread (the database blocks); the newest request wins."""
        self._show(await asyncio.to_thread(self.loader, page))

    def _show(self, result: Page) -> None:
        self.page, self.pages = result.page, result.pages
        self.query_one(FigureTable).show(result.table)
        self.query_one(".page-label", Static).update(
            f"Page {result.page + 1} of {result.pages} ({result.rows_total:,} rows)"
        )
        self.query_one(".previous-page", Button).disabled = result.page == 0
        self.query_one(".next-page", Button).disabled = result.page + 1 >= result.pages

    @on(Button.Pressed, ".next-page")
    def action_next_page(self) -> None:
        if self.page + 1 < self.pages:
            self.load(self.page + 1)

    @on(Button.Pressed, ".previous-page")
    def action_previous_page(self) -> None:
        if self.page > 0:
            self.load(self.page - 1)
