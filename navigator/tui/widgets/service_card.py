"""One service at an outcome, as a card: name, what it offers, why it fits, how to reach it.

Its state is always said in words ("Taking new people.",
"There is a waiting list of about 6 weeks.", "This service is not taking
new people right now.") and marked by a symbol as well as a colour, so no
one needs to tell colours apart to know whether a service can help now.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from rich.text import Text
from textual.widgets import Static

from navigator.engine.contact import Say, contact_lines, status_line
from navigator.engine.hours import open_state, read_hours
from navigator.engine.views import ServiceView
from navigator.tui.takeaway import card_words
from navigator.tui.text import AppText, Msg
from navigator.tui.widgets._css import css_beside

STATUS_MARKS = {"offered": "✔", "waiting_list": "⏳", "closed": "✖"}
"""Shown beside the status words: a second cue that is not colour."""

DETAIL_START, DETAIL_END = "\ue000", "\ue001"
"""Put around each detail while the contact lines are built ("Phone: {number}"), so the
words before the first detail, the line's label, can be drawn bold and the details plain,
whatever the language puts around them. Private-use characters: no text uses them."""


def status_words(service: ServiceView, text: AppText) -> str:
    """The plain sentence saying whether the service can take the person now."""
    return status_line(service, card_words(text))


def opening_words(service: ServiceView, text: AppText, now: dt.datetime) -> str:
    """ "Open now" or "Opens Monday at 9am", when the service's hours can be read; else ''."""
    openings = read_hours(service.schedules) if service.schedules else None
    state = open_state(openings, now) if openings else None
    if state is None:
        return ""
    if state.open_now:
        return text(Msg.CARD_OPEN_NOW)
    if state.days_ahead == 0:
        return text(Msg.CARD_OPENS_TODAY, time=state.time)
    if state.days_ahead == 1:
        return text(Msg.CARD_OPENS_TOMORROW, time=state.time)
    return text(Msg.CARD_OPENS_ON, day=state.day, time=state.time)


def why_words(service: ServiceView, text: AppText, topic: str) -> str:
    """Why the service was offered, in one sentence, from the engine's own assessment.

    A service with an eligibility rule has the engine's reason ("This may suit
    you because ..."); one without a rule was offered for the topic itself and
    is open to everyone, which the card says, so no card is silent about why.
    """
    if service.reason or not topic:
        return service.reason
    return text(Msg.CARD_WHY_EVERYONE, topic=topic)


def card_text(
    service: ServiceView, text: AppText, now: dt.datetime | None = None, topic: str = ""
) -> Text:
    """The card's content. Knowledge-base words are added as plain text, never as markup.

    With `now`, the opening hours say whether the service is open now; with
    `topic` (what the results are for), a card without a rule says why it is offered.
    """
    card = Text()
    card.append(service.name, style="bold underline")
    if service.provider and service.provider != service.name:
        card.append(f"  ({service.provider})")
    mark = STATUS_MARKS.get(service.fit, "•")
    card.append(f"\n{mark} {status_words(service, text)}", style="bold")
    _section(card, text(Msg.CARD_OFFERS), service.description)
    _section(card, text(Msg.CARD_WHY), why_words(service, text, topic))
    _section(card, text(Msg.CARD_CONTACT), contact_text(service, text))
    hours = service.schedules
    opening = opening_words(service, text, now) if now is not None else ""
    _section(card, text(Msg.CARD_HOURS), f"{hours} ({opening})" if opening else hours)
    _section(card, text(Msg.CARD_COST), service.cost)
    return card


def _section(card: Text, label: str, body: str | Text) -> None:
    if body:
        card.append(f"\n{label}: ", style="bold")
        card.append(body)


def contact_text(service: ServiceView, text: AppText) -> Text:
    """How to reach the service, a line per way, each line's label ("How to start:",
    "Phone:") bold so a resident can scan for it, and the details plain."""
    words = card_words(text)
    lines = contact_lines(service, msgspec.structs.replace(words, say=_marking(words.say)))
    body = Text()
    for number, line in enumerate(lines):
        if number:
            body.append("\n")
        label, marked, rest = line.partition(DETAIL_START)
        if marked and label.strip():
            body.append(label, style="bold")
        else:
            rest = line
        body.append(_unmarked(rest))
    return body


def _marking(say: Say) -> Say:
    """`say`, with each detail it fills in marked (see DETAIL_START)."""

    def marked(key: str, **values: object) -> str:
        details = {
            name: f"{DETAIL_START}{_unmarked(str(value))}{DETAIL_END}"
            for name, value in values.items()
        }
        return say(key, **details)

    return marked


def _unmarked(words: str) -> str:
    return words.replace(DETAIL_START, "").replace(DETAIL_END, "")


class ServiceCard(Static):
    """A service as a bordered card. Set `service` to show another."""

    DEFAULT_CSS = css_beside(__file__)

    def __init__(
        self,
        service: ServiceView,
        text: AppText,
        *,
        now: dt.datetime | None = None,
        topic: str = "",
    ) -> None:
        super().__init__(
            card_text(service, text, now, topic), markup=False, classes=f"-{service.fit}"
        )
        self.service = service
