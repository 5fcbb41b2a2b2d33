"""The safeguarding panel: calm words and who to contact now, before anything else.

It shows the engine's `SafeguardingView` (any kind of crisis: the view
brings its own words and contacts): the message, then each contact with
how and when to use it (phone, text, website). Under them, always in view
whatever the size of the screen, are the actions: "I am safe to carry on",
a way to take the numbers away (printed, or as a code for a phone), and
"Leave this page quickly". The words scroll above the actions, so the one
thing to press is never below the fold.

The panel says what was pressed with messages (`CarryOn`, `PrintContacts`,
`ShowCode`, `QuickExit`); the host decides what each does.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Label, Static

from navigator.engine.views import CrisisContactView, SafeguardingView
from navigator.tui.text import AppText, Msg
from navigator.tui.widgets._css import css_beside
from navigator.tui.widgets.plain_button import PlainButton


def contact_text(contact: CrisisContactView, text: AppText) -> Text:
    """One crisis contact: its name, how to use it, and each way to reach it."""
    lines = Text()
    lines.append(contact.name, style="bold")
    if contact.phone:
        lines.append("\n☎ ")
        lines.append(text(Msg.SAFEGUARDING_CALL, phone=contact.phone), style="bold")
    if contact.text_number:
        lines.append("\n✉ ")
        lines.append(text(Msg.SAFEGUARDING_TEXT, number=contact.text_number), style="bold")
    if contact.website:
        lines.append("\n" + text(Msg.SAFEGUARDING_WEBSITE, website=contact.website))
    if contact.how:
        lines.append("\n" + contact.how)
    return lines


class SafeguardingPanel(Vertical):
    """The crisis message and contacts (scrolling), with the actions always in view."""

    DEFAULT_CSS = css_beside(__file__)

    class CarryOn(Message):
        """The person chose to carry on after reading the contacts."""

    class PrintContacts(Message):
        """The person asked for the contacts on paper."""

    class ShowCode(Message):
        """The person asked for the contacts as a code for their phone."""

    class QuickExit(Message):
        """The person chose "Leave this page quickly"."""

    def __init__(
        self,
        view: SafeguardingView,
        text: AppText,
        *,
        staff_nearby: bool = False,
        quick_exit: bool = True,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.view = view
        self.text = text
        self.staff_nearby = staff_nearby
        self.quick_exit = quick_exit
        """Offer "Leave this page quickly" (not to advocates, whose notes it would lose)."""

    def compose(self) -> ComposeResult:
        text = self.text
        with VerticalScroll(id="safeguarding-words", can_focus=False):
            yield Static(Content(text(Msg.SAFEGUARDING_HEADING)), classes="safeguarding-heading")
            if self.view.title:
                yield Static(Content(self.view.title), classes="safeguarding-title")
            if self.view.text:
                yield Static(Content(self.view.text), classes="safeguarding-message")
            if self.staff_nearby:
                yield Static(Content(text(Msg.SAFEGUARDING_STAFF)), classes="safeguarding-staff")
            for contact in self.view.contacts:
                yield Static(contact_text(contact, text), classes="crisis-contact", markup=False)
            yield Static(Content(text(Msg.SAFEGUARDING_CARRY_ON_HINT)), classes="safeguarding-hint")
        with Vertical(id="safeguarding-actions"):
            yield PlainButton(
                Content(text(Msg.SAFEGUARDING_CARRY_ON)), id="carry-on", classes="carry-on -big"
            )
            with Horizontal(classes="safeguarding-more"):
                yield PlainButton(Content(text(Msg.SAFEGUARDING_PRINT)), id="crisis-print")
                yield PlainButton(Content(text(Msg.SAFEGUARDING_CODE)), id="crisis-code")
                if self.quick_exit:
                    yield PlainButton(Content(text(Msg.QUICK_EXIT)), id="quick-exit")
            yield Label("", id="crisis-print-status")

    @property
    def words(self) -> VerticalScroll:
        """The scrolling part: the message and the contacts."""
        return self.query_one("#safeguarding-words", VerticalScroll)

    def say_printing(self, words: str) -> None:
        """Say how printing went, beside the actions."""
        status = self.query_one("#crisis-print-status", Label)
        status.update(Content(words))
        status.display = True

    @on(Button.Pressed, "#carry-on")
    def _carry_on(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.CarryOn())

    @on(Button.Pressed, "#crisis-print")
    def _print(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.PrintContacts())

    @on(Button.Pressed, "#crisis-code")
    def _code(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.ShowCode())

    @on(Button.Pressed, "#quick-exit")
    def _quick_exit(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.QuickExit())
