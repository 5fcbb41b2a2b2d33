"""What to show the person now: immutable views that every front end renders.

A view holds finished sentences in the person's language (already taken from
the knowledge base) and numbered `Choice`s. The kiosk draws choices as
buttons, the plain front end as numbered lines, the tests pick them by
number or key: the same conversation everywhere.

Every view has `choices`; `Conversation.choose(number_or_key)` picks one.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

import msgspec

from navigator.engine.events import ServiceFit

ViewKind = Literal[
    "welcome",
    "question",
    "info",
    "outcome",
    "unmet",
    "choose_topic",
    "no_match",
    "reask",
    "safeguarding",
    "check_in",
    "help",
    "talk_to_person",
    "finished",
]


CHECK_IN_YES = "check_in_yes"
CHECK_IN_NO = "check_in_no"
"""The keys of the check-in question's two answers."""

MAX_TEXT_DIGITS = 1000
"""Python refuses to read integers of more than 4300 digits; no choice needs more than a few."""


def as_number(text: str) -> int | None:
    """The number a line holds, if it is only a number ("2", " 12 ", "٣", "²").

    Digits from any script count, after NFKC folding, so a person typing on an
    Arabic or Bengali keyboard can pick "3" too. `str.isdigit` alone is not
    enough: "²" is a digit to Python, but `int` cannot read it until folded.
    """
    folded = unicodedata.normalize("NFKC", text).strip()
    if folded.isdecimal() and len(folded) <= MAX_TEXT_DIGITS:
        return int(folded)
    return None


class Choice(msgspec.Struct, frozen=True):
    """One thing the person can pick, numbered from 1 as it is shown."""

    number: int
    key: str
    """Stable: the option's key, a topic id, or an action such as `helped`."""
    label: str
    hint: str = ""


class Progress(msgspec.Struct, frozen=True):
    """Where the person is in a topic: its title and which step this is (from 1)."""

    topic_id: str
    topic_title: str
    step: int


class ContactView(msgspec.Struct, frozen=True):
    phones: tuple[tuple[str, str], ...] = ()
    """(number, what it is for) pairs."""
    email: str = ""
    website: str = ""
    address: str = ""
    how_to_start: str = ""


class ServiceView(msgspec.Struct, frozen=True):
    """One service at an outcome, with how it fits and the plain reason why (or why not)."""

    service_id: str
    name: str
    description: str
    provider: str
    kind: str
    fit: ServiceFit
    reason: str
    """"You are 65 or over and you live in Northbrook", or why it was ruled out."""
    reasons: tuple[str, ...]
    contact: ContactView
    status_note: str = ""
    """"There is a waiting list of about 6 weeks", "Closed to new people" or ''."""
    wait_weeks: int | None = None
    cost: str = ""
    schedules: str = ""
    eligibility_description: str = ""
    failed_fact: str | None = None
    """For services ruled out: the fact that decided it, for advocates."""
    failed_fact_title: str = ""
    not_asked: bool = False
    """Ruled out only because we never asked about `failed_fact`."""


class CrisisContactView(msgspec.Struct, frozen=True):
    contact_id: str
    name: str
    how: str
    phone: str = ""
    text_number: str = ""
    website: str = ""


class View(msgspec.Struct, frozen=True, kw_only=True):
    """Common to every view: its kind, a heading, body text, choices, and what moves apply."""

    kind: ViewKind
    title: str = ""
    text: str = ""
    help: str = ""
    choices: tuple[Choice, ...] = ()
    prompt: str = ""
    """What to ask the person now, such as "Choose a number, or tell me in your own words"."""
    progress: Progress | None = None
    can_go_back: bool = False
    own_words: bool = True
    """Whether free text is welcome here."""
    node_id: str | None = None
    topic_id: str | None = None
    note: str = ""
    """One line to show before the view, such as the answers taken from a first message."""

    def choice(self, number_or_key: int | str) -> Choice | None:
        """The choice with this number (1-based) or key, or None."""
        for option in self.choices:
            if number_or_key in (option.number, option.key):
                return option
        number = as_number(number_or_key) if isinstance(number_or_key, str) else None
        return self.choice(number) if number is not None else None


class LanguageChoice(msgspec.Struct, frozen=True):
    """A language the whole conversation can be had in, named in itself ("Cymraeg")."""

    code: str
    """ISO 639-1 (`cy`), as `Conversation.choose_language` takes it."""
    own_name: str
    current: bool = False


class WelcomeView(View, frozen=True, kw_only=True):
    kind: ViewKind = "welcome"
    languages: tuple[LanguageChoice, ...] = ()
    """The active offer of every language the knowledge base is written in, in the
    council's order (Welsh first in Wales); empty when there is only English."""


class QuestionView(View, frozen=True, kw_only=True):
    kind: ViewKind = "question"


class InfoView(View, frozen=True, kw_only=True):
    kind: ViewKind = "info"


class OutcomeView(View, frozen=True, kw_only=True):
    """Services that fit (offered, waiting list, closed) and those ruled out, with reasons."""

    kind: ViewKind = "outcome"
    need_id: str = ""
    services: tuple[ServiceView, ...] = ()
    ruled_out: tuple[ServiceView, ...] = ()
    """Services not offered, with the rule and fact that ruled each out: for advocates."""
    unmet_reason: str | None = None
    """Set when nothing here is open to the person: `ineligible`, `waiting_list`, ..."""
    unmet_text: str = ""
    """Kind words for that case."""
    feedback: bool | None = None
    """The answer to "Did this help?", once given."""
    feedback_text: str = ""


class UnmetView(View, frozen=True, kw_only=True):
    """The knowledge base says nothing here meets this need: kind words, and what may still help."""

    kind: ViewKind = "unmet"
    need_id: str = ""
    reason_id: str = ""
    kind_words: str = ""
    services: tuple[ServiceView, ...] = ()
    """Other things that may still help."""


class ChooseTopicView(View, frozen=True, kw_only=True):
    """Free text matched more than one topic: the person picks (choices are topic ids)."""

    kind: ViewKind = "choose_topic"
    said: str = ""
    two_needs: bool = False
    """The text told of two needs: the first two choices are one for each, offered together."""


class NoMatchView(View, frozen=True, kw_only=True):
    """Free text matched nothing: said kindly, with the topic list (choices are topic ids)."""

    kind: ViewKind = "no_match"
    said: str = ""
    can_return: bool = False
    """True when dismissing goes back to a question the person was on."""
    language: str = ""
    """Set (ISO 639-1) when the person wrote in a language the content is not in: the
    title, text and prompt are then in that language, and the topics in English."""


class ReaskView(View, frozen=True, kw_only=True):
    """An answer not understood: the question again, "Carry on" first, then its options.

    Choices are `carry_on` (back to the question), the question's option keys,
    and any other topics the words matched (topic ids).
    """

    kind: ViewKind = "reask"
    said: str = ""


class SafeguardingView(View, frozen=True, kw_only=True):
    """A crisis sign: calm words and who to contact now; then the person may carry on."""

    kind: ViewKind = "safeguarding"
    crisis_kind: str = ""
    contacts: tuple[CrisisContactView, ...] = msgspec.field(default_factory=tuple)
    language: str = ""
    """The language whose crisis line (`languages.yaml`, `crisis`) opens `text`, if any."""


class CheckInView(View, frozen=True, kw_only=True):
    """Text that may show a crisis, not clearly: one calm question, yes or no.

    Choices are `check_in_yes` (the crisis contacts for `crisis_kind`) and
    `check_in_no` (carry on where the person was, reading what they said).
    """

    kind: ViewKind = "check_in"
    crisis_kind: str = ""


class HelpView(View, frozen=True, kw_only=True):
    kind: ViewKind = "help"


class TalkToPersonView(View, frozen=True, kw_only=True):
    kind: ViewKind = "talk_to_person"


class FinishedView(View, frozen=True, kw_only=True):
    kind: ViewKind = "finished"
    reached_outcome: bool = False
