""" "Start again? Your answers will be cleared. Yes / No": asked before anything is lost.

Start again, Finish and leaving the advocate tool clear what the person has
said (and an advocate's notes), so they are asked first. The keyboard
starts on "No", so a slip of Enter loses nothing; Y and N answer too, and
Escape is "No". At a kiosk an unanswered question must not stay on a public
screen: `expires_at` (on the app's clock) makes the app's idle sweep answer
"No" for the person who walked away.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from navigator.tui.text import AppText, Msg
from navigator.tui.widgets.plain_button import PlainButton


class ConfirmScreen(ModalScreen[bool]):
    """A yes-or-no question; dismissed with True only for "Yes"."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = [
        Binding("escape,n", "answer(False)", show=False),
        Binding("y", "answer(True)", show=False),
        Binding("left,right", "switch", show=False),
    ]

    def __init__(self, question: str, text: AppText, *, expires_at: float | None = None) -> None:
        super().__init__()
        self.question = question
        self.text = text
        self.expires_at = expires_at
        """When (on the app's clock) an unanswered question counts as "No"; None: never."""

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-panel"):
            yield Static(Content(self.question), id="confirm-question")
            with Horizontal(id="confirm-answers"):
                yield PlainButton(Content(self.text(Msg.CONFIRM_YES)), id="yes", classes="-big")
                yield PlainButton(Content(self.text(Msg.CONFIRM_NO)), id="no", classes="-big")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    def action_switch(self) -> None:
        self.focus_next()

    def action_answer(self, yes: bool) -> None:
        if self.is_current:
            self.dismiss(yes)

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.action_answer(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.action_answer(False)
