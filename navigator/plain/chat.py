"""Printing views as numbered lines and reading answers a line at a time.

Screen readers read line by line, so every line stands on its own: a
heading, then the text, then each choice as "1. Label", then the prompt. No
colour, no boxes, no cursor tricks. Input is taken as it comes: piped or
typed, with junk, control characters, odd encodings and empty lines handled
calmly; the end of input ends the session cleanly.

After the results, plain chat asks the same consent questions as the
resident app (what may be kept is the engine's decision,
`Conversation.consent_offers`), answered with 1/2 or yes/no. A line that is
neither drops the questions, keeping nothing, and is read as usual: typed
words may be a crisis sign or a command, and those must never be missed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO, TextIO

from navigator.engine.consent import (
    NO_NUMBER,
    YES_NUMBER,
    ConsentOffer,
    ContextField,
    about_someone_else,
    after_results,
    consent_answer,
)
from navigator.engine.contact import ContactWords, contact_lines, status_line
from navigator.engine.conversation import MAX_TEXT, Conversation, clean_text
from navigator.engine.events import Event, StartedAgain
from navigator.engine.followup import (
    CodeBook,
    FollowupFlow,
    FollowupView,
    code_line,
    typed_code,
    wants_follow_up,
)
from navigator.engine.views import (
    OutcomeView,
    SafeguardingView,
    ServiceView,
    UnmetView,
    View,
    WelcomeView,
    as_number,
)
from navigator.engine.wording import Wording

READ_LIMIT = MAX_TEXT * 4
"""Bytes read for one line; the rest of a longer line is skipped, not treated as new input."""

CONSENT_QUESTIONS: dict[ContextField, str] = {
    "postcode_district": "consent_district",
    "age_band": "consent_age_band",
}
"""The `plain_` message that asks about each kind of consent offer."""


def read_lines(stream: BinaryIO) -> Iterator[str]:
    """Lines of text from raw bytes: bad UTF-8 replaced, over-long lines cut, no traceback."""
    while True:
        chunk = stream.readline(READ_LIMIT)
        if not chunk:
            return
        if not chunk.endswith(b"\n"):
            while True:  # skip the rest of an over-long line
                rest = stream.readline(READ_LIMIT)
                if not rest or rest.endswith(b"\n"):
                    break
        yield chunk.decode("utf-8", errors="replace")


class PlainChat:
    """Prints a conversation's views as lines and feeds it lines of input."""

    def __init__(
        self,
        conversation: Conversation,
        output: TextIO,
        *,
        prompt: str = "",
        codes: CodeBook | None = None,
    ) -> None:
        self.conversation = conversation
        self.codes = codes
        """Where follow-up codes are looked up; None: no follow-up code, none asked for."""
        self._followup: FollowupFlow | None = None
        """The follow-up questions, while a person who came back answers them."""
        self.output = output
        self.prompt = prompt
        """Printed before reading a line ("> " for a person at a terminal, "" for scripts)."""
        self.contact_words = plain_words(self.wording)
        self._consent: list[ConsentOffer] = []
        """Consent questions still to ask; the first is the one being asked."""
        self._asked_consent = False
        self._outcome_shown: str | None = None
        """The outcome whose results are already printed: "Did this help?" adds only the thanks."""
        conversation.add_listener(self._heard)

    @property
    def wording(self) -> Wording:
        """The conversation's words: they change when the person chooses another language."""
        return self.conversation.wording

    def say(self, line: str = "") -> None:
        self.output.write(line + "\n")

    def message(self, key: str, **values: object) -> str:
        return self.wording.message(f"plain_{key}", **values)

    # --- Running ----------------------------------------------------------------------

    def run(self, lines: Iterable[str]) -> None:
        """Show the conversation, answer each line, and end the session at end of input."""
        self.show(self.conversation.view)
        for raw in lines:
            if self.conversation.ended:
                break
            self.answer(raw)
        if not self.conversation.ended:
            self.conversation.abandon()
            self.say(self.message("goodbye"))
        self.output.flush()

    def answer(self, raw: str) -> None:
        """One line from the person: a number picks a choice, anything else is read as words."""
        line = clean_text(raw)
        view = self.conversation.view
        if not line:
            if self._consent:
                self.ask_consent()
            else:
                self.ask(view)
            return
        if self._consent and self.answer_consent(line):
            return
        if self._follow_up(line):
            return
        number = as_number(line)
        if number is not None and view.choice(number) is None:
            self.say(self.message("not_a_choice", number=line[:6]))
            self.ask(view)
            return
        before, language = self.conversation.state, self.conversation.language
        if number is not None:
            new = self.conversation.choose(number)
        else:
            new = self.conversation.say(line)
        if self.conversation.language != language:
            self.contact_words = plain_words(self.wording)
            self.show(new)  # the same place, now in the language chosen
            return
        if self.conversation.state is before and not self.conversation.ended:
            self.ask(new)  # nothing changed (a number the engine ignored): ask again, quietly
            return
        self.show(new)

    def _follow_up(self, line: str) -> bool:
        """Lines for the follow-up questions: a code typed (or "been here before") starts them."""
        flow = self._followup
        if flow is None:
            if self.codes is None or not wants_follow_up(self.conversation, line):
                return False
            flow = self._followup = FollowupFlow(self.conversation, self.codes)
            if typed_code(line) is not None:
                flow.enter_code(line)
        elif flow.view.step == "code":
            flow.enter_code(line)
        else:
            number = as_number(line)
            if number is None or flow.view.choice(number) is None:
                self.say(self.message("not_a_choice", number=line[:6]))
            else:
                flow.choose(number)
        self.show_followup(flow.view)
        return True

    def show_followup(self, view: FollowupView) -> None:
        self.say()
        self.say(view.title)
        self.say(view.text)
        for choice in view.choices:
            self.say(f"{choice.number}. {choice.label}")
        if view.step == "finished":
            self._followup = None
            self.show_choices(self.conversation.view)
            return
        self.output.write(self.prompt)
        self.output.flush()

    def ask(self, view: View) -> None:
        if view.prompt:
            self.say(view.prompt)
        self.output.write(self.prompt)
        self.output.flush()

    # --- Showing a view ---------------------------------------------------------------

    def show(self, view: View) -> None:
        if isinstance(view, OutcomeView) and view.node_id == self._outcome_shown:
            self.show_feedback(view)
            return
        self._outcome_shown = view.node_id if isinstance(view, OutcomeView) else None
        self.say()
        if view.progress is not None:
            progress = view.progress
            self.say(self.message("step", topic=progress.topic_title, step=progress.step))
        if view.note:
            self.say(view.note)
        if view.title:
            self.say(view.title)
        if view.text:
            self.say(view.text)
        if isinstance(view, WelcomeView) and view.languages:
            self.say(self.language_offer(view))
        if view.kind == "help" and view.help:
            self.say(self.message("help_for_question", text=view.help))
        if isinstance(view, SafeguardingView):
            self.show_crisis(view)
        elif isinstance(view, OutcomeView):
            self.show_outcome(view)
        elif isinstance(view, UnmetView):
            self.show_unmet(view)
        if view.kind == "help":
            self.say(self.message("commands"))
        if self._consent_due(view):
            self.ask_consent()
            return
        self.show_choices(view)

    def language_offer(self, view: WelcomeView) -> str:
        """The active offer of languages, each named in itself: "Cymraeg / English: ..."."""
        names = " / ".join(choice.own_name for choice in view.languages)
        if not self.wording.has_message("plain_language_offer"):
            return names  # an older knowledge base: the names alone are still an offer
        return self.message("language_offer", languages=names)

    def show_feedback(self, view: OutcomeView) -> None:
        """The same results again, after "Did this help?": only what is new (the thanks)."""
        if view.feedback_text:
            self.say()
            self.say(view.feedback_text)
        if self._consent_due(view):
            self.ask_consent()
            return
        self.show_choices(view)

    def show_choices(self, view: View) -> None:
        """The choices, numbered; "Did this help?" goes before its answers, as a question should."""
        question_first = isinstance(view, OutcomeView) and not after_results(view)
        if view.choices:
            self.say()
        if question_first:
            self.say(view.prompt)
        for choice in view.choices:
            self.say(f"{choice.number}. {choice.label}")
        if question_first:
            self.output.write(self.prompt)
        elif view.kind != "finished":
            self.ask(view)
        self.output.flush()

    # --- Asking before keeping anything -------------------------------------------------

    def _consent_due(self, view: View) -> bool:
        """Once the results are shown (once, until the person starts again): any questions?"""
        if self._asked_consent or not after_results(view):
            return False
        self._asked_consent = True
        self._consent = list(self.conversation.consent_offers())
        return bool(self._consent)

    def ask_consent(self) -> None:
        offer = self._consent[0]
        self.say()
        self.say(self.message("consent_heading"))
        person = self.conversation.person_helped
        self.say(self.message(self._consent_question(offer), value=offer.value, person=person))
        self.say()
        self.say(f"{YES_NUMBER}. {self.message('consent_yes')}")
        self.say(f"{NO_NUMBER}. {self.message('consent_no')}")
        self.say(self.message("consent_prompt"))
        self.output.write(self.prompt)
        self.output.flush()

    def _consent_question(self, offer: ConsentOffer) -> str:
        """The question's key, about the right person: their age group, when asking for someone."""
        key = CONSENT_QUESTIONS[offer.field]
        if offer.field == "age_band" and about_someone_else(self.conversation.facts):
            return f"{key}_someone_else"
        return key

    def answer_consent(self, line: str) -> bool:
        """Read `line` as the answer to the consent question; False if it is not one."""
        meaning = consent_answer(line, self.conversation.answer_words.said_answers)
        if meaning is None and as_number(line) is not None:
            self.say(self.message("not_a_choice", number=line[:6]))
            self.ask_consent()
            return True
        if meaning is None:
            self._consent.clear()  # not an answer: keep nothing, and read the line as usual
            return False
        offer = self._consent.pop(0)
        if meaning:
            self.conversation.keep(offer)
        self.say(self.message("consent_thanks"))
        if self._consent:
            self.ask_consent()
        else:
            self.show_choices(self.conversation.view)
        return True

    def _heard(self, event: Event) -> None:
        if isinstance(event, StartedAgain):  # a fresh start: new answers, a new question
            self._asked_consent = False
            self._consent.clear()

    def show_crisis(self, view: SafeguardingView) -> None:
        for contact in view.contacts:
            self.say()
            self.say(contact.name)
            if contact.phone:
                self.say(self.message("phone", number=contact.phone))
            if contact.text_number:
                self.say(self.message("text_number", number=contact.text_number))
            if contact.website:
                self.say(self.message("website", website=contact.website))
            self.say(contact.how)

    def show_outcome(self, view: OutcomeView) -> None:
        for service in view.services:
            self.show_service(service)
        if view.services and self.codes is not None:
            self.say()
            self.say(code_line(self.conversation))
        if view.unmet_text:
            self.say()
            self.say(view.unmet_text)
        if view.feedback_text:
            self.say()
            self.say(view.feedback_text)
        if view.ruled_out:
            self.say()
            self.say(self.message("ruled_out_heading"))
            for service in view.ruled_out:
                self.say(self.message("ruled_out_item", name=service.name, reason=service.reason))

    def show_unmet(self, view: UnmetView) -> None:
        if view.kind_words:
            self.say(view.kind_words)
        if view.services:
            self.say()
            self.say(self.message("other_help_heading"))
            for service in view.services:
                self.show_service(service)

    def show_service(self, service: ServiceView) -> None:
        self.say()
        self.say(service.name)
        self.say(service.description)
        status = status_line(service, self.contact_words)
        if status:
            self.say(status)
        if service.reason:
            self.say(service.reason)
        self.say(self.message("provider", provider=service.provider))
        for line in contact_lines(service, self.contact_words):
            self.say(line)


def plain_words(wording: Wording) -> ContactWords:
    """The plain front end's words for how to reach a service (`plain_...` messages)."""
    return ContactWords(
        say=wording.message,
        phone="plain_phone",
        phone_for="plain_phone_for",
        website="plain_website",
        email="plain_email",
        address="plain_address",
        how_to_start="plain_how_to_start",
        hours="plain_hours",
        cost="plain_cost",
    )


def records_problem_lines(wording: Wording, problem: str, *, told: bool) -> list[str]:
    """What standard error says when records did not all reach the store.

    First a plain note for the person at the terminal, in the knowledge
    base's words (left out when `plain_store_problem` already told them at
    the start), then the detail for staff and logs, named by the command.
    """
    note = [] if told else [wording.message("plain_store_not_saved")]
    return [*note, f"navigator chat: {problem}"]


def run_plain(
    conversation: Conversation,
    lines: Iterable[str],
    output: TextIO,
    *,
    prompt: str = "",
    codes: CodeBook | None = None,
) -> None:
    """Run a whole plain-text conversation over `lines`, printing to `output`."""
    PlainChat(conversation, output, prompt=prompt, codes=codes).run(lines)
