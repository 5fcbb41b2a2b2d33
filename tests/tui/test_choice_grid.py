"""`ChoiceGrid`: one widget that behaves like a grid of buttons (keys, clicks, focus, scrolling).

Run in a small real app under Pilot; what it draws is read back from the
screen, cell by cell, so a cursor that moved but was not drawn would fail.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content
from textual.geometry import Offset, Size
from textual.widgets import Input

from navigator.tui.widgets.choice_grid import Cell, ChoiceGrid
from navigator.tui.widgets.nav_bar import NavBar, NavCommand
from tests.support.waiting import until
from tests.tui.screen import screen_cells, screen_text, style_of

WORDS = ("Care", "Carers", "Money", "Housing", "Food", "Loneliness")


class Grid(ChoiceGrid):
    """Two columns from width 30; remembers what was pressed."""

    def __init__(self, cells: list[Cell]) -> None:
        super().__init__(cells, id="grid")
        self.presses: list[int] = []

    def columns_for(self, width: int) -> int:
        return 2 if width >= 30 else 1

    def pressed(self, index: int) -> None:
        self.presses.append(index)


class Host(App[object]):
    CSS = "Grid { max-height: 4; }"

    def __init__(self, cells: list[Cell]) -> None:
        super().__init__()
        self.cells = cells

    def compose(self) -> ComposeResult:
        yield Grid(self.cells)
        yield Input(id="after")

    @property
    def grid(self) -> Grid:
        return self.query_one(Grid)


def cells(*disabled: int) -> list[Cell]:
    return [Cell(Content(word), enabled=index not in disabled) for index, word in enumerate(WORDS)]


def row_of(app: App[object], word: str) -> int:
    """The screen line a word is drawn on."""
    for y, line in enumerate(screen_text(app).splitlines()):
        if word in line:
            return y
    raise AssertionError(f"{word!r} is not on screen")


def background_at(app: App[object], word: str) -> tuple[int, int, int]:
    """The background colour behind the first letter of `word`."""
    width = app.size.width
    y = row_of(app, word)
    x = screen_text(app).splitlines()[y].index(word)
    return list(screen_cells(app))[y * width + x].background


async def test_arrows_move_by_cell_and_by_row_and_enter_presses() -> None:
    app = Host(cells())
    async with app.run_test(size=(40, 10)) as pilot:
        app.grid.focus()
        await pilot.press("right", "down", "enter")
        assert app.grid.presses == [3]  # from Care: right to Carers, down a row to Housing
        await pilot.press("left", "up", "space")
        assert app.grid.presses == [3, 0]


async def test_cells_that_cannot_act_are_skipped_and_cannot_be_pressed() -> None:
    app = Host(cells(1, 2))
    async with app.run_test(size=(40, 10)) as pilot:
        app.grid.focus()
        await pilot.press("right", "enter")
        assert app.grid.presses == [3]
        assert await pilot.click(Grid, offset=app.grid.cell_region(1).offset)
        assert app.grid.presses == [3]
        assert app.grid.cursor == 3  # a click on a struck-out cell does not move the cursor


async def test_a_click_presses_the_cell_under_it() -> None:
    app = Host(cells())
    async with app.run_test(size=(40, 10)) as pilot:
        region = app.grid.cell_region(2)
        assert await pilot.click(Grid, offset=Offset(region.right - 1, region.y))
        assert app.grid.presses == [2]
        assert app.grid.cursor == 2


async def test_the_cursor_is_drawn_only_while_the_grid_has_the_keyboard() -> None:
    app = Host(cells())
    async with app.run_test(size=(40, 10)) as pilot:
        app.query_one("#after").focus()
        await pilot.pause()
        plain = background_at(app, "Care")
        assert background_at(app, "Money") == plain
        app.grid.focus()
        await pilot.press("right", "right")
        assert background_at(app, "Money") != plain
        assert background_at(app, "Care") == plain


async def test_moving_past_the_visible_rows_scrolls_the_cursor_into_view() -> None:
    app = Host(cells())
    async with app.run_test(size=(20, 10)) as pilot:  # one column, four rows shown of six
        app.grid.focus()
        await pilot.pause()
        assert "Loneliness" not in screen_text(app)
        await pilot.press("end")
        assert "Loneliness" in screen_text(app)
        await pilot.press("enter")
        assert app.grid.presses == [5]


async def test_new_cells_start_again_at_the_first_that_can_act() -> None:
    app = Host(cells())
    async with app.run_test(size=(40, 10)) as pilot:
        app.grid.focus()
        await pilot.press("down", "down")
        app.grid.set_cells([Cell(Content("Yes"), enabled=False), Cell(Content("No"))])
        await pilot.press("enter")
        assert app.grid.presses == [1]
        assert "Yes" in screen_text(app) and "Housing" not in screen_text(app)


class Bar(App[object]):
    def __init__(self) -> None:
        super().__init__()
        self.commands: list[str] = []

    def compose(self) -> ComposeResult:
        yield NavBar(
            [NavCommand("help", "f1", "Help"), NavCommand("back", "f2", "Back")]
            + [NavCommand(f"c{n}", f"f{n}", f"Command {n}") for n in range(3, 7)],
            id="nav",
        )

    def on_nav_bar_command(self, message: NavBar.Command) -> None:
        self.commands.append(message.name)


async def test_the_bar_is_one_row_when_it_fits_and_rows_of_three_when_not() -> None:
    app = Bar()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        assert row_of(app, "F1 Help") == row_of(app, "F6 Command 6")
        await pilot.resize_terminal(60, 10)
        await pilot.pause()
        assert row_of(app, "F1 Help") == row_of(app, "F3 Command 3")
        assert row_of(app, "F4 Command 4") == row_of(app, "F1 Help") + 1


async def test_a_bar_command_that_cannot_act_is_struck_out_and_ignored() -> None:
    app = Bar()
    async with app.run_test(size=(100, 10)) as pilot:
        bar = app.query_one(NavBar)
        bar.enable("back", False)
        await pilot.pause()
        assert await pilot.click(NavBar, offset=bar.cell_region(bar.index_of("back")).offset)
        assert await pilot.click(NavBar, offset=bar.cell_region(bar.index_of("help")).offset)
        assert app.commands == ["help"]
        assert style_of(app, "Back").strike and not style_of(app, "Help").strike


async def test_wrapped_words_and_the_hint_start_under_the_words_not_the_number() -> None:
    label = Content("7  I help look after someone")
    cell = Cell(label, Content("Caring for family"), indent=3)
    app = Host([cell, *cells()])
    async with app.run_test(size=(20, 12)) as pilot:  # one column: 18 cells, 16 for words
        await pilot.pause()
        lines = screen_text(app).splitlines()
        top = row_of(app, "7  I help")
        shown = [line[:18].rstrip() for line in lines[top : top + 4]]  # not the scrollbar
        assert shown == [" 7  I help look", "    after someone", "    Caring for", "    family"]


class CountingGrid(Grid):
    """Counts how often Textual measures the grid: a settled screen measures nothing."""

    measured = 0

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self.measured += 1
        return super().get_content_height(container, viewport, width)


class CountingHost(Host):
    def compose(self) -> ComposeResult:
        yield CountingGrid(self.cells)
        yield Input(id="after")


async def test_a_grid_with_a_scrollbar_settles_when_nothing_happens() -> None:
    app = CountingHost(cells())
    async with app.run_test(size=(20, 10)) as pilot:  # one column, four rows of six: scrollbar
        grid = app.query_one(CountingGrid)
        # Until the first layout has given the scrollbar (a deadline, not 0.2 s: a busy
        # machine may not have laid it out yet, and then the count moves on its own).
        await until(pilot, lambda: grid.show_vertical_scrollbar)
        await pilot.pause()
        settled = grid.measured
        await pilot.pause(0.5)
        assert grid.measured == settled


async def test_striking_out_the_cursors_cell_moves_the_cursor_to_one_that_acts() -> None:
    app = Host(cells())
    async with app.run_test(size=(40, 10)) as pilot:
        app.grid.focus()
        await pilot.press("right")
        app.grid.set_enabled(1, False)
        await pilot.press("enter")
        assert app.grid.presses == [2]
        app.grid.set_enabled(5, False)
        await pilot.press("end")
        app.grid.set_enabled(4, False)
        await pilot.press("enter")
        assert app.grid.presses == [2, 3]  # nothing after it acts: the one before it


async def test_the_cursor_stays_in_view_when_two_columns_become_one() -> None:
    app = Host(cells())
    async with app.run_test(size=(40, 10)) as pilot:
        app.grid.focus()
        await pilot.press("end")
        assert "Loneliness" in screen_text(app)
        await pilot.resize_terminal(20, 10)
        await pilot.pause()
        assert "Loneliness" in screen_text(app)
