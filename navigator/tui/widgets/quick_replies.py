"""Numbered answers: touch one, or press its number (1-9), no typing needed.

Answers past 9 are touched, reached with the arrow keys, or typed in the text
box ("12"), which the engine reads as that answer. The number keys are the host
screen's bindings, so they work wherever the keyboard is.

The choices come down as an attribute (`choices`, the engine's `Choice`
objects) and the person's pick goes up as a `QuickReplies.Chosen` message,
so the same widget serves the resident app, advocate mode and the "change an
answer" list. The answers are cells of one `ChoiceGrid` (see there for why
they are not a button each): two columns when there is room for more than
three, with each answer's hint on a second line when there are few enough.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.message import Message
from textual.reactive import reactive

from navigator.engine.views import Choice
from navigator.tui.widgets._css import css_beside
from navigator.tui.widgets.choice_grid import Cell, ChoiceGrid

MOST_HINTS = 6
"""Longer lists show labels only, so they still fit on one screen."""

TWO_COLUMNS_FROM = 70
"""Content width (cells) from which more than three answers go in two columns."""


def reply_cells(choices: Sequence[Choice]) -> tuple[Cell, ...]:
    """Each choice as a cell: "3  Label", and its hint under the label when there are few."""
    hints = len(choices) <= MOST_HINTS
    cells = []
    for choice in choices:
        number = f"{choice.number}  "
        hint = Content.styled(choice.hint, "not bold italic") if choice.hint and hints else None
        cells.append(Cell(Content.assemble(number, choice.label), hint, indent=len(number)))
    return tuple(cells)


class QuickReplies(ChoiceGrid):
    """The current answers, numbered, in one or two columns by width."""

    DEFAULT_CSS = css_beside(__file__)

    choices: reactive[tuple[Choice, ...]] = reactive((), init=False)

    class Chosen(Message):
        """The person picked a choice (by touch, Enter or its number key)."""

        def __init__(self, choice: Choice) -> None:
            super().__init__()
            self.choice = choice

    def __init__(
        self,
        choices: Sequence[Choice] = (),
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(reply_cells(choices), id=id, classes=classes)
        self.set_reactive(QuickReplies.choices, tuple(choices))
        self.display = bool(choices)

    def watch_choices(self, choices: tuple[Choice, ...]) -> None:
        self.set_cells(reply_cells(choices))
        self.display = bool(choices)

    def columns_for(self, width: int) -> int:
        return 2 if width >= TWO_COLUMNS_FROM and len(self.cells) > 3 else 1

    def show(self, choices: Sequence[Choice], *, focus: bool) -> None:
        """Show these choices; with `focus`, put the keyboard on the first."""
        self.choices = tuple(choices)
        if focus:
            self.focus_first()

    def choose_number(self, number: int) -> bool:
        """Pick the choice with this number, as its key would. False if there is none."""
        for choice in self.choices:
            if choice.number == number:
                self.post_message(self.Chosen(choice))
                return True
        return False

    def focus_first(self) -> None:
        """Put the keyboard on the first answer, so Enter and arrows work at once."""
        if self.choices:
            self.cursor = 0
            self.focus(scroll_visible=False)

    def pressed(self, index: int) -> None:
        self.post_message(self.Chosen(self.choices[index]))
