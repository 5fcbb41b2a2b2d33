"""Numbered answers: touch one, or press its number (1-9), no typing needed.

Answers past 9 are pressed as two digits, quickly: on a list of ten or more,
a digit that could start a longer number ("1" of "14") waits
`SECOND_DIGIT_SECONDS` for the next one, with the cursor on the answer typed
so far, and Enter chooses that answer at once. A digit that can start no
longer number chooses at once, as on a short list. The number keys are the
host screen's bindings (it calls `press_digit`), so they work wherever the
keyboard is; the host can take back digits still waiting (`take_typed`) when
letters follow them, so "1 cat" typed in one burst stays words.

Keys typed ahead (a browser or a terminal delivers a burst of typing at once,
"2" then "1") are read in order, each against the list that is on screen once
the key before it has had its effect: from the moment an answer is chosen until
the host has drawn what it led to, keys wait here (`_ahead`), and they are
pressed again once the new list is drawn (`settle`, or new `choices`). So a
digit typed ahead answers the next question by its number, as the person meant;
it is never read against the list being left, nor pressed on a list that is not
drawn yet. Enter typed right after a choice, before the next list is drawn,
confirms that choice ("9" then Enter, a habit from phone menus) and answers
nothing more: the answer under the cursor of a list not yet seen is not
something a person can mean (after digits typed ahead it is kept, and chooses
what they typed once the list is there). A click while a choice
is on its way pointed at the old list and is dropped. If the host puts a pop-up
over the list meanwhile (a crisis screen, "are you sure?"), keys typed ahead are
dropped, never pressed on the pop-up or the list under it.

The choices come down as an attribute (`choices`, the engine's `Choice`
objects) and the person's pick goes up as a `QuickReplies.Chosen` message,
so the same widget serves the resident app, advocate mode and the "change an
answer" list. The answers are cells of one `ChoiceGrid` (see there for why
they are not a button each): two columns when there is room for more than
three, with each answer's hint on a second line when there are few enough.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer

from navigator.engine.views import Choice
from navigator.tui.widgets._css import css_beside
from navigator.tui.widgets.choice_grid import Cell, ChoiceGrid

MOST_HINTS = 6
"""Longer lists show labels only, so they still fit on one screen."""

TWO_COLUMNS_FROM = 70
"""Content width (cells) from which more than three answers go in two columns."""

Moving = Literal["still", "leaving", "arriving"]
"""Where the list is: `still` (keys act at once); `leaving` (a choice is on its way
to the host, which has not drawn what it led to); `arriving` (the host is done, and
the list now shown is drawn before the keys typed ahead are pressed on it)."""

ENTER = -1
"""Enter, among the keys typed ahead (the others are digits)."""


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

    SECOND_DIGIT_SECONDS = 1.2
    """How long a first digit waits for a second on a list of ten or more answers, unless
    the place sets `second_digit_seconds` (longer for people who type slowly)."""

    class Chosen(Message):
        """The person picked a choice (by touch, Enter or its number key)."""

        def __init__(self, choice: Choice) -> None:
            super().__init__()
            self.choice = choice

    def __init__(
        self,
        choices: Sequence[Choice] = (),
        *,
        second_digit_seconds: float | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(reply_cells(choices), id=id, classes=classes)
        self.second_digit_seconds = second_digit_seconds or self.SECOND_DIGIT_SECONDS
        self.set_reactive(QuickReplies.choices, tuple(choices))
        self.display = bool(choices)
        self._typed = ""
        self._wait: Timer | None = None
        self._moving: Moving = "still"
        self._ahead: list[int] = []
        """Keys typed while a choice was on its way: digits, or ENTER."""

    def watch_choices(self, choices: tuple[Choice, ...]) -> None:
        self.take_typed()
        self.set_cells(reply_cells(choices))
        self.display = bool(choices)
        self.settle()

    def settle(self) -> None:
        """The host has dealt with the choice (whether or not it drew a new list).

        The keys typed ahead are pressed once the screen has been drawn, so none
        is read against a list the person has not been shown."""
        if self._moving == "leaving":
            self._moving = "arriving"
            self.call_after_refresh(self._press_ahead)

    def _press_ahead(self) -> None:
        """Press the keys typed ahead, in order, until one of them chooses again."""
        if self._moving != "arriving":
            return
        self._moving = "still"
        if not self.is_attached or self.app.screen is not self.screen or not self.choices:
            self._ahead.clear()  # a pop-up, another screen, or no list: not for those
            return
        while self._ahead and self._moving == "still":
            key = self._ahead.pop(0)
            if key == ENTER:
                self.action_press()
            else:
                self.press_digit(key)

    def _typed_ahead(self, key: int) -> bool:
        """Keep `key` for the next list if a choice is on its way (True), else False."""
        if self._moving == "still":
            return False
        if key == ENTER and not self._ahead:
            return True  # it confirms the choice just made: not an answer to what follows
        self._ahead.append(key)
        return True

    @property
    def two_digits(self) -> bool:
        """Whether some answer needs two digits (and so the hint line says how)."""
        return any(choice.number >= 10 for choice in self.choices)

    @property
    def waiting_for_second_digit(self) -> bool:
        """Whether a digit typed is waiting for the next one (Enter would choose it now).

        Read-only, for the screen's hint and for tests that press a number as a person
        would: the rule for which digits wait stays here, in one place."""
        return bool(self._typed)

    @property
    def choosing(self) -> bool:
        """Whether a choice is on its way to the host, which has not yet drawn what it
        led to: words typed now are meant for the next screen, not this one."""
        return self._moving == "leaving"

    def press_digit(self, digit: int) -> None:
        """A number key: choose now, or wait briefly for a second digit (or, while a
        choice is on its way, once the list it leads to is drawn)."""
        if self._typed_ahead(digit):
            return
        typed = self.take_typed() + str(digit)
        numbers = {str(choice.number) for choice in self.choices}
        if any(len(number) > len(typed) and number.startswith(typed) for number in numbers):
            self._typed = typed
            self._wait = self.set_timer(self.second_digit_seconds, self._waited)
            index = self._index_of(int(typed))
            if index is not None:
                self.cursor = index
        elif typed in numbers:
            self.choose_number(int(typed))

    def take_typed(self) -> str:
        """Stop waiting for a second digit; the digits typed so far (maybe none)."""
        typed, self._typed = self._typed, ""
        if self._wait is not None:
            self._wait.stop()
            self._wait = None
        return typed

    def take_words(self) -> str:
        """The digits typed so far, and those typed ahead, now that letters follow them:
        "2" then "1 cat" is words after the 2, so the 1 must not answer the next question."""
        ahead = "".join(str(key) for key in self._ahead if key != ENTER)
        self._ahead.clear()
        return self.take_typed() + ahead

    def _waited(self) -> None:
        typed = self.take_typed()
        if typed:
            self.choose_number(int(typed))

    def _index_of(self, number: int) -> int | None:
        return next(
            (index for index, choice in enumerate(self.choices) if choice.number == number), None
        )

    def action_press(self) -> None:
        """Enter while a digit waits chooses that digit's answer at once."""
        if self._typed_ahead(ENTER):
            return
        typed = self.take_typed()
        if typed:
            self.choose_number(int(typed))
        else:
            super().action_press()

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
                self._choose(choice)
                return True
        return False

    def _choose(self, choice: Choice) -> None:
        """Send `choice` up; keys from now on wait for what it leads to."""
        self._moving = "leaving"
        self.post_message(self.Chosen(choice))

    def focus_first(self) -> None:
        """Put the keyboard on the first answer, so Enter and arrows work at once.

        On a screen still being mounted (its first answers), the keyboard moves at
        once: `focus` would move it once the app's queue reaches it, after the
        screen's first frame, and Textual would then restyle, lay out and draw the
        screen a second time (the welcome's whole list: a fifth of its first frame).
        Later, `focus` keeps its place in the queue among other moves of the keyboard.
        """
        if not self.choices:
            return
        self.cursor = 0
        if self.is_attached and not self.screen.is_mounted:
            self.screen.set_focus(self, scroll_visible=False)
        else:
            self.focus(scroll_visible=False)

    def pressed(self, index: int) -> None:
        if self._moving == "still":  # else a click on the list being left
            self._choose(self.choices[index])
