"""The safeguarding panel: calm words and who to contact now, before anything else.

It shows the engine's `SafeguardingView`: the message for that kind of
crisis, then each contact with how and when to use it (phone, text,
website), then one clear way to carry on. The carry-on button is last, so
the contacts are read first, and it says what it does.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

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


class SafeguardingPanel(VerticalScroll):
    """The crisis message, the contacts, and the way to carry on (`CarryOn`)."""

    DEFAULT_CSS = css_beside(__file__)

    class CarryOn(Message):
        """The person chose to carry on after reading the contacts."""

    def __init__(self, view: SafeguardingView, text: AppText, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(Content(self.text(Msg.SAFEGUARDING_HEADING)), classes="safeguarding-heading")
        if self.view.title:
            yield Static(Content(self.view.title), classes="safeguarding-title")
        if self.view.text:
            yield Static(Content(self.view.text), classes="safeguarding-message")
        for contact in self.view.contacts:
            yield Static(contact_text(contact, self.text), classes="crisis-contact", markup=False)
        yield Static(
            Content(self.text(Msg.SAFEGUARDING_CARRY_ON_HINT)), classes="safeguarding-hint"
        )
        yield PlainButton(
            Content(self.text(Msg.SAFEGUARDING_CARRY_ON)), id="carry-on", classes="carry-on -big"
        )

    @on(Button.Pressed, "#carry-on")
    def _carry_on(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.CarryOn())
