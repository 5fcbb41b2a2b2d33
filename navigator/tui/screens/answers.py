"""Change an earlier answer: the answers given so far, each one a button.

Choosing one goes back to that question (the engine's `change_answer`); the
answers after it are dropped. Built from the same `QuickReplies` widget as
the conversation, so numbers and touch work the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from navigator.engine.views import Choice
from navigator.tui.text import AppText, Msg
from navigator.tui.widgets.plain_button import PlainButton
from navigator.tui.widgets.quick_replies import QuickReplies


class AnswersScreen(ModalScreen[str | None]):
    """Dismissed with the node id of the question to change, or None."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = [
        Binding("escape", "close", show=False),
        *(Binding(str(number), f"choose({number})", show=False) for number in range(10)),
    ]

    def __init__(
        self,
        heading: str,
        answers: Sequence[Choice],
        text: AppText,
        *,
        second_digit_seconds: float | None = None,
    ) -> None:
        """`second_digit_seconds`: the place's setting, as on the conversation's own answers
        (a person who types slowly needs the same time here, on a long list of services)."""
        super().__init__()
        self.heading = heading
        self.answers = tuple(answers)
        self.text = text
        self.second_digit_seconds = second_digit_seconds

    def compose(self) -> ComposeResult:
        with Vertical(id="answers-panel"):
            yield Static(Content(self.heading), id="answers-heading")
            yield QuickReplies(
                self.answers, second_digit_seconds=self.second_digit_seconds, id="answers"
            )
            yield PlainButton(Content(self.text(Msg.CLOSE)), id="answers-close")

    def on_mount(self) -> None:
        self.query_one(QuickReplies).focus_first()

    def action_choose(self, digit: int) -> None:
        self.query_one(QuickReplies).press_digit(digit)

    def on_quick_replies_chosen(self, message: QuickReplies.Chosen) -> None:
        message.stop()
        self.dismiss(message.choice.key)

    @on(Button.Pressed, "#answers-close")
    def action_close(self) -> None:
        self.dismiss(None)
