"""The take-away bar under the results: "Show a code for my phone" and "Print this".

Printing runs the configured command (`settings.print_command`, `lp` by
default) in a thread, so a slow or missing printer never freezes the screen;
the result is said in words beside the buttons and posted as
`TakeAway.PrintFinished` for the host (and the tests).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Label, Static

from navigator.engine.views import ServiceView
from navigator.tui.takeaway import (
    PrintResult,
    printable_summary,
    send_to_printer,
    service_codes,
)
from navigator.tui.text import AppText, Msg
from navigator.tui.widgets._css import css_beside
from navigator.tui.widgets.plain_button import PlainButton


class TakeAway(Vertical):
    """Buttons to carry the services' details away: as a QR code, or on paper."""

    DEFAULT_CSS = css_beside(__file__)

    class PrintFinished(Message):
        def __init__(self, result: PrintResult) -> None:
            super().__init__()
            self.result = result

    def __init__(
        self,
        services: Sequence[ServiceView],
        text: AppText,
        *,
        print_command: str,
        followup: Callable[[], str] | None = None,
        second_digit_seconds: float | None = None,
    ) -> None:
        super().__init__()
        self.second_digit_seconds = second_digit_seconds
        """How long a first digit waits for a second on the list of services (the place's)."""
        self.followup = followup
        """The follow-up code's line, issued the first time the page or a code is made."""
        self.services = tuple(services)
        self.text = text
        self.print_command = print_command

    def compose(self) -> ComposeResult:
        yield Static(Content(self.text(Msg.TAKEAWAY_HEADING)), classes="takeaway-heading")
        with Horizontal(classes="takeaway-buttons"):
            yield PlainButton(Content(self.text(Msg.SHOW_CODE)), id="show-code", classes="takeaway")
            yield PlainButton(Content(self.text(Msg.PRINT)), id="print", classes="takeaway")
        yield Label("", id="print-status")

    @property
    def summary(self) -> str:
        followup = self.followup() if self.followup is not None else ""
        return printable_summary(self.services, self.text, followup=followup)

    @on(Button.Pressed, "#show-code")
    def show_code(self, event: Button.Pressed | None = None) -> None:
        """One code per service, so each fits any screen: with several, ask which first."""
        if event is not None:
            event.stop()
        if len(self.services) == 1:
            self._code_for(self.services[0].service_id)
            return
        from navigator.engine.views import Choice
        from navigator.tui.screens.answers import AnswersScreen

        choices = [
            Choice(number, service.service_id, service.name)
            for number, service in enumerate(self.services, start=1)
        ]
        heading = self.text(Msg.CHOOSE_CODE)
        answers = AnswersScreen(
            heading, choices, self.text, second_digit_seconds=self.second_digit_seconds
        )
        self.app.push_screen(answers, self._code_for)

    def _code_for(self, service_id: str | None) -> None:
        from navigator.tui.screens.qr_code import QrCodeScreen

        service = next((s for s in self.services if s.service_id == service_id), None)
        if service is not None:
            codes = service_codes(service, self.text)
            if self.followup is not None:  # the smallest code stays as it is, to fit any screen
                line = self.followup()
                codes = (*(f"{code}\n\n{line}" for code in codes[:-1]), codes[-1])
            self.app.push_screen(QrCodeScreen(codes, self.text))

    @on(Button.Pressed, "#print")
    def print_summary(self, event: Button.Pressed | None = None) -> None:
        if event is not None:
            event.stop()
        status = self.query_one("#print-status", Label)
        status.update(Content(self.text(Msg.PRINTING)))
        status.add_class("-said")
        self.query_one("#print", Button).disabled = True
        self._print(self.summary)

    @work(thread=True, exclusive=True, group="print")
    def _print(self, summary: str) -> None:
        result = send_to_printer(self.print_command, summary)
        with contextlib.suppress(RuntimeError):  # the app closed while the printer was busy
            self.app.call_from_thread(self._printed, result)

    def _printed(self, result: PrintResult) -> None:
        if not self.is_attached:  # the screen was wiped while printing
            return
        words = self.text(Msg.PRINTED if result.ok else Msg.PRINT_FAILED)
        self.query_one("#print-status", Label).update(Content(words))
        self.query_one("#print", Button).disabled = False
        if not result.ok:
            self.log.warning(f"printing failed: {result.detail}")
        self.post_message(self.PrintFinished(result))
