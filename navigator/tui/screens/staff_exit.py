"""The staff PIN prompt that stands between a kiosk and the desktop.

Opened by the staff key combination. The PIN box hides what is typed; the
check is a salted scrypt hash comparison (`PinHash.matches`). A wrong PIN
says so and clears the box. Wrong PINs are counted in a file
(`navigator.attempts`), so guessing is slow even across restarts: after 3 in
a row each try must wait, twice as long each time, and after 10 staff exit
locks for 15 minutes. The prompt says which, and no PIN is checked (not even
the right one) until the wait is over. The kiosk carries on serving residents
meanwhile: Escape or Cancel closes the prompt.
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

from navigator.attempts import Attempts, Door
from navigator.tui.kiosk.pin import MAX_PIN_LENGTH, PinHash
from navigator.tui.text import AppText, Msg
from navigator.tui.widgets.plain_button import PlainButton


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
    """Dismissed with True for the right PIN, False when cancelled."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, pin_hash: PinHash, text: AppText, attempts: Attempts) -> None:
        super().__init__()
        self.pin_hash = pin_hash
        self.text = text
        self.attempts = attempts

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
        door = self.attempts.door()
        if not door.is_open:
            self._say(door)

    @on(Input.Submitted, "#staff-pin")
    def check(self, event: Input.Submitted) -> None:
        event.stop()
        pin = event.value
        event.input.value = ""
        door = self.attempts.door()
        if not door.is_open:  # not even the right PIN until the wait is over
            self._say(door)
            return
        if pin and self.pin_hash.matches(pin):
            self.attempts.succeeded()
            self.dismiss(True)
            return
        self._say(self.attempts.failed())

    def _say(self, door: Door) -> None:
        """Wrong PIN, wait N seconds, or locked for N minutes: what staff must do next."""
        if door.state == "locked":
            words = self.text(Msg.STAFF_LOCKED, minutes=door.whole_minutes)
        elif door.state == "wait":
            words = self.text(Msg.STAFF_WAIT, seconds=door.whole_seconds)
        else:
            words = self.text(Msg.STAFF_WRONG_PIN)
        self.query_one("#staff-problem", Static).update(Content(words))

    @on(Button.Pressed, "#staff-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
