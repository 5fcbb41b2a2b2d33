"""What happened in a conversation, as plain immutable objects.

The engine emits these; the records layer stores them; front ends may watch
them. They carry ids (node, option, service, need, reason), never a name or a
sentence the person typed, except `UnmetNeed.text` for unmatched requests and
advocates' notes, which the records layer scrubs before it stores anything.

Every event has a client-generated `event_id`, so storing it twice (a retry
after a crash) is harmless: the store inserts or ignores by that id.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

import msgspec

Channel = Literal["kiosk", "advocate", "plain", "web", "resident"]
EndHow = Literal["finished", "abandoned", "timed_out"]
ServiceFit = Literal["offered", "waiting_list", "closed", "ineligible", "out_of_area"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _new_id() -> str:
    return str(uuid.uuid4())


class Event(msgspec.Struct, frozen=True, kw_only=True):
    """Common to every event: which session, when, in what order, and a unique id."""

    session_id: str
    sequence: int
    """Position of this event within its session, from 0."""
    at: dt.datetime = msgspec.field(default_factory=_now)
    event_id: str = msgspec.field(default_factory=_new_id)

    @property
    def kind(self) -> str:
        """A stable name for storage: `SessionStarted` -> `session_started`."""
        name = type(self).__name__
        return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


class SessionStarted(Event, frozen=True, kw_only=True):
    channel: Channel
    site: str
    content_hash: str
    language: str = "en"


class LanguageChosen(Event, frozen=True, kw_only=True):
    """The person chose the language of the whole session (or wrote in a served one).

    The session's recorded language becomes this one, as if it had started in it."""

    language: str


class TopicChosen(Event, frozen=True, kw_only=True):
    topic_id: str
    need_id: str
    via: Literal["menu", "own_words", "advocate"] = "menu"


class AnswerGiven(Event, frozen=True, kw_only=True):
    topic_id: str
    node_id: str
    option_id: str
    via: Literal["button", "own_words"] = "button"


class WentBack(Event, frozen=True, kw_only=True):
    """Back one step (`move="back"`), or back to change an earlier answer (`move="change"`)."""

    topic_id: str
    from_node_id: str
    to_node_id: str
    move: Literal["back", "change"] = "back"


class StartedAgain(Event, frozen=True, kw_only=True):
    """The person chose "start again": facts and history are cleared, the session goes on."""

    at_node_id: str | None


class PersonAsked(Event, frozen=True, kw_only=True):
    """The person asked to talk to a person, by choosing it (`button`) or typing it.

    For managers this is demand for a human: where self-service was not enough.
    It says where the person was (the topic and node, None before a topic) and
    never what they typed. Asking again while the answer is still shown is
    not a new request.
    """

    topic_id: str | None = None
    node_id: str | None = None
    via: Literal["button", "own_words"] = "button"


class ServiceResult(msgspec.Struct, frozen=True, kw_only=True):
    """How one service of an outcome fared against the facts."""

    service_id: str
    fit: ServiceFit
    failed_rule: str | None = None
    """For `ineligible`: the fact of the rule that ruled it out, such as `age_band`."""


class OutcomeShown(Event, frozen=True, kw_only=True):
    topic_id: str
    need_id: str
    node_id: str
    results: tuple[ServiceResult, ...]

    @property
    def offered(self) -> tuple[str, ...]:
        return tuple(r.service_id for r in self.results if r.fit in {"offered", "waiting_list"})


UnmetReasonId = str
"""`no_service`, `ineligible`, `waiting_list`, `out_of_area`, `cannot_access`,
`not_helpful`, `unmatched`, or another reason the knowledge base declares."""


class UnmetNeed(Event, frozen=True, kw_only=True):
    need_id: str | None
    """None only for `unmatched` free text that no topic fitted, and `other_language`."""
    reason: UnmetReasonId
    topic_id: str | None = None
    node_id: str | None = None
    text: str | None = None
    """Unscrubbed free text (unmatched requests, advocates' notes). The store scrubs it.
    For `other_language`, the ISO 639-1 code of the language (never what was typed)."""
    recorded_by: Literal["engine", "advocate"] = "engine"


class SafeguardingShown(Event, frozen=True, kw_only=True):
    crisis_kind: str
    node_id: str | None = None


class FeedbackGiven(Event, frozen=True, kw_only=True):
    """The answer to "Did this help?" at an outcome."""

    node_id: str
    helped: bool


class ContextGiven(Event, frozen=True, kw_only=True):
    """Context the person agreed to give. Only these three fields, ever."""

    postcode_district: str | None = None
    age_band: str | None = None
    household: str | None = None


class ReferralSent(Event, frozen=True, kw_only=True):
    """An advocate sent a warm referral, with the resident's spoken consent (issue 20).

    Ids only: the resident's name, contact details and the note went to the service
    and nowhere else. `code` is the random reply code the service answers with
    (`navigator referral answer CODE accepted`); it names no one.
    """

    service_id: str
    need_id: str | None
    code: str
    delivery: Literal["email", "drop_folder"]
    topic_id: str | None = None
    node_id: str | None = None


class SessionEnded(Event, frozen=True, kw_only=True):
    how: EndHow
    last_node_id: str | None = None
    """Where the person was when the session ended; for `abandoned` this is where they gave up."""
    reached_outcome: bool = False


class MeaningUnavailable(Event, frozen=True, kw_only=True):
    """Safeguarding's meaning line could not be used in this session (its model did not
    load): only the sign lexicon and the topic words read what was typed. Emitted once per
    session, the first time text is read without it, so managers see which sites run on
    the word lines alone (the Content tab). No fields: the reason is in that machine's log,
    and nothing here is about the person. The records keep it as an event receipt (kind
    `meaning_unavailable`), so it needs no table of its own."""


FollowupHelped = Literal["yes", "partly", "no"]


class FollowupCodeIssued(Event, frozen=True, kw_only=True):
    """A follow-up code was put on this session's take-away (print, QR or summary).

    Only the code's hash is carried: the code itself is on the paper the person
    holds, and a record of it would let anyone who reads the records answer for
    them. Nothing in it is about the person; it only lets a later answer find
    this anonymous pathway."""

    code_hash: str
    expires_at: dt.datetime


class FollowupAnswered(Event, frozen=True, kw_only=True):
    """Weeks later, "Did you get help?" answered with a code from an earlier session.

    Emitted in the session where it was answered; the store joins it to the
    pathway whose code this is. `helped` is None when the person did not
    contact the service; `reason` is an id from the knowledge base's follow-up
    reasons, None when they were helped."""

    code_hash: str
    contacted: bool
    helped: FollowupHelped | None = None
    reason: str | None = None


EVENT_TYPES: tuple[type[Event], ...] = (
    SessionStarted,
    LanguageChosen,
    TopicChosen,
    AnswerGiven,
    WentBack,
    StartedAgain,
    PersonAsked,
    OutcomeShown,
    UnmetNeed,
    SafeguardingShown,
    FeedbackGiven,
    ContextGiven,
    SessionEnded,
    MeaningUnavailable,
    ReferralSent,
    FollowupCodeIssued,
    FollowupAnswered,
)
