"""The session summary an advocate hands the resident: what was asked, where to go, what next.

Someone who has told an advocate their story should not have to tell it
again at the next service. The summary lists the questions asked with the
answers given, the services that may help with how to reach each one, and
the next steps: as Markdown (to save or show) and as plain text (to print or
to carry in a QR code).

It is built from the conversation, not from the screen. The engine forgets a
topic's answers when the conversation moves to another topic, so a
`SummaryJournal` listens to the `Conversation` and keeps, for every topic
looked at, the latest position reached in it. Every word comes from the
knowledge base (`advocate_summary_*` messages); Python only lays them out.

The summary holds the person's answers, so it is only ever given to them:
it is not an event, and Navigator keeps no copy of it.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field

from navigator.engine.contact import QR_LIMIT, ContactWords, contact_lines, qr_text, status_line
from navigator.engine.conversation import Conversation
from navigator.engine.events import Event, StartedAgain
from navigator.engine.followup import code_line
from navigator.engine.views import OutcomeView, ServiceView, UnmetView
from navigator.engine.wording import Wording

SUMMARY_MESSAGES: tuple[str, ...] = (
    "advocate_summary_title",
    "advocate_summary_intro",
    "advocate_summary_made_on",
    "advocate_summary_asked",
    "advocate_summary_services",
    "advocate_summary_other_help",
    "advocate_summary_no_services",
    "advocate_summary_not_finished",
    "advocate_summary_nothing_yet",
    "advocate_summary_found",
    "advocate_summary_run_by",
    "advocate_summary_open",
    "advocate_summary_phone",
    "advocate_summary_phone_for",
    "advocate_summary_email",
    "advocate_summary_website",
    "advocate_summary_address",
    "advocate_summary_hours",
    "advocate_summary_cost",
    "advocate_summary_next_steps",
    "advocate_summary_next_step",
    "advocate_summary_next_step_phone",
    "advocate_summary_next_step_contact",
    "advocate_summary_no_next_steps",
    "advocate_summary_footer",
)
"""Every message key the summary looks up; a test checks the demo knowledge base has each."""

PLAIN_WIDTH = 76
"""Plain text is wrapped to this width, so a printer's page or a phone's note keeps it whole."""

NEXT_STEP_FITS = frozenset({"offered", "waiting_list"})
"""Services worth a next step: those taking people now or on a waiting list (not closed)."""

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_LINK = re.compile(r"https?://[^\s<>]+|[^\s@<>()]+@[^\s@<>()]+\.[A-Za-z0-9-]+")


@dataclass(frozen=True)
class AskedQuestion:
    """One question asked and the answer given, in the person's language."""

    question: str
    answer: str


@dataclass(frozen=True)
class TopicPart:
    """What happened in one topic: the answers, and the services when an end was reached."""

    topic_id: str
    title: str
    asked: tuple[AskedQuestion, ...] = ()
    services: tuple[ServiceView, ...] = ()
    reached_end: bool = False
    other_help: bool = False
    """True at an unmet end: the services are "other help you could try", not a match."""
    unmet_words: str = ""
    """Kind words when nothing here is open to the person."""


def part_here(conversation: Conversation) -> TopicPart | None:
    """The current topic as it stands now, or None when there is nothing to say about it yet.

    Overlays (help, a crisis panel, "did you mean") are skipped: they sit on
    top of a position without changing it.
    """
    state = conversation.state
    if state.place != "node" or state.topic_id is None or state.overlay is not None:
        return None
    topic = conversation.knowledge.topics.get(state.topic_id)
    if topic is None:
        return None
    wording = conversation.wording
    asked = tuple(
        AskedQuestion(wording.text(question.text), wording.text(option.label))
        for question, option in conversation.answers()
    )
    title = wording.text(topic.title)
    view = conversation.view
    if isinstance(view, OutcomeView):
        return TopicPart(
            topic.id, title, asked, view.services, reached_end=True, unmet_words=view.unmet_text
        )
    if isinstance(view, UnmetView):
        return TopicPart(
            topic.id,
            title,
            asked,
            view.services,
            reached_end=True,
            other_help=True,
            unmet_words=view.kind_words,
        )
    return TopicPart(topic.id, title, asked) if asked else None


class SummaryJournal:
    """Keeps the latest position of every topic in one conversation, for its summary.

    Attach it when the conversation starts (it adds itself as a listener).
    "Start again" clears it, as it clears the conversation. It never raises
    into the engine: a listener that failed would stop the conversation.
    """

    def __init__(self, conversation: Conversation) -> None:
        self.conversation = conversation
        self._parts: dict[str, TopicPart] = {}
        self._found: dict[str, ServiceView] = {}
        self.problem: str | None = None
        """The last error met while noting a position, for the log."""
        conversation.add_listener(self)

    def __call__(self, event: Event) -> None:
        try:
            if isinstance(event, StartedAgain):
                self._parts.clear()
                self._found.clear()
            else:
                self._note_position()
        except Exception as error:  # never break the conversation for a summary
            self.problem = repr(error)

    def _note_position(self) -> None:
        part = part_here(self.conversation)
        if part is not None:
            self._parts[part.topic_id] = part  # a topic keeps its first place in the order

    def parts(self) -> tuple[TopicPart, ...]:
        """Every topic looked at, in the order first looked at, each as it last stood."""
        self._note_position()
        return tuple(self._parts.values())

    def add_found(self, service: ServiceView) -> bool:
        """A service the advocate found outside the questions and chose to give the resident.

        Returns False when it is already in the list.
        """
        if service.service_id in self._found:
            return False
        self._found[service.service_id] = service
        return True

    def found(self) -> tuple[ServiceView, ...]:
        return tuple(self._found.values())


@dataclass(frozen=True)
class SessionSummary:
    """The summary's content. `markdown()` and `plain_text()` lay it out."""

    parts: tuple[TopicPart, ...]
    made_on: dt.date
    wording: Wording = field(compare=False, repr=False)
    found: tuple[ServiceView, ...] = ()
    """Services the advocate found by searching and added for the resident."""
    followup: str = ""
    """The follow-up code line ("Did you get help?" later), when there are services to try."""

    def say(self, key: str, **values: object) -> str:
        return self.wording.message(f"advocate_summary_{key}", **values)

    @property
    def contact_words(self) -> ContactWords:
        """The summary's words for how to reach a service, for the shared contact builder."""
        return ContactWords(
            say=self.wording.message,
            phone="advocate_summary_phone",
            phone_for="advocate_summary_phone_for",
            website="advocate_summary_website",
            email="advocate_summary_email",
            address="advocate_summary_address",
            hours="advocate_summary_hours",
            cost="advocate_summary_cost",
            open="advocate_summary_open",
        )

    @property
    def services(self) -> tuple[ServiceView, ...]:
        """Every service in the summary once, in the order first shown."""
        seen: dict[str, ServiceView] = {}
        for service in (*(item for part in self.parts for item in part.services), *self.found):
            seen.setdefault(service.service_id, service)
        return tuple(seen.values())

    @property
    def found_elsewhere(self) -> tuple[ServiceView, ...]:
        """Services added by search that no topic here already shows."""
        shown = {item.service_id for part in self.parts for item in part.services}
        return tuple(service for service in self.found if service.service_id not in shown)

    def next_steps(self) -> tuple[str, ...]:
        """What to do first with each service that is taking people or has a waiting list.

        Services the advocate added by hand get a step unless closed: the advocate
        chose them knowing the person, whatever the questions so far suggest.
        """
        chosen = {service.service_id for service in self.found}
        return tuple(
            self._next_step(service)
            for service in self.services
            if service.fit in NEXT_STEP_FITS
            or (service.service_id in chosen and service.fit != "closed")
        )

    def _next_step(self, service: ServiceView) -> str:
        contact = service.contact
        if contact.how_to_start:
            return self.say("next_step", service=service.name, how=contact.how_to_start)
        if contact.phones:
            return self.say("next_step_phone", service=service.name, number=contact.phones[0][0])
        return self.say("next_step_contact", service=service.name)

    def service_lines(self, service: ServiceView) -> list[str]:
        """A service's details as short lines: who runs it, status, what, why, how to reach."""
        status = status_line(service, self.contact_words)
        lines = [status] if status else []
        if service.provider and service.provider != service.name:
            lines.append(self.say("run_by", provider=service.provider))
        if service.description:
            lines.append(service.description)
        if service.reason and service.fit in {"offered", "waiting_list", "closed"}:
            lines.append(service.reason)
        return lines

    def contact_lines(self, service: ServiceView, *, brief: bool = False) -> list[str]:
        """How to reach a service, in the summary's words (`brief` for the QR version)."""
        return contact_lines(service, self.contact_words, brief=brief)

    def markdown(self) -> str:
        return "\n".join(_markdown(self)).rstrip() + "\n"

    def plain_text(self) -> str:
        return "\n".join(_plain(self)).rstrip() + "\n"

    def qr_text(self, limit: int = QR_LIMIT) -> str:
        """A short version for a QR code: each service's name and how to reach it, then steps.

        Blocks are added while they fit, so a long summary loses its last
        services rather than being cut mid-line. A waiting list or a closed
        service is said, as on the resident app's code.
        """
        steps = self.next_steps()
        numbered = [f"{number}. {step}" for number, step in enumerate(steps, start=1)]
        return qr_text(
            self.services,
            self.contact_words,
            before=[self.say("title"), *([self.followup] if self.followup else [])],
            after=["\n".join([self.say("next_steps"), *numbered])] if steps else [],
            limit=limit,
        )


def build_summary(
    conversation: Conversation,
    journal: SummaryJournal | None = None,
    *,
    made_on: dt.date | None = None,
    followup: bool = False,
) -> SessionSummary:
    """The summary of `conversation`: every topic the journal saw, or just the current one.

    With `followup` (records are kept), it carries the session's follow-up code.
    """
    if journal is not None:
        parts = journal.parts()
    else:
        here = part_here(conversation)
        parts = (here,) if here is not None else ()
    found = journal.found() if journal is not None else ()
    has_services = bool(found) or any(part.services for part in parts)
    return SessionSummary(
        parts=parts,
        made_on=made_on or dt.date.today(),
        wording=conversation.wording,
        found=found,
        followup=code_line(conversation, short=True) if followup and has_services else "",
    )


def long_date(day: dt.date) -> str:
    """3 March 2026: the day first and no leading zero, as British readers expect."""
    return f"{day.day} {day:%B %Y}"


# --- Markdown -------------------------------------------------------------------------


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def md(text: str) -> str:
    """Text made safe for Markdown: on one line, its symbols shown as written."""
    return _escape(" ".join(text.split()))


def _md_line(line: str) -> str:
    """A contact line, with any web address or email left as a link rather than escaped."""
    flat = " ".join(line.split())
    pieces: list[str] = []
    last = 0
    for found in _LINK.finditer(flat):
        pieces += [_escape(flat[last : found.start()]), f"<{found.group(0)}>"]
        last = found.end()
    pieces.append(_escape(flat[last:]))
    return "".join(pieces)


def _markdown(summary: SessionSummary) -> Iterator[str]:
    yield f"# {md(summary.say('title'))}"
    yield ""
    yield md(summary.say("intro"))
    yield ""
    yield md(summary.say("made_on", date=long_date(summary.made_on)))
    yield ""
    if not summary.parts and not summary.found:
        yield md(summary.say("nothing_yet"))
        yield ""
    for part in summary.parts:
        yield from _markdown_part(summary, part)
    if summary.found_elsewhere:
        yield f"## {md(summary.say('found'))}"
        yield ""
        yield from _markdown_services(summary, summary.found_elsewhere)
    yield f"## {md(summary.say('next_steps'))}"
    yield ""
    steps = summary.next_steps()
    if steps:
        yield from (f"{number}. {md(step)}" for number, step in enumerate(steps, start=1))
    else:
        yield md(summary.say("no_next_steps"))
    yield ""
    if summary.followup:
        yield f"**{md(summary.followup)}**"
        yield ""
    yield f"*{md(summary.say('footer'))}*"


def _markdown_part(summary: SessionSummary, part: TopicPart) -> Iterator[str]:
    yield f"## {md(part.title)}"
    yield ""
    if part.asked:
        yield f"### {md(summary.say('asked'))}"
        yield ""
        yield from (f"- {md(item.question)} **{md(item.answer)}**" for item in part.asked)
        yield ""
    if not part.reached_end:
        yield md(summary.say("not_finished"))
        yield ""
        return
    if part.unmet_words:
        yield md(part.unmet_words)
        yield ""
    if part.services:
        heading = summary.say("other_help" if part.other_help else "services")
        yield f"### {md(heading)}"
        yield ""
        yield from _markdown_services(summary, part.services)
    elif not part.unmet_words:
        yield md(summary.say("no_services"))
        yield ""


def _markdown_services(summary: SessionSummary, services: tuple[ServiceView, ...]) -> Iterator[str]:
    for service in services:
        yield f"#### {md(service.name)}"
        yield ""
        for line in summary.service_lines(service):
            yield md(line)
            yield ""
        contact = summary.contact_lines(service)
        if contact:
            yield from (f"- {_md_line(line)}" for line in contact)
            yield ""


# --- Plain text -----------------------------------------------------------------------


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()),
        width=PLAIN_WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first or indent]


def _underlined(text: str, mark: str) -> list[str]:
    """A heading as plain text shows one: underlined, then a blank line."""
    return [text, mark * len(text), ""]


def _plain(summary: SessionSummary) -> Iterator[str]:
    yield from _underlined(summary.say("title"), "=")
    yield from _wrap(summary.say("intro"))
    yield ""
    yield from _wrap(summary.say("made_on", date=long_date(summary.made_on)))
    yield ""
    if not summary.parts and not summary.found:
        yield from _wrap(summary.say("nothing_yet"))
        yield ""
    for part in summary.parts:
        yield from _plain_part(summary, part)
    if summary.found_elsewhere:
        yield from _underlined(summary.say("found"), "-")
        yield from _plain_services(summary, summary.found_elsewhere)
    yield from _underlined(summary.say("next_steps"), "-")
    steps = summary.next_steps()
    if steps:
        for number, step in enumerate(steps, start=1):
            yield from _wrap(step, indent="   ", first=f"{number}. ")
    else:
        yield from _wrap(summary.say("no_next_steps"))
    yield ""
    if summary.followup:
        yield from _wrap(summary.followup)
        yield ""
    yield from _wrap(summary.say("footer"))


def _plain_part(summary: SessionSummary, part: TopicPart) -> Iterator[str]:
    yield from _underlined(part.title, "-")
    if part.asked:
        yield f"{summary.say('asked')}:"
        for item in part.asked:
            yield from _wrap(f"{item.question} {item.answer}", indent="  ", first="- ")
        yield ""
    if not part.reached_end:
        yield from _wrap(summary.say("not_finished"))
        yield ""
        return
    if part.unmet_words:
        yield from _wrap(part.unmet_words)
        yield ""
    if part.services:
        yield f"{summary.say('other_help' if part.other_help else 'services')}:"
        yield ""
        yield from _plain_services(summary, part.services)
    elif not part.unmet_words:
        yield from _wrap(summary.say("no_services"))
        yield ""


def _plain_services(summary: SessionSummary, services: tuple[ServiceView, ...]) -> Iterator[str]:
    for service in services:
        yield f"* {service.name}"
        for line in [*summary.service_lines(service), *summary.contact_lines(service)]:
            yield from _wrap(line, indent="  ")
        yield ""
