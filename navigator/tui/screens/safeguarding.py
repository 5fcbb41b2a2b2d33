"""The safeguarding panel over the whole screen, so it cannot be missed.

It is a modal screen: nothing else can be pressed until the person chooses
to carry on, and the contacts are the first thing on it. Carrying on is
reported to the host, which tells the engine (`continue_after_safeguarding`).
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.screen import ModalScreen

from navigator.engine.views import SafeguardingView
from navigator.tui.text import AppText
from navigator.tui.widgets.safeguarding import SafeguardingPanel


class SafeguardingScreen(ModalScreen[None]):
    """Dismissed (with None) when the person carries on."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")

    def __init__(self, view: SafeguardingView, text: AppText) -> None:
        super().__init__()
        self.view = view
        self.text = text

    def compose(self) -> ComposeResult:
        yield SafeguardingPanel(self.view, self.text, id="safeguarding")

    def on_mount(self) -> None:
        self.query_one("#carry-on").focus(scroll_visible=False)
        self.query_one(SafeguardingPanel).scroll_home(animate=False)

    def on_safeguarding_panel_carry_on(self, message: SafeguardingPanel.CarryOn) -> None:
        message.stop()
        self.dismiss(None)
