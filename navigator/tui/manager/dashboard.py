"""The review itself: filters along the top, one tab per question managers ask, drill-down.

Each tab's figures are computed in a worker thread when the tab is first
opened for the current filters (the overview first, always), so the screen
never waits on the database. Changing a filter clears every tab.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Footer,
    Header,
    Input,
    LoadingIndicator,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from navigator.records.reports.review import Choices, Review
from navigator.records.reports.sections import SECTIONS
from navigator.records.reports.tables import Filters, Period, Table
from navigator.tui.manager.compare import CompareScreen, PackSources
from navigator.tui.manager.figures import FigureTable, FigureView, HeadlineCards, PagedFigure
from navigator.tui.manager.pathways import PathwaysScreen
from navigator.tui.manager.period_select import FilterSelect
from navigator.tui.manager.text import ManagerMsg, manager_text

TAB_TITLES = {found.key: found.title for found in SECTIONS}
"""Tab id -> title: one tab per section of the review, in the registry's order."""

TAB_KEYS = {key: str(number % 10) for number, key in enumerate(TAB_TITLES, start=1) if number <= 10}
"""Tab id -> the number key that opens it: 1 to 9, then 0 for the tenth (as on a keyboard's
top row); a later tab is reached with the mouse or Tab."""

TAB_KEYS_SHOWN = "1-9, 0" if len(TAB_KEYS) == 10 else f"1-{len(TAB_KEYS)}"
"""The number keys that open the tabs, as the footer shows them."""

PRESETS = {
    "4w": ("Last 4 weeks", 28),
    "13w": ("Last 13 weeks", 91),
    "12m": ("Last 12 months", 365),
}


class DashboardScreen(Screen[None]):
    CSS_PATH = Path(__file__).with_name("dashboard.tcss")
    BINDINGS = [
        Binding("ctrl+r", "refresh_figures", "Refresh"),
        Binding("c", "compare_places", "Compare places"),  # issue 18: other councils' packs
        Binding("q", "app.quit", "Quit"),
        *(
            Binding(
                digit,
                f"show_tab('{key}')",
                "Tabs",
                key_display=TAB_KEYS_SHOWN,
                show=digit == "1",
            )
            for key, digit in TAB_KEYS.items()
        ),
    ]

    def __init__(self, review: Review, packs: PackSources | None = None) -> None:
        super().__init__()
        self.review = review
        self.packs = packs or PackSources()
        """The published packs "Compare places" (c) sets side by side."""
        self.choices: Choices = review.choices()
        self.filters = self._default_filters()
        self.loaded: set[str] = set()

    def _default_filters(self) -> Filters:
        return Filters(self.review.default_period())

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield FilterSelect(
                [(title, key) for key, (title, _) in PRESETS.items()],
                prompt="Period",
                id="preset",
                value="13w",
            )
            yield Input(self.filters.period.start.isoformat(), id="date-from", placeholder="From")
            yield Input(self.filters.period.end.isoformat(), id="date-to", placeholder="To")
            yield FilterSelect([(s, s) for s in self.choices.sites], prompt="All sites", id="site")
            yield FilterSelect(
                [(c, c) for c in self.choices.channels], prompt="All channels", id="channel"
            )
            yield FilterSelect(
                [(title, key) for key, title in self.choices.topics],
                prompt="All topics",
                id="topic",
            )
            yield Button("Show", id="apply", variant="primary")
        yield Static("", id="filter-problem")
        with TabbedContent(id="tabs"):
            for found in self.review.sections:  # the registry's, or a caller's longer list
                with TabPane(found.title, id=found.key):
                    yield VerticalScroll(id=f"body-{found.key}")
        key = self._text(ManagerMsg.SYMBOL_KEY, threshold=self.review.threshold)
        yield Static(key, id="symbol-key", markup=False)
        yield Footer()

    async def on_mount(self) -> None:
        self.title = "Unmet need review"
        self._refresh_subtitle()
        await self.load_section("overview")

    def _text(self, key: ManagerMsg, **values: object) -> str:
        """The review's words for `key` (`knowledge/messages/manager.yaml`)."""
        return manager_text(self.review.knowledge, key, **values)

    def _refresh_subtitle(self) -> None:
        self.sub_title = f"{self.filters.describe()} · {self._text(ManagerMsg.SYMBOL_SHORT)}"

    # --- Filters ------------------------------------------------------------------

    @on(Select.Changed, "#preset")
    async def _preset(self, event: Select.Changed) -> None:
        """A chosen period is shown at once, so the dates typed and the figures always agree."""
        if not isinstance(event.value, str):
            return
        days = PRESETS[event.value][1]
        last = self.choices.last_day or dt.datetime.now(dt.UTC).date()
        self.query_one("#date-from", Input).value = (last - dt.timedelta(days=days - 1)).isoformat()
        self.query_one("#date-to", Input).value = last.isoformat()
        await self.apply_filters()

    def action_show_tab(self, key: str) -> None:
        """Number keys open the tabs in order, as in Harlequin and Posting."""
        self.query_one(TabbedContent).active = key

    @on(Button.Pressed, "#apply")
    @on(Input.Submitted, "#date-from, #date-to")
    async def apply_filters(self) -> None:
        problem = self.query_one("#filter-problem", Static)
        try:
            filters = self.read_filters()
        except ValueError as error:
            problem.update(str(error))
            return
        problem.update("")
        if filters != self.filters:
            await self.set_filters(filters)

    def read_filters(self) -> Filters:
        """The filters as typed and chosen, or ValueError with what to fix."""
        start = _date(self.query_one("#date-from", Input).value, "From")
        end = _date(self.query_one("#date-to", Input).value, "To")
        if end < start:
            raise ValueError("The 'To' date is before the 'From' date.")
        return Filters(
            Period(start, end),
            site=_chosen(self.query_one("#site", Select)),
            channel=_chosen(self.query_one("#channel", Select)),
            topic=_chosen(self.query_one("#topic", Select)),
        )

    async def set_filters(self, filters: Filters) -> None:
        """Show the review for `filters`: every tab is cleared and the open one reloads."""
        self.filters = filters
        self.loaded.clear()
        self._refresh_subtitle()
        for found in self.review.sections:
            await self.query_one(f"#body-{found.key}", VerticalScroll).remove_children()
        await self.load_section(self.query_one(TabbedContent).active or "overview")

    async def action_refresh_figures(self) -> None:
        """Read the records again (new sessions arrive while the dashboard is open)."""
        self.review.forget()
        await self.set_filters(self.filters)

    # --- Sections -----------------------------------------------------------------

    @on(TabbedContent.TabActivated)
    async def _tab(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id:
            await self.load_section(event.pane.id)

    async def load_section(self, key: str) -> None:
        """Start computing a tab's figures in a worker, unless they are shown already."""
        if key in self.loaded:
            return
        self.loaded.add(key)
        body = self.query_one(f"#body-{key}", VerticalScroll)
        await body.remove_children()
        await body.mount(LoadingIndicator())
        self._compute(key, self.filters)

    @work(group="sections")
    async def _compute(self, key: str, filters: Filters) -> None:
        """Query in a thread (the database blocks), then show the result on the screen."""
        tables = await asyncio.to_thread(self.review.section, key, filters)
        await self._show(key, filters, tables)

    async def _show(self, key: str, filters: Filters, tables: tuple[Table, ...]) -> None:
        if filters != self.filters or key not in self.loaded:
            return  # the filters changed while this was computed; a fresh load is under way
        body = self.query_one(f"#body-{key}", VerticalScroll)
        await body.remove_children()
        widgets: list[Widget] = []
        for table in tables:
            if table.key == "headline":
                widgets.append(HeadlineCards(table))
            elif table.key in self.review.paged_tables:
                widgets.append(self._paged(table))
            else:
                widgets.append(FigureView(table, empty=self._text(ManagerMsg.NO_RECORDS)))
        await body.mount_all(widgets)

    def _paged(self, table: Table) -> PagedFigure:
        filters = self.filters
        return PagedFigure(
            table.title,
            lambda page: self.review.page(table.key, filters, page),
            id=f"figure-{table.key}",
        )

    def action_compare_places(self) -> None:
        """This council's published figures beside other councils' packs."""
        self.app.push_screen(CompareScreen(self.packs, self.review.knowledge))

    # --- Drill-down ---------------------------------------------------------------

    @on(FigureTable.DrillRequested)
    def drill(self, event: FigureTable.DrillRequested) -> None:
        self.app.push_screen(PathwaysScreen(self.review, event.drill, self.filters))


def _date(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"'{name}' must be a date written like 2025-03-31 (year-month-day)."
        ) from None


def _chosen(select: Select[str]) -> str | None:
    value = select.value
    return value if isinstance(value, str) else None
