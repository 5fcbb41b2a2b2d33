"""Things to press, in columns, drawn as one widget: the numbered answers, the bar's commands.

Why one widget and not a button each: every Textual widget brings its own
message queue, styles, layout and drawing, and the welcome's sixteen answers
and six commands as buttons were half of the time from starting Navigator to
its first question (`docs/performance.md`). `ChoiceGrid` draws every cell
itself with Textual's line API, the way `OptionList` draws its options, so a
screen of choices costs about what one widget does.

It still behaves like a row of buttons: a click or a touch presses the cell
under it, the arrow keys move a cursor that is shown (by swapping foreground
and background, a change of lightness and not only of colour) while the
grid has the keyboard, and Enter or the space bar presses the cell under the
cursor. A cell that cannot act now is struck through as well as skipped, so
nothing depends on colour alone. Hosts add their own keys (number keys,
function keys) and say what pressing means by overriding `pressed`.

Styles come from the `.tcss` file beside this module and the subclasses'
own: `choice-grid--cell` for every cell (its `padding` is the cell's
padding), `--cursor`, `--hover` and `--disabled` on top of it. The gap
between columns is the second value of the widget's `grid-gutter`, as for a grid.
Keep `height: auto` (a `max-height` is fine): the grid learns how much there
is to scroll while Textual measures its height.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import ClassVar, NamedTuple, cast

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Offset, Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Padding, Visual
from textual.widget import Widget

from navigator.tui.widgets._css import css_beside


class Cell(NamedTuple):
    """One thing to press: its words, an optional second line, and whether it can act now."""

    label: Content
    hint: Content | None = None
    enabled: bool = True
    indent: int = 0
    """Where wrapped lines and the hint start: under the words, not under the number."""


class GridLayout(NamedTuple):
    """Where the cells go at one width: rows of `columns` cells, each row as tall as its tallest."""

    column_xs: tuple[int, ...]
    column_widths: tuple[int, ...]
    row_tops: tuple[int, ...]
    row_heights: tuple[int, ...]

    @property
    def columns(self) -> int:
        return len(self.column_widths)

    @property
    def height(self) -> int:
        return sum(self.row_heights)

    def cell_region(self, index: int) -> Region:
        """The cell's place in the grid's whole (scrollable) area."""
        row, column = divmod(index, self.columns)
        return Region(
            self.column_xs[column],
            self.row_tops[row],
            self.column_widths[column],
            self.row_heights[row],
        )


class ChoiceGrid(ScrollView, can_focus=True):
    """Cells in columns; arrows move the cursor, Enter, space or a click presses one."""

    DEFAULT_CSS = css_beside(__file__)
    EQUAL_COLUMNS: ClassVar[bool] = True
    """Columns share the width equally; False sizes each column to its widest cell."""
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "choice-grid--cell",
        "choice-grid--cursor",
        "choice-grid--hover",
        "choice-grid--disabled",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move_rows(-1)", show=False),
        Binding("down", "move_rows(1)", show=False),
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("home", "move_to(0)", show=False),
        Binding("end", "move_to(-1)", show=False),
        Binding("enter,space", "press", show=False),
    ]

    cursor: reactive[int] = reactive(0)
    """The cell the keyboard is on (drawn as such only while the grid has focus)."""
    hovered: reactive[int | None] = reactive(None)
    """The cell under the mouse pointer, if any."""

    def __init__(
        self,
        cells: Sequence[Cell] = (),
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._cells: tuple[Cell, ...] = tuple(cells)
        self._layouts: dict[int, GridLayout] = {}
        self._strips: dict[tuple[int, str, int, int], list[Strip]] = {}

    # --- What subclasses say -------------------------------------------------------------

    def columns_for(self, width: int) -> int:
        """How many columns at this content width (one, unless a subclass says otherwise)."""
        return 1

    def pressed(self, index: int) -> None:
        """The person pressed cell `index` (an enabled one): subclasses post their message."""

    # --- Cells -----------------------------------------------------------------------------

    @property
    def cells(self) -> tuple[Cell, ...]:
        return self._cells

    def set_cells(self, cells: Sequence[Cell]) -> None:
        """Replace every cell; the cursor goes back to the first one that can act."""
        self._cells = tuple(cells)
        self._forget_drawing()
        self.hovered = None
        self.set_reactive(ChoiceGrid.cursor, self._first_enabled(0, 1) or 0)
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh(layout=True)

    def set_enabled(self, index: int, enabled: bool) -> None:
        """Let one cell act, or strike it through."""
        cell = self._cells[index]
        if cell.enabled != enabled:
            cells = list(self._cells)
            cells[index] = cell._replace(enabled=enabled)
            self._cells = tuple(cells)
            self._forget_drawing()
            self.refresh()
            if not enabled and index == self.cursor:  # keep the cursor on something that acts
                after, before = self._first_enabled(index, 1), self._first_enabled(index, -1)
                self.cursor = after if after is not None else before or 0

    def cell_region(self, index: int) -> Region:
        """Where cell `index` is drawn now, relative to the grid (scrolling allowed for).

        For tests and anything else that needs to click a particular cell.
        """
        layout = self._layout_for(self.scrollable_content_region.width)
        gutter = self.styles.gutter
        return layout.cell_region(index).translate(
            Offset(gutter.left, gutter.top) - self.scroll_offset
        )

    # --- Keyboard and mouse ----------------------------------------------------------------

    def action_move(self, step: int) -> None:
        if (index := self._first_enabled(self.cursor + step, step)) is not None:
            self.cursor = index

    def action_move_rows(self, rows: int) -> None:
        columns = self._layout_for(self.scrollable_content_region.width).columns
        self.action_move(rows * columns)

    def action_move_to(self, index: int) -> None:
        count = len(self._cells)
        if count:
            start = index % count
            found = self._first_enabled(start, 1 if start == 0 else -1)
            if found is not None:
                self.cursor = found

    def action_press(self) -> None:
        if self._acts(self.cursor):
            self.pressed(self.cursor)

    def on_click(self, event: events.Click) -> None:
        index = event.style.meta.get("cell")
        if isinstance(index, int):
            event.stop()
            if self._acts(index):
                self.cursor = index
                self.pressed(index)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        index = event.style.meta.get("cell")
        self.hovered = index if isinstance(index, int) else None

    def on_leave(self, _: events.Leave) -> None:
        self.hovered = None

    def _acts(self, index: int) -> bool:
        return 0 <= index < len(self._cells) and self._cells[index].enabled

    def _first_enabled(self, start: int, step: int) -> int | None:
        """The first cell that can act from `start` on, going by `step`; None past either end."""
        index = start
        while 0 <= index < len(self._cells):
            if self._cells[index].enabled:
                return index
            index += step
        return None

    def watch_cursor(self) -> None:
        self.scroll_to_cursor()

    def on_focus(self) -> None:
        self.scroll_to_cursor()

    def scroll_to_cursor(self) -> None:
        """Bring the cursor's cell into view (the grid may be shorter than its cells)."""
        width = self.scrollable_content_region.width
        if self.is_mounted and width > 0 and self.cursor < len(self._cells):
            layout = self._layout_for(width)
            self.scroll_to_region(layout.cell_region(self.cursor), animate=False, force=True)

    # --- Layout ------------------------------------------------------------------------------

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The cells' height at `width`; also sets what there is to scroll, in one place.

        Set here, while Textual lays the grid out, so its scrollbar is decided on
        this layout's height and not on the previous cells'. (Set without its
        watcher: the layout under way is the one it would ask for.) What there is
        to scroll is the taller of the cells at this width and at this width less
        a scrollbar, so every line can be reached either way; setting it anywhere
        else, at another width, would ask for a new layout after every one.
        """
        height = self._layout_for(width).height
        scrolled = height
        if height > self._room(container, viewport):
            narrower = self._layout_for(width - self.styles.scrollbar_size_vertical).height
            scrolled = max(height, narrower)
        self.set_reactive(Widget.virtual_size, Size(width, scrolled))
        return height

    def _room(self, container: Size, viewport: Size) -> int:
        """The most rows the grid may have: where everything fits, no scrollbar is asked for.

        Without this, a grid that fits in two columns asked for a scrollbar
        (for the one-column layout a scrollbar would force) and then had one:
        the advocate's sixteen topics hid behind it above empty rows (issue 20).
        """
        room = container.height
        max_height = self.styles.max_height
        if max_height is not None:
            room = min(room, int(max_height.resolve(container, viewport)))
        return room - self.styles.gutter.height

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def on_resize(self) -> None:
        self._forget_drawing()
        if self.has_focus:  # one column or two: the cursor's cell may have moved out of view
            self.call_after_refresh(self.scroll_to_cursor)

    def notify_style_update(self) -> None:
        """Styles changed (focus, theme, size of text): draw every cell afresh."""
        self._forget_drawing()
        self.refresh()
        super().notify_style_update()

    def _forget_drawing(self) -> None:
        self._layouts.clear()
        self._strips.clear()

    def _layout_for(self, width: int) -> GridLayout:
        """The layout at `width` (kept: with a scrollbar, two widths are asked for in turn)."""
        width = max(width, 1)
        layout = self._layouts.get(width)
        if layout is None:
            layout = self._layouts[width] = self._arrange(width)
        return layout

    def _arrange(self, width: int) -> GridLayout:
        count = len(self._cells)
        columns = max(1, min(self.columns_for(width), count or 1))
        gap = self.styles.grid_gutter_vertical if columns > 1 else 0  # between columns
        padding = self.get_component_styles("choice-grid--cell").padding
        widths = self._column_widths(width - gap * (columns - 1), columns, padding.width)
        rules = cast(RulesMap, self.styles)
        xs = tuple(sum(widths[:column]) + gap * column for column in range(columns))
        inner = [max(1, column_width - padding.width) for column_width in widths]
        heights = [
            _visual(cell, inner[index % columns]).get_height(rules, inner[index % columns])
            + padding.height
            for index, cell in enumerate(self._cells)
        ]
        row_heights = tuple(
            max(heights[start : start + columns]) for start in range(0, count, columns)
        )
        tops = tuple(sum(row_heights[:row]) for row in range(len(row_heights)))
        return GridLayout(xs, widths, tops, row_heights)

    def _column_widths(self, space: int, columns: int, padding: int) -> tuple[int, ...]:
        equal = (max(1, space // columns),) * columns
        if self.EQUAL_COLUMNS:
            return equal
        rules = cast(RulesMap, self.styles)
        widest = [0] * columns
        for index, cell in enumerate(self._cells):
            optimal = _visual(cell, space).get_optimal_width(rules, space) + padding
            widest[index % columns] = max(widest[index % columns], optimal)
        return tuple(widest) if sum(widest) <= space else equal

    # --- Drawing -----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        layout = self._layout_for(width)
        line = self.scroll_offset.y + y
        base = self.get_visual_style().rich_style
        if not 0 <= line < layout.height:
            return Strip.blank(width, base)
        row = bisect_right(layout.row_tops, line) - 1
        line_in_row = line - layout.row_tops[row]
        parts: list[Strip] = []
        x = 0
        first = row * layout.columns
        for index in range(first, min(first + layout.columns, len(self._cells))):
            column_x = layout.column_xs[index - first]
            if column_x > x:
                parts.append(Strip.blank(column_x - x, base))
            parts.append(self._cell_strips(index, layout, row)[line_in_row])
            x = column_x + layout.column_widths[index - first]
        return Strip.join(parts).extend_cell_length(width, base)

    def _cell_strips(self, index: int, layout: GridLayout, row: int) -> list[Strip]:
        """The cell drawn in its present state, as tall as its row, tagged for the mouse."""
        state = self._state(index)
        height = layout.row_heights[row]
        width = layout.column_widths[index % layout.columns]
        key = (index, state, width, height)
        strips = self._strips.get(key)
        if strips is None:
            classes = ("choice-grid--cell", state) if state else ("choice-grid--cell",)
            style = self.get_visual_style(*classes)
            padding = self.get_component_styles("choice-grid--cell").padding
            visual = Padding(_visual(self._cells[index], width - padding.width), padding)
            strips = Visual.to_strips(self, visual, width, height, style)
            strips += [Strip.blank(width)] * (height - len(strips))
            strips = [
                strip.extend_cell_length(width, style.rich_style)
                .crop(0, width)
                .apply_meta({"cell": index})
                for strip in strips
            ]
            self._strips[key] = strips
        return strips

    def _state(self, index: int) -> str:
        if not self._cells[index].enabled:
            return "choice-grid--disabled"
        if index == self.cursor and self.has_focus:
            return "choice-grid--cursor"
        if index == self.hovered:
            return "choice-grid--hover"
        return ""


def _visual(cell: Cell, width: int) -> Content:
    """The cell's words as lines for `width`, wrapped lines and hint starting at its indent."""
    if not cell.indent or width <= cell.indent:
        return cell.label if cell.hint is None else Content.assemble(cell.label, "\n", cell.hint)
    inner = width - cell.indent
    first, *rest = cell.label.wrap(width) or [Content("")]
    lines = [first]
    if rest:
        lines += Content(" ").join(line for line in rest).wrap(inner)
    if cell.hint is not None:
        lines += cell.hint.wrap(inner)
    margin = " " * cell.indent
    return Content("\n").join([first, *(Content.assemble(margin, line) for line in lines[1:])])
