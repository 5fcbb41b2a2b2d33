"""The dashboard's charts, read back from the screen: every bar carries its own row's label.

A chart that puts a label on another row's bar misleads a manager more than no
chart at all, so these tests read what is drawn (labels and bar lengths) and
compare it with the table, at several terminal sizes and with more rows than
a small terminal has lines.
"""

from __future__ import annotations

import re

import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

from navigator.records.reports.suppression import Hidden
from navigator.records.reports.tables import Chart, Column, Table
from navigator.tui.manager.figures import BarChart, FigureView, LineChart

NEEDS = (
    ("Housing", 900),
    ("Not matched to a need", 611),
    ("Special educational needs", 300),
    ("Childcare", 200),
    ("Money", Hidden(5)),
    ("Debt", 90),
    ("Food", Hidden(5, primary=False)),
    ("Support for carers", 40),
    ("Transport", 12),
    ("Energy", 0),
    ("Immigration advice and a very long need title", 7),
    ("Legal", 6),
)


def needs_table(rows: tuple[tuple[str, int | Hidden], ...] = NEEDS) -> Table:
    return Table(
        key="unmet_by_need",
        title="Unmet need by category",
        columns=(Column("label", "Need", "label"), Column("current", "This period")),
        rows=(*rows, ("All unmet need", 2200)),
        chart=Chart("bar", "label", "current"),
        totals=1,
    )


class ChartApp(App[None]):
    def __init__(self, table: Table) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield FigureView(self.table)


def read_bars(chart: BarChart) -> list[tuple[str, int, str]]:
    """(label, bar length, value as printed) for each line of the drawn chart."""
    lines = chart.render_lines_text()
    found = []
    for line in lines:
        label, _, rest = line.partition(" │")
        bar = re.match(r"█*", rest)
        assert bar is not None
        found.append((label.strip(), len(bar.group()), rest[len(bar.group()) :].strip()))
    return found


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (80, 12), (60, 10)])
async def test_every_bar_has_its_own_label_and_length(size: tuple[int, int]) -> None:
    app = ChartApp(needs_table())
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        chart = app.query_one(BarChart)
        bars = read_bars(chart)
        assert len(bars) == len(NEEDS), "one line per row, whatever the terminal's height"
        width = chart.bar_width()
        for (label, value), (drawn_label, length, printed) in zip(NEEDS, bars, strict=True):
            assert label.startswith(drawn_label.rstrip("…")), (label, drawn_label)
            if isinstance(value, Hidden):
                assert (length, printed) == (0, "[c]"), "a hidden figure has no bar, and reads [c]"
            else:
                assert length == round(value / 900 * width), (label, length)
                assert printed == f"{value:,}"


async def test_bars_are_drawn_in_the_order_of_the_table() -> None:
    rows = (("B", 10), ("A", 10), ("C", 3))
    app = ChartApp(needs_table(rows))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert [label for label, _, _ in read_bars(app.query_one(BarChart))] == ["B", "A", "C"]


async def test_the_weekly_trend_has_whole_number_ticks_and_its_last_label_whole() -> None:
    weeks = [f"2025-{month:02d}-{day:02d}" for month in (1, 2, 3) for day in (3, 10, 17, 24)]
    values = [3, 1, 2, 4, 2, 3, 1, 2, 3, 2, 4, 3]
    table = Table(
        key="weekly",
        title="Weekly trend",
        columns=(Column("week", "Week starting", "date"), Column("unmet", "Unmet")),
        rows=tuple(zip(weeks, values, strict=True)),
        chart=Chart("line", "week", "unmet"),
    )
    for size in ((80, 24), (120, 40)):
        app = ChartApp(table)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            chart = app.query_one(LineChart)
            text = chart.render_lines_text()
            ticks = [line.split("┤")[0].strip() for line in text if "┤" in line]
            assert ticks and all(re.fullmatch(r"\d+", tick) for tick in ticks), ticks
            last_line = text[-1].rstrip()
            assert last_line.endswith(chart.tick_label(weeks[-1])), last_line


def test_the_html_trends_first_and_last_labels_stay_inside_the_chart() -> None:
    from navigator.records.reports.svg import line_chart

    weeks = [(f"2025-03-{day:02d}", 10) for day in (3, 10, 17, 24, 31)]
    svg = line_chart("Weekly trend", weeks)
    width = int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))  # type: ignore[union-attr]
    labels = re.findall(r'<text x="([\d.]+)"[^>]*text-anchor="(\w+)"[^>]*>(2025-[\d-]+)<', svg)
    assert [label for _, _, label in labels][-1] == "2025-03-31"
    for x, anchor, label in labels:
        extent = 7 * len(label)  # a generous width for a 12px font
        left = {"start": 0.0, "middle": extent / 2, "end": float(extent)}[anchor]
        assert float(x) - left >= 0 and float(x) - left + extent <= width, (label, anchor, x)
