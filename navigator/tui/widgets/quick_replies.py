"""Numbered answer buttons: touch one, or press its number (1-9), no typing needed.

The choices come down as an attribute (`choices`, the engine's `Choice`
objects) and the person's pick goes up as a `QuickReplies.Chosen` message,
so the same widget serves the resident app and advocate mode.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button

from navigator.engine.views import Choice
from navigator.tui.widgets._css import css_beside
from navigator.tui.widgets.plain_button import PlainButton

NUMBER_KEYS = 9
"""Choices 1 to 9 have a number key; further ones are touched, tabbed to, or typed ("12")."""

MOST_HINTS = 6
"""Longer lists show labels only, so they still fit on one screen."""


class ReplyButton(PlainButton):
    """A button that remembers which choice it stands for."""

    def __init__(self, choice: Choice, *, hint: bool = True) -> None:
        number = f"{choice.number}  "
        label = Content.assemble(number, choice.label)
        if choice.hint and hint:
            hint_line = (choice.hint, "not bold italic")
            label = Content.assemble(label, "\n", " " * len(number), hint_line)
        super().__init__(label, id=f"reply-{choice.number}", classes="reply")
        self.choice = choice


class QuickReplies(Grid, can_focus=False):
    """The current answers as numbered buttons, in one or two columns by width."""

    DEFAULT_CSS = css_beside(__file__)

    choices: reactive[tuple[Choice, ...]] = reactive(())

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
        super().__init__(id=id, classes=classes)
        self.set_reactive(QuickReplies.choices, tuple(choices))
        self._focus_when_ready = False

    def compose(self) -> ComposeResult:
        hints = len(self.choices) <= MOST_HINTS
        for choice in self.choices:
            yield ReplyButton(choice, hint=hints)

    def on_resize(self) -> None:
        self._fit_columns()

    async def watch_choices(self, choices: tuple[Choice, ...]) -> None:
        """Replace the buttons, then (if asked) focus the first one: only once it is mounted.

        Focusing straight after setting `choices` would land on a button that is
        about to be removed, and Textual would move focus to whatever is next:
        the "Finish" button on the bar, one Enter away from ending the session.
        """
        await self.remove_children()
        hints = len(choices) <= MOST_HINTS
        await self.mount_all(ReplyButton(choice, hint=hints) for choice in choices)
        self.display = bool(choices)
        self._fit_columns()
        if self._focus_when_ready:
            self._focus_when_ready = False
            self.focus_first()

    def show(self, choices: Sequence[Choice], *, focus: bool) -> None:
        """Show these choices; with `focus`, put the keyboard on the first once it is drawn."""
        choices = tuple(choices)
        if choices == self.choices:
            if focus:
                self.focus_first()
            return
        self._focus_when_ready = focus
        self.choices = choices

    def _fit_columns(self) -> None:
        wide = self.size.width >= 70 and len(self.choices) > 3
        self.styles.grid_size_columns = 2 if wide else 1

    def choose_number(self, number: int) -> bool:
        """Pick the choice with this number, as its key would. False if there is none."""
        for choice in self.choices:
            if choice.number == number:
                self.post_message(self.Chosen(choice))
                return True
        return False

    def focus_first(self) -> None:
        """Put the keyboard on the first answer, so Enter and arrows work at once."""
        buttons = list(self.query(ReplyButton))
        if buttons:
            buttons[0].focus(scroll_visible=False)

    @on(Button.Pressed, ".reply")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if isinstance(event.button, ReplyButton):
            self.post_message(self.Chosen(event.button.choice))
