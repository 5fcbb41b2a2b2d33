"""The QR code over the whole screen, dark on light so a phone camera can read it."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from navigator.tui.takeaway import qr_rows
from navigator.tui.text import AppText, Msg
from navigator.tui.widgets.plain_button import PlainButton


class QrCodeScreen(ModalScreen[None]):
    """Shows a QR code and how to use it; any of Escape, Enter or Close returns."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = [Binding("escape", "close", show=False)]

    def __init__(self, payload: str, text: AppText) -> None:
        super().__init__()
        self.payload = payload
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="qr-panel"):
            yield Static(Content(self.text(Msg.CODE_HINT)), id="qr-hint")
            code = Text("\n".join(qr_rows(self.payload)), style="#000000 on #FFFFFF")
            yield Static(code, id="qr-code", markup=False)
            yield PlainButton(Content(self.text(Msg.CLOSE)), id="qr-close", classes="-big")

    def on_mount(self) -> None:
        self.query_one("#qr-close", Button).focus()

    @on(Button.Pressed, "#qr-close")
    def action_close(self) -> None:
        self.dismiss(None)
