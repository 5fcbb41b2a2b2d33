"""Widgets that show protected tables: a titled DataTable, a chart, headline cards, paging.

They take `Table`s from `navigator.records.reports` as they are: hidden cells
hold no number there, so no widget here ever sees a small number. Every hidden
cell reads "[c]", the GSS symbol every export prints (`screen_text`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, DataTable, Static
from textual_plotext import PlotextPlot

from navigator.records.reports.export import cell_text
from navigator.records.reports.review import Page
from navigator.records.reports.suppression import CONFIDENTIAL, Hidden
from navigator.records.reports.tables import Drill, Table, Value


def dom_id(key: str) -> str:
    """A widget id for a table key (`funnel:carers` -> `funnel-carers`)."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", key)


def screen_text(value: Value, grouped: bool = False) -> str:
    """How a figure reads on the dashboard: every hidden figure as "[c]", as in every export.

    A manager who reads "<5" on screen and "[c]" in the report they send on would be
    looking at two symbols for one thing; and "<5" beside "[c]" tells a reader which
    hidden cells are the small ones, which official statistics do not say.
    """
    if isinstance(value, Hidden):
        return CONFIDENTIAL
    return cell_text(value, grouped)


def _cell(value: Value, numeric: bool) -> Text:
    text = screen_text(value, grouped=True)
    style = "italic" if isinstance(value, Hidden) else ""
    return Text(text, style=style, justify="right" if numeric else "left")


class FigureTable(DataTable[Text]):
    """A DataTable of one protected table; Enter on a row with pathways behind it drills down."""

    BINDINGS = [Binding("enter", "select_cursor", "Pathways behind this figure")]

    DEFAULT_CSS = """
    FigureTable { border: tall $panel; }
    FigureTable:focus { border: tall $accent; }
    """

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter offers pathways only where the table has them (the footer says so)."""
        if action == "select_cursor" and (self.shown is None or not self.shown.drill):
            return False
        return super().check_action(action, parameters)

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
    FigureView > FigureTable { height: auto; max-height: 24; }
    """

    def __init__(self, table: Table, *, chart: bool = True, empty: str = "") -> None:
        """`empty`: what to say when the table has no rows (the review's words, from the
        knowledge base; nothing when not given)."""
        super().__init__(id=f"figure-{dom_id(table.key)}", classes="figure")
        self.table = table
        self.empty = empty
        self.with_chart = chart and table.chart is not None and bool(table.rows)

    def compose(self) -> ComposeResult:
        yield Static(self.table.title, classes="figure-title")
        if self.table.note:
            yield Static(self.table.note, classes="figure-note")
        if self.with_chart:
            yield self._chart()
        if not self.table.rows:
            if not self.table.withheld and self.empty:  # a withheld one's note says why
                yield Static(self.empty, classes="figure-empty")
        else:
            yield FigureTable(id=f"table-{dom_id(self.table.key)}")

    def on_mount(self) -> None:
        if self.table.rows:
            self.query_one(FigureTable).show(self.table)

    def _chart(self) -> Widget:
        assert self.table.chart is not None
        if self.table.chart.kind == "bar":
            return BarChart(self.table)
        return LineChart(self.table)


class BarChart(Widget):
    """One line per row: its own label, a bar as long as its published value, the value.

    Drawn here rather than by plotext, whose horizontal bars share terminal lines
    when rows outnumber lines and so put one row's label beside another's bar.
    A hidden value gets its label and its marker ("[c]") and no bar.
    """

    DEFAULT_CSS = """
    BarChart { height: auto; width: 1fr; }
    """

    LABEL_WIDTH = 28

    def __init__(self, table: Table) -> None:
        super().__init__(classes="bar-chart")
        self.table = table
        self.points = [
            (cell_text(label), value, screen_text(value, grouped=True))
            for label, value in table.chart_points()
        ]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.points))

    def _label_width(self) -> int:
        longest = max((len(label) for label, _, _ in self.points), default=1)
        return max(4, min(longest, self.LABEL_WIDTH, self.content_size.width // 3))

    def _value_width(self) -> int:
        return max((len(printed) for _, _, printed in self.points), default=1)

    def bar_width(self) -> int:
        """How many cells the longest bar takes at the widget's present width."""
        spare = self.content_size.width - self._label_width() - 2 - 1 - self._value_width()
        return max(1, spare)

    def render_lines_text(self) -> list[str]:
        """The chart as plain lines (what the screen shows, without colour)."""
        label_width, width = self._label_width(), self.bar_width()
        numbers = [_number(value) for _, value, _ in self.points]
        top = max((n for n in numbers if n is not None), default=0.0)
        lines = []
        for (label, _, printed), number in zip(self.points, numbers, strict=True):
            length = round(number / top * width) if number is not None and top > 0 else 0
            lines.append(f"{_fit(label, label_width)} │{'█' * length} {printed}")
        return lines

    def render(self) -> RenderResult:
        text = Text()
        for number, line in enumerate(self.render_lines_text()):
            label, _, rest = line.partition(" │")
            bars = len(rest) - len(rest.lstrip("█"))
            if number:
                text.append("\n")
            text.append(label + " │")
            text.append(rest[:bars], style="bold")
            text.append(rest[bars:], style="" if bars else "italic")
        return text


class LineChart(PlotextPlot):
    """A trend over time: counts on whole-number ticks, short dates that fit the width."""

    DEFAULT_CSS = """
    LineChart { height: 14; }
    """

    def __init__(self, table: Table) -> None:
        super().__init__(classes="line-chart")
        self.table = table

    def on_mount(self) -> None:
        draw_line(self, self.table)

    @staticmethod
    def tick_label(label: str) -> str:
        """ "2025-03-10" reads "10 Mar 25" on the axis: short enough for every tick to fit."""
        try:
            day = dt.date.fromisoformat(label[:10])
        except ValueError:
            return label[:10]
        return day.strftime("%d %b %y") if len(label) == 10 else label

    def render_lines_text(self) -> list[str]:
        """The chart as plain lines (what the screen shows, without colour)."""
        rendered = self.render()
        plain = rendered.plain if isinstance(rendered, Text) else str(rendered)
        return plain.splitlines()


def draw_line(plot: PlotextPlot, table: Table) -> None:
    """A line of the table's chart column; hidden values break the line, never drawn."""
    assert table.chart is not None
    plt = plot.plt
    plt.clear_figure()
    points = table.chart_points()
    labels = [LineChart.tick_label(cell_text(label)) for label, _ in points]
    numbers = [
        (index, cell_text(label), _number(value)) for index, (label, value) in enumerate(points)
    ]
    shown = [(index, label, number) for index, label, number in numbers if number is not None]
    plt.title(_column_title(table, table.chart.value_column))
    top = max((value for _, _, value in shown), default=0.0)
    y_ticks = _whole_ticks(top)
    plt.ylim(0, y_ticks[-1])
    plt.yticks([float(t) for t in y_ticks], [str(t) for t in y_ticks])
    for run in _runs(shown):
        plt.plot([index for index, _, _ in run], [value for _, _, value in run], marker="dot")
    last = len(labels) - 1
    step = max(1, -(-len(labels) // 5))
    ticks = sorted({*range(last, -1, -step)})
    plt.xlim(-0.5, last + 0.5 + (len(labels[-1]) / 10 if labels else 0))
    plt.xticks([float(t) for t in ticks], [labels[t] for t in ticks])
    plot.refresh()


def _whole_ticks(top: float) -> list[int]:
    """Whole-number ticks from 0 to at least `top`, six at most: counts have no decimals."""
    if top <= 0:
        return [0, 1]
    step = 1
    while -(-top // step) > 5:
        step = _next_step(step)
    return list(range(0, int(-(-top // step)) * step + 1, step))


def _next_step(step: int) -> int:
    """1, 2, 5, 10, 20, 50...: the next round step."""
    digits = str(step)
    head, zeros = int(digits[0]), len(digits) - 1
    return int({1: 2, 2: 5, 5: 10}[head] * 10**zeros)


def _number(value: Value) -> float | None:
    """A published value as a number to draw, or None (hidden, not applicable, text)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _fit(label: str, width: int) -> str:
    """`label` in exactly `width` cells, right-aligned, shortened with an ellipsis if need be."""
    if len(label) > width:
        label = label[: width - 1] + "…"
    return label.rjust(width)


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
        # Not markup: "[c]" would read as a style tag and vanish.
        yield Static(self.label, classes="card-label", markup=False)
        yield Static(self.value, classes="card-value", markup=False)

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
            shown = screen_text(value, grouped=True)
            yield Card(cell_text(label), shown, None if hidden else drill)


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
