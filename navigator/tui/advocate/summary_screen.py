"""The summary for the resident: read it on screen, then save it, print it or show a QR code.

Saving asks where (the path box, filled with a sensible name in the home
folder): a name ending `.txt` gets plain text, anything else Markdown. An
existing file is replaced only when Save is pressed a second time, and the
file is made readable by its owner only, because it holds the resident's
answers. Printing sends the plain text to `settings.print_command` in a
thread, as the resident app's take-away does; the QR code carries only the
services and next steps (`SessionSummary.qr_text`), never the answers.
Email sends the plain text to the address the advocate types, through the
`smtp_*` settings; the address is cleared once sent and is never stored.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Markdown, Static

from navigator.config import Settings
from navigator.delivery import Delivery, email_ready, send_email
from navigator.engine.summary import SessionSummary
from navigator.tui.advocate.text import AdvocateMsg, AdvocateText
from navigator.tui.takeaway import PrintResult, send_to_printer
from navigator.tui.text import Msg
from navigator.tui.widgets.plain_button import PlainButton

PLAIN_SUFFIXES = frozenset({".txt", ".text"})
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

SaveStatus = Literal["saved", "exists", "failed", "no_path"]


@dataclass(frozen=True)
class SaveOutcome:
    status: SaveStatus
    path: Path | None = None
    problem: str = ""


def save_summary(summary: SessionSummary, typed: str, *, replace: bool = False) -> SaveOutcome:
    """Write the summary where `typed` says; never raises for a bad path, says what went wrong.

    The file is created readable and writable by its owner only (0o600).
    """
    typed = typed.strip()
    if not typed:
        return SaveOutcome("no_path")
    path = Path(typed).expanduser()
    if path.is_dir():
        return SaveOutcome("failed", path, "that is a folder; add a file name")
    if path.exists() and not replace:
        return SaveOutcome("exists", path)
    content = summary.plain_text() if path.suffix.lower() in PLAIN_SUFFIXES else summary.markdown()
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(content)
    except OSError as problem:
        return SaveOutcome("failed", path, problem.strerror or str(problem))
    return SaveOutcome("saved", path)


class SummaryScreen(ModalScreen[None]):
    """The summary on screen, with Save, Print, Show code and Close."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = [
        Binding("escape", "close", show=False),
        Binding("ctrl+s", "save", show=False),
    ]

    def __init__(
        self,
        summary: SessionSummary,
        text: AdvocateText,
        *,
        print_command: str,
        default_path: Path,
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        self.summary = summary
        self.words = text
        self.print_command = print_command
        self.default_path = default_path
        self._confirm_replace: Path | None = None
        self.last_save: SaveOutcome | None = None
        self.last_print: PrintResult | None = None
        self.settings = settings
        """Where email goes out (the `smtp_*` settings); the Email row shows only when set."""
        self.last_email: Delivery | None = None

    def compose(self) -> ComposeResult:
        words = self.words
        with Vertical(id="summary-panel"):
            yield Static(Content(words(AdvocateMsg.SUMMARY_HEADING)), id="summary-heading")
            with VerticalScroll(id="summary-scroll"):
                yield Markdown(self.summary.markdown(), id="summary-markdown")
            yield Label(Content(words(AdvocateMsg.SUMMARY_PATH)), id="summary-path-label")
            with Horizontal(id="summary-save-row"):
                yield Input(str(self.default_path), id="summary-path")
                yield PlainButton(Content(words(AdvocateMsg.SUMMARY_SAVE)), id="summary-save")
            if self.settings is not None and not email_ready(self.settings):
                yield Label(
                    Content(words(AdvocateMsg.SUMMARY_EMAIL_LABEL)), id="summary-email-label"
                )
                with Horizontal(id="summary-email-row"):
                    yield Input(max_length=254, id="summary-email")
                    yield PlainButton(
                        Content(words(AdvocateMsg.SUMMARY_EMAIL_SEND)), id="summary-email-send"
                    )
            with Horizontal(id="summary-buttons"):
                yield PlainButton(Content(words(AdvocateMsg.SUMMARY_PRINT)), id="summary-print")
                yield PlainButton(Content(words(AdvocateMsg.SUMMARY_CODE)), id="summary-code")
                yield PlainButton(Content(words(Msg.CLOSE)), id="summary-close")
            yield Static("", id="summary-status")

    def on_mount(self) -> None:
        self.query_one("#summary-path", Input).focus()

    def say(self, words: str) -> None:
        self.query_one("#summary-status", Static).update(Content(words))

    @on(Input.Changed, "#summary-path")
    def _path_changed(self) -> None:
        self._confirm_replace = None

    @on(Input.Submitted, "#summary-path")
    @on(Button.Pressed, "#summary-save")
    def action_save(self) -> None:
        typed = self.query_one("#summary-path", Input).value
        path = Path(typed.strip()).expanduser() if typed.strip() else None
        outcome = save_summary(
            self.summary, typed, replace=path is not None and path == self._confirm_replace
        )
        self.last_save = outcome
        self._confirm_replace = outcome.path if outcome.status == "exists" else None
        where = str(outcome.path) if outcome.path is not None else ""
        words = self.words
        self.say(
            {
                "saved": words(AdvocateMsg.SUMMARY_SAVED, path=where),
                "exists": words(AdvocateMsg.SUMMARY_EXISTS, path=where),
                "failed": words(
                    AdvocateMsg.SUMMARY_SAVE_FAILED, path=where, problem=outcome.problem
                ),
                "no_path": words(AdvocateMsg.SUMMARY_NO_PATH),
            }[outcome.status]
        )

    @on(Button.Pressed, "#summary-print")
    def print_summary(self) -> None:
        self.say(self.words(AdvocateMsg.SUMMARY_PRINTING))
        self.query_one("#summary-print", Button).disabled = True
        self._print(self.summary.plain_text())

    @work(thread=True, exclusive=True, group="print")
    def _print(self, content: str) -> None:
        result = send_to_printer(self.print_command, content)
        with contextlib.suppress(RuntimeError):  # the app closed while the printer was busy
            self.app.call_from_thread(self._printed, result)

    def _printed(self, result: PrintResult) -> None:
        self.last_print = result
        if not self.is_attached:
            return
        self.query_one("#summary-print", Button).disabled = False
        if result.ok:
            self.say(self.words(AdvocateMsg.SUMMARY_PRINTED))
        else:
            self.log.warning(f"printing the summary failed: {result.detail}")
            self.say(self.words(AdvocateMsg.SUMMARY_PRINT_FAILED, problem=result.detail))

    @on(Input.Submitted, "#summary-email")
    @on(Button.Pressed, "#summary-email-send")
    def email_summary(self) -> None:
        """Send the plain text to the address typed; the address is cleared once it is sent."""
        address = self.query_one("#summary-email", Input).value.strip()
        if not EMAIL.fullmatch(address):
            self.say(self.words(AdvocateMsg.SUMMARY_EMAIL_INVALID))
            return
        self.say(self.words(AdvocateMsg.SUMMARY_EMAIL_SENDING))
        self.query_one("#summary-email-send", Button).disabled = True
        subject = self.words(AdvocateMsg.SUMMARY_EMAIL_SUBJECT)
        self._email(address, subject, self.summary.plain_text())

    @work(thread=True, exclusive=True, group="email")
    def _email(self, address: str, subject: str, body: str) -> None:
        assert self.settings is not None
        delivery = send_email(self.settings, address, subject, body)
        with contextlib.suppress(RuntimeError):  # the app closed while sending
            self.app.call_from_thread(self._emailed, address, delivery)

    def _emailed(self, address: str, delivery: Delivery) -> None:
        self.last_email = delivery
        if not self.is_attached:
            return
        self.query_one("#summary-email-send", Button).disabled = False
        if delivery.ok:
            self.query_one("#summary-email", Input).value = ""
            self.say(self.words(AdvocateMsg.SUMMARY_EMAIL_SENT, address=address))
        else:
            self.say(self.words(AdvocateMsg.SUMMARY_EMAIL_FAILED, problem=delivery.problem))

    @on(Button.Pressed, "#summary-code")
    def show_code(self) -> None:
        from navigator.tui.screens.qr_code import QrCodeScreen

        self.app.push_screen(QrCodeScreen(self.summary.qr_text(), self.words))

    @on(Button.Pressed, "#summary-close")
    def action_close(self) -> None:
        self.dismiss(None)
