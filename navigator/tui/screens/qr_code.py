"""The QR code over the whole screen, dark on light so a phone camera can read it.

The code must always be whole on screen, with its Close button: a code cut
off at the bottom cannot be read, and cannot be scrolled into view by a
phone. So the screen is given what the code may carry, fullest first
(`service_codes`, `crisis_codes`), and draws the first that fits beside
the hint and the button, choosing again when the terminal is resized.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from navigator.tui.takeaway import fitting_code
from navigator.tui.text import AppText, Msg
from navigator.tui.widgets.plain_button import PlainButton

SIDE_WIDTH = 26
"""The column beside the code for the hint and Close (matches the .tcss)."""
CHROME_WIDTH = SIDE_WIDTH + 4
"""Cells across that are not the code: the side column, the gap and the panel's padding."""
CHROME_HEIGHT = 2
"""Rows that are not the code: the panel's padding above and below."""


class QrCodeScreen(ModalScreen[None]):
    """Shows a QR code and how to use it; any of Escape, Enter or Close returns."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = [Binding("escape", "close", show=False)]

    def __init__(self, payloads: str | Sequence[str], text: AppText) -> None:
        super().__init__()
        self.payloads = (payloads,) if isinstance(payloads, str) else tuple(payloads)
        self.payload = self.payloads[-1]
        """What the code on screen carries (the fullest that fits, once drawn)."""
        self.text = text

    def compose(self) -> ComposeResult:
        with Horizontal(id="qr-panel"):
            yield Static("", id="qr-code")
            with Vertical(id="qr-side"):
                yield Static(Content(self.text(Msg.CODE_HINT)), id="qr-hint")
                yield PlainButton(Content(self.text(Msg.CLOSE)), id="qr-close", classes="-big")

    def on_mount(self) -> None:
        self._draw()
        self.query_one("#qr-close", Button).focus()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        width, height = self.size
        self.payload, rows = fitting_code(
            self.payloads, width - CHROME_WIDTH, height - CHROME_HEIGHT
        )
        code = Text("\n".join(rows), style="#000000 on #FFFFFF", no_wrap=True)
        self.query_one("#qr-code", Static).update(code)

    @on(Button.Pressed, "#qr-close")
    def action_close(self) -> None:
        self.dismiss(None)
