""" "Did you get help?": the follow-up questions, for a person who came back with their code.

A thin screen over `navigator.engine.followup.FollowupFlow`: it shows the
flow's view (a title, one line, numbered answers) and hands over what is
typed or chosen. Numbers answer, as everywhere in the app; the code is typed
into one box. When the flow finishes (thanks, or a kind word about an
unknown code), "Carry on" or Enter returns to the conversation, which has
not moved: the person can go on to choose a topic.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from navigator.engine.followup import FollowupFlow, FollowupView
from navigator.tui.widgets.plain_button import PlainButton


class FollowupScreen(ModalScreen[None]):
    """The follow-up questions, one at a time, over the conversation."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = [Binding(str(number), f"choose({number})", show=False) for number in range(1, 10)]

    def __init__(self, flow: FollowupFlow, *, code: str | None = None) -> None:
        super().__init__()
        self.flow = flow
        self._code = code
        """A code typed in the conversation's own box: checked as soon as the screen opens."""

    def compose(self) -> ComposeResult:
        with Vertical(id="followup-panel"):
            yield Static("", id="followup-title")
            yield Static("", id="followup-text")
            yield Input(id="followup-code", max_length=20)
            yield Vertical(id="followup-choices")

    def on_mount(self) -> None:
        if self._code is not None:
            self.flow.enter_code(self._code)
        self.show(self.flow.view)

    def show(self, view: FollowupView) -> None:
        self.query_one("#followup-title", Static).update(Content(view.title))
        self.query_one("#followup-text", Static).update(Content(view.text))
        code = self.query_one("#followup-code", Input)
        code.display = view.step == "code"
        choices = self.query_one("#followup-choices", Vertical)
        choices.remove_children()  # ids would clash while the old ones go: buttons go by name
        buttons = [
            PlainButton(Content(f"{choice.number}. {choice.label}"), name=str(choice.number))
            for choice in view.choices
        ]
        if view.step == "finished":
            say = self.flow.conversation.wording.message
            buttons = [PlainButton(Content(say("followup_carry_on")), id="carry-on")]
        choices.mount_all(buttons)
        if view.step == "code":
            code.focus()
        elif buttons:
            self.call_after_refresh(buttons[0].focus)

    def action_choose(self, number: int) -> None:
        if self.flow.view.step in {"code", "finished"}:
            return
        self.show(self.flow.choose(number))

    @on(Input.Submitted, "#followup-code")
    def _code_typed(self, event: Input.Submitted) -> None:
        event.stop()
        self.show(self.flow.enter_code(event.value))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "carry-on":
            self.dismiss(None)
        elif event.button.name:
            self.action_choose(int(event.button.name))
