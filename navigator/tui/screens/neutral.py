"""A plain, neutral screen to leave Navigator quickly, like GOV.UK's "Exit this page".

Shown at once by `NavigatorApp.quick_exit` after the session is wiped, so
someone looking over a shoulder sees an empty screen, not a support
service. It says only how to go on; Enter (or a click) returns to a fresh
welcome. Nothing of the conversation is under it: the screens beneath were
replaced before it was shown.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static


class NeutralScreen(Screen[None]):
    """Almost nothing on screen; Enter or a click goes back to the welcome."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = [Binding("enter", "leave", show=False)]

    def __init__(self, words: str) -> None:
        super().__init__()
        self.words = words

    def compose(self) -> ComposeResult:
        yield Static(Content(self.words), id="neutral-words")

    def on_click(self, _: events.Click) -> None:
        self.action_leave()

    def action_leave(self) -> None:
        self.dismiss(None)
