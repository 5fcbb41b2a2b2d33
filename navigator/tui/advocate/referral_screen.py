"""A warm referral: the advocate sends what the resident agreed to share to one service.

Nothing is sent until the advocate ticks that the resident has said yes, aloud.
The need comes from the path (this topic's need first), the note is scrubbed
of other people's details by the engine (`compose_referral`, with the
scrubber the app was given), and the name and
contact details go into the message for the service only: they are never
handed to the conversation, the records or the log. Delivery (email or the
service's drop folder, `navigator.delivery`) runs in a thread; only when it
succeeded does the conversation record the referral's ids and reply code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from navigator.config import Settings
from navigator.delivery import Delivery, deliver
from navigator.engine.conversation import Conversation
from navigator.engine.referral import (
    CONTACT_WAYS,
    ReferralDetails,
    ReferralMessage,
    Scrubber,
    compose_referral,
    new_code,
)
from navigator.kb.model import Service
from navigator.tui.advocate.text import AdvocateMsg, AdvocateText
from navigator.tui.text import Msg
from navigator.tui.widgets.plain_button import PlainButton

NOTE_LENGTH = 300


class ReferralScreen(ModalScreen[str | None]):
    """The referral form. Dismisses with the words to show in the transcript once sent."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = [Binding("escape", "close", show=False), Binding("ctrl+s", "send", show=False)]

    def __init__(
        self,
        conversation: Conversation,
        text: AdvocateText,
        *,
        services: list[Service],
        chosen: str | None,
        settings: Settings,
        today: dt.date,
        scrub: Scrubber,
    ) -> None:
        super().__init__()
        self.conversation = conversation
        self.scrub = scrub
        """Handed to the engine, which scrubs the note (this screen never does)."""
        self.words = text
        self.services = {service.id: service for service in services}
        self.chosen = chosen if chosen in self.services else next(iter(self.services), None)
        self.settings = settings
        self.today = today
        self.sent: str | None = None
        """The words saying it was sent (and its reply code), once it was."""
        self.last_delivery: Delivery | None = None

    def compose(self) -> ComposeResult:
        words = self.words
        language = words.language
        with Vertical(id="referral-panel"):
            yield Static(Content(words(AdvocateMsg.REFERRAL_HEADING)), id="referral-heading")
            if not self.services:
                yield Static(Content(words(AdvocateMsg.REFERRAL_NONE)), id="referral-status")
                yield PlainButton(Content(words(Msg.CLOSE)), id="referral-close")
                return
            with VerticalScroll(id="referral-form"):
                yield Label(Content(words(AdvocateMsg.REFERRAL_SERVICE)))
                yield Select(
                    [(s.name.get(language), s.id) for s in self.services.values()],
                    value=self.chosen or Select.BLANK,
                    allow_blank=False,
                    id="referral-service",
                )
                yield Label(Content(words(AdvocateMsg.REFERRAL_NEED)))
                yield Select(self._need_options(), allow_blank=False, id="referral-need")
                yield Label(Content(words(AdvocateMsg.REFERRAL_NAME)))
                yield Input(max_length=120, id="referral-name")
                yield Label(Content(words(AdvocateMsg.REFERRAL_CONTACT_WAY)))
                with Horizontal(id="referral-contact"):
                    yield Select(
                        [(self._way(way), way) for way in CONTACT_WAYS],
                        allow_blank=False,
                        id="referral-way",
                    )
                    yield Input(
                        placeholder=words(AdvocateMsg.REFERRAL_CONTACT_DETAIL),
                        max_length=200,
                        id="referral-detail",
                    )
                yield Label(Content(words(AdvocateMsg.REFERRAL_NOTE)))
                yield Input(max_length=NOTE_LENGTH, id="referral-note")
                yield Checkbox(words(AdvocateMsg.REFERRAL_CONSENT), id="referral-consent")
            with Horizontal(id="referral-buttons"):
                yield PlainButton(Content(words(AdvocateMsg.REFERRAL_SEND)), id="referral-send")
                yield PlainButton(Content(words(Msg.CLOSE)), id="referral-close")
            yield Static("", id="referral-status")

    def _way(self, way: str) -> str:
        return self.conversation.knowledge.message(f"referral_contact_{way}", self.words.language)

    def _need_options(self) -> list[tuple[str, str]]:
        """The service's needs, the one on the resident's path first."""
        knowledge = self.conversation.knowledge
        service = self.services.get(self.chosen or "")
        if service is None:
            return []
        topic = knowledge.topics.get(self.conversation.state.topic_id or "")
        path_need = topic.need if topic is not None else None
        needs = sorted(service.needs, key=lambda need: need != path_need)
        return [
            (knowledge.needs[need].title.get(self.words.language), need)
            for need in needs
            if need in knowledge.needs
        ]

    def on_mount(self) -> None:
        if self.services:
            self.query_one("#referral-name", Input).focus()
        else:
            self.query_one("#referral-close", Button).focus()

    def say(self, words: str) -> None:
        self.query_one("#referral-status", Static).update(Content(words))

    @on(Select.Changed, "#referral-service")
    def _service_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.chosen:
            self.chosen = event.value
            self.query_one("#referral-need", Select).set_options(self._need_options())

    @on(Button.Pressed, "#referral-send")
    def action_send(self) -> None:
        if not self.services or self.sent is not None:
            return
        details = self._details()
        if details is None:
            return
        self.say(self.words(AdvocateMsg.REFERRAL_SENDING))
        self.query_one("#referral-send", Button).disabled = True
        code = new_code()
        message = compose_referral(
            self.conversation.knowledge,
            details,
            code=code,
            site=self.settings.site,
            made_on=self.today.isoformat(),
            scrub=self.scrub,
            language=self.words.language,
        )
        self._deliver(details.service, details.need_id, message)

    def _details(self) -> ReferralDetails | None:
        """What the form says, or None after saying what is missing."""
        words = self.words
        name = self.query_one("#referral-name", Input).value.strip()
        detail = self.query_one("#referral-detail", Input).value.strip()
        missing = [
            words(label).lower()
            for label, value in (
                (AdvocateMsg.REFERRAL_NAME, name),
                (AdvocateMsg.REFERRAL_CONTACT_DETAIL, detail),
            )
            if not value
        ]
        if missing:
            self.say(words(AdvocateMsg.REFERRAL_MISSING, fields=" and ".join(missing)))
            return None
        if not self.query_one("#referral-consent", Checkbox).value:
            self.say(words(AdvocateMsg.REFERRAL_NO_CONSENT))
            return None
        service = self.services[str(self.query_one("#referral-service", Select).value)]
        need = self.query_one("#referral-need", Select).value
        way = self.query_one("#referral-way", Select).value
        consent = self.conversation.knowledge.message("referral_consent_line", words.language)
        return ReferralDetails(
            service=service,
            need_id=str(need),
            name=name,
            contact_way=str(way),
            contact_detail=detail,
            note=self.query_one("#referral-note", Input).value,
            consent=consent.replace("{service}", service.name.get(words.language))
            .replace("{site}", self.settings.site)
            .replace("{date}", self.today.isoformat()),
        )

    @work(thread=True, exclusive=True, group="referral")
    def _deliver(self, service: Service, need_id: str, message: ReferralMessage) -> None:
        assert service.referral is not None
        delivery = deliver(
            self.settings,
            service.referral,
            code=message.code,
            subject=message.subject,
            body=message.body,
        )
        with contextlib.suppress(RuntimeError):  # the app closed while sending
            self.app.call_from_thread(self._delivered, service, need_id, message.code, delivery)

    def _delivered(self, service: Service, need_id: str, code: str, delivery: Delivery) -> None:
        self.last_delivery = delivery
        name = service.name.get(self.words.language)
        if not delivery.ok:
            if self.is_attached:
                self.query_one("#referral-send", Button).disabled = False
                self.say(self.words(AdvocateMsg.REFERRAL_FAILED, problem=delivery.problem))
            return
        self.conversation.record_referral(service.id, need_id, code, delivery.way)
        self.sent = self.words(AdvocateMsg.REFERRAL_RECORDED, service=name, code=code)
        if self.is_attached:
            self.say(self.words(AdvocateMsg.REFERRAL_SENT, service=name, code=code))
            self.query_one("#referral-close", Button).focus()

    @on(Button.Pressed, "#referral-close")
    def action_close(self) -> None:
        self.dismiss(self.sent)
