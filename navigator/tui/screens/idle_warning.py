"""The kiosk's "Do you need more time?", with a countdown that any key or touch stops.

The app owns the timing (`IdleGuard`) and updates `seconds_left` on each
sweep; this screen only shows it. Any key, click or touch dismisses it with
True ("more time"), and that input also resets the idle timer, so one
simple action extends the session, as many times as the person needs
(WCAG 2.2.1).
"""

from __future__ import annotations

from pathlib import Path

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from navigator.tui.text import AppText, Msg
from navigator.tui.widgets.plain_button import PlainButton


class IdleWarningScreen(ModalScreen[bool]):
    """Dismissed with True when the person asks for more time."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")

    seconds_left: reactive[int] = reactive(0)

    def __init__(self, text: AppText, seconds_left: int) -> None:
        super().__init__()
        self.text = text
        self.set_reactive(IdleWarningScreen.seconds_left, seconds_left)
        self._answered = False

    def compose(self) -> ComposeResult:
        with Vertical(id="idle-panel"):
            yield Static(Content(self.text(Msg.IDLE_HEADING)), id="idle-heading")
            yield Static(self._countdown(), id="idle-countdown")
            yield Static(Content(self.text(Msg.IDLE_KEY_HINT)), id="idle-hint")
            yield PlainButton(
                Content(self.text(Msg.IDLE_MORE_TIME)), id="more-time", classes="-big"
            )

    def on_mount(self) -> None:
        self.query_one("#more-time", Button).focus()

    def _countdown(self) -> Content:
        return Content(self.text(Msg.IDLE_COUNTDOWN, seconds=self.seconds_left))

    def watch_seconds_left(self) -> None:
        if self.is_mounted:
            self.query_one("#idle-countdown", Static).update(self._countdown())

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.more_time()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        event.stop()
        self.more_time()

    @on(Button.Pressed, "#more-time")
    def more_time(self) -> None:
        """Close with "more time", once (a key and a click may both arrive)."""
        if not self._answered:
            self._answered = True
            self.dismiss(True)
