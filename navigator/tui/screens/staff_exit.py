"""The staff PIN prompt that stands between a kiosk and the desktop.

Opened by the staff key combination. The PIN box hides what is typed; the
check is a salted scrypt hash comparison (`PinHash.matches`). A wrong PIN
says so and clears the box; after `MAX_ATTEMPTS` wrong PINs the prompt
closes, so a curious resident cannot sit guessing. Escape or Cancel closes it.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from navigator.tui.kiosk.pin import MAX_PIN_LENGTH, PinHash
from navigator.tui.text import AppText, Msg
from navigator.tui.widgets.plain_button import PlainButton

MAX_ATTEMPTS = 3


class PinInput(Input):
    """The PIN box: hidden as typed, digits only, and never copied to the clipboard."""

    def __init__(self) -> None:
        super().__init__(
            password=True, max_length=MAX_PIN_LENGTH, restrict=r"[0-9]*", id="staff-pin"
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"copy", "cut", "paste"}:
            return False
        return super().check_action(action, parameters)


class StaffExitScreen(ModalScreen[bool]):
    """Dismissed with True for the right PIN, False when cancelled or after too many tries."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, pin_hash: PinHash, text: AppText) -> None:
        super().__init__()
        self.pin_hash = pin_hash
        self.text = text
        self.attempts = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="staff-panel"):
            yield Static(Content(self.text(Msg.STAFF_HEADING)), id="staff-heading")
            yield Static(Content(self.text(Msg.STAFF_PIN)), id="staff-prompt")
            yield PinInput()
            yield Static("", id="staff-problem")
            with Horizontal(id="staff-buttons"):
                yield PlainButton(Content(self.text(Msg.STAFF_CANCEL)), id="staff-cancel")

    def on_mount(self) -> None:
        self.query_one("#staff-pin", Input).focus()

    @on(Input.Submitted, "#staff-pin")
    def check(self, event: Input.Submitted) -> None:
        event.stop()
        pin = event.value
        event.input.value = ""
        if pin and self.pin_hash.matches(pin):
            self.dismiss(True)
            return
        self.attempts += 1
        if self.attempts >= MAX_ATTEMPTS:
            self.dismiss(False)
            return
        self.query_one("#staff-problem", Static).update(Content(self.text(Msg.STAFF_WRONG_PIN)))

    @on(Button.Pressed, "#staff-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
