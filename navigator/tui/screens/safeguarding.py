"""The safeguarding panel over the whole screen, so it cannot be missed.

It is a modal screen: nothing else can be pressed until the person chooses
to carry on, and the contacts are the first thing on it. The keyboard
starts on "I am safe to carry on", which is always in view; the arrow and
page keys scroll the contacts above it. Carrying on is reported to the host
(dismissed with True), which tells the engine. The same screen shows the
contacts again later ("Help now"), when carrying on only closes it.

The contacts can be taken away, printed or as a code for a phone, like a
service's details; "Leave this page quickly" asks the app to clear the
screen at once (`NavigatorApp.quick_exit`).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen

from navigator.engine.views import SafeguardingView
from navigator.tui.takeaway import (
    PrintResult,
    crisis_codes,
    printable_contacts,
    send_to_printer,
)
from navigator.tui.text import AppText, Msg
from navigator.tui.widgets.safeguarding import SafeguardingPanel


class SafeguardingScreen(ModalScreen[bool]):
    """Dismissed with True when the person carries on."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = [
        Binding("up", "scroll_words('up')", show=False),
        Binding("down", "scroll_words('down')", show=False),
        Binding("pageup", "scroll_words('page_up')", show=False),
        Binding("pagedown", "scroll_words('page_down')", show=False),
    ]

    def __init__(
        self,
        view: SafeguardingView,
        text: AppText,
        *,
        staff_nearby: bool = False,
        print_command: str = "lp",
        quick_exit: bool = True,
    ) -> None:
        super().__init__()
        self.view = view
        self.text = text
        self.staff_nearby = staff_nearby
        self.print_command = print_command
        self.quick_exit = quick_exit

    def compose(self) -> ComposeResult:
        yield SafeguardingPanel(
            self.view,
            self.text,
            staff_nearby=self.staff_nearby,
            quick_exit=self.quick_exit,
            id="safeguarding",
        )

    @property
    def panel(self) -> SafeguardingPanel:
        return self.query_one(SafeguardingPanel)

    def on_mount(self) -> None:
        self.query_one("#carry-on").focus(scroll_visible=False)
        self.panel.words.scroll_home(animate=False)

    def action_scroll_words(self, how: str) -> None:
        """The keys scroll the contacts while the keyboard stays on the actions."""
        words = self.panel.words
        moves = {
            "up": words.scroll_up,
            "down": words.scroll_down,
            "page_up": words.scroll_page_up,
            "page_down": words.scroll_page_down,
        }
        moves[how](animate=False)

    def on_safeguarding_panel_carry_on(self, message: SafeguardingPanel.CarryOn) -> None:
        message.stop()
        self.dismiss(True)

    def on_safeguarding_panel_quick_exit(self, message: SafeguardingPanel.QuickExit) -> None:
        message.stop()
        from navigator.tui.app import NavigatorApp

        if isinstance(self.app, NavigatorApp):
            self.app.quick_exit()

    def on_safeguarding_panel_show_code(self, message: SafeguardingPanel.ShowCode) -> None:
        message.stop()
        from navigator.tui.screens.qr_code import QrCodeScreen

        self.app.push_screen(QrCodeScreen(crisis_codes(self.view.contacts, self.text), self.text))

    def on_safeguarding_panel_print_contacts(
        self, message: SafeguardingPanel.PrintContacts
    ) -> None:
        message.stop()
        self.panel.say_printing(self.text(Msg.PRINTING))
        self._print(printable_contacts(self.view.contacts, self.text))

    @work(thread=True, exclusive=True, group="print")
    def _print(self, page: str) -> None:
        result = send_to_printer(self.print_command, page)
        with contextlib.suppress(RuntimeError):  # the app closed while the printer was busy
            self.app.call_from_thread(self._printed, result)

    def _printed(self, result: PrintResult) -> None:
        if self.is_attached:
            self.panel.say_printing(self.text(Msg.PRINTED if result.ok else Msg.PRINT_FAILED))
