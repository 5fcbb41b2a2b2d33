"""Events as the records keep them: scrubbed, allow-listed, plain JSON.

This is the only way an engine event becomes something that is written down,
in the outbox or the main database. Each kind of event has an explicit list of
fields that may be kept; anything else is dropped. Ids must look like ids
(`carers-start`), so a sentence or a phone number typed into the wrong field
cannot slip through; the one free-text field (`UnmetNeed.text`) is scrubbed.
Postcodes are cut to the district.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from navigator.engine import events as ev
from navigator.engine.referral import CODE
from navigator.records.scrub import postcode_district, scrub

Payload = dict[str, Any]

ID_LENGTH = 80
"""Knowledge-base ids are at most 80 characters (see `navigator.kb.schema.Id`)."""
SESSION_ID_LENGTH = 64
TEXT_LENGTH = 1000
"""Scrubbed free text is cut to this many characters."""

REMOVED = "[removed]"
"""Stored instead of a value that is not an id, so the record is kept but the value is not."""
UNKNOWN = "unknown"

_ID = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_.:-]{{0,{ID_LENGTH - 1}}}")
_KEY = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_-]{{0,{SESSION_ID_LENGTH - 1}}}")
_HASH = re.compile(r"[0-9a-fA-F]{0,128}")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z]{2,4})?")
_LABEL = re.compile(r"[a-z0-9][a-z0-9_+-]{0,39}")
"""Age bands (`65-plus`, `18-24`) and household types (`lives-alone`)."""

CHANNELS = frozenset({"kiosk", "advocate", "plain", "web", "resident"})
END_HOWS = frozenset({"finished", "abandoned", "timed_out"})
FITS = frozenset({"offered", "waiting_list", "closed", "ineligible", "out_of_area"})
VIAS = frozenset({"menu", "own_words", "advocate", "button"})
MOVES = frozenset({"back", "change"})
RECORDERS = frozenset({"engine", "advocate"})
DELIVERIES = frozenset({"email", "drop_folder"})
HELPED = frozenset({"yes", "partly", "no"})


def safe_id(value: object) -> str | None:
    """An id from the knowledge base or settings, or `[removed]` if it is anything else."""
    if value is None:
        return None
    text = str(value)
    if _ID.fullmatch(text) and scrub(text) == text:
        return text
    return REMOVED


def _key(value: object) -> str:
    """Session and event ids: client-generated uuids. Anything else is refused outright."""
    text = str(value)
    if not _KEY.fullmatch(text):
        raise ValueError(f"{text[:20]!r}... is not a session or event id")
    return text


def _choice(value: object, allowed: frozenset[str]) -> str:
    return str(value) if str(value) in allowed else UNKNOWN


def _label(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip().lower()
    return text if _LABEL.fullmatch(text) and scrub(text) == text else REMOVED


def _utc(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


def _session_started(event: ev.SessionStarted) -> Payload:
    language = event.language if _LANGUAGE.fullmatch(event.language) else "en"
    content_hash = event.content_hash if _HASH.fullmatch(event.content_hash) else ""
    return {
        "channel": _choice(event.channel, CHANNELS),
        "site": safe_id(event.site) or UNKNOWN,
        "content_hash": content_hash,
        "language": language,
    }


def _language_chosen(event: ev.LanguageChosen) -> Payload:
    return {"language": event.language if _LANGUAGE.fullmatch(event.language) else "en"}


def _topic_chosen(event: ev.TopicChosen) -> Payload:
    return {
        "topic_id": safe_id(event.topic_id),
        "need_id": safe_id(event.need_id),
        "via": _choice(event.via, VIAS),
    }


def _answer_given(event: ev.AnswerGiven) -> Payload:
    return {
        "topic_id": safe_id(event.topic_id),
        "node_id": safe_id(event.node_id),
        "option_id": safe_id(event.option_id),
        "via": _choice(event.via, VIAS),
    }


def _went_back(event: ev.WentBack) -> Payload:
    return {
        "topic_id": safe_id(event.topic_id),
        "from_node_id": safe_id(event.from_node_id),
        "to_node_id": safe_id(event.to_node_id),
        "move": _choice(event.move, MOVES),
    }


def _started_again(event: ev.StartedAgain) -> Payload:
    return {"at_node_id": safe_id(event.at_node_id)}


def _person_asked(event: ev.PersonAsked) -> Payload:
    return {
        "topic_id": safe_id(event.topic_id),
        "node_id": safe_id(event.node_id),
        "via": _choice(event.via, VIAS),
    }


def _outcome_shown(event: ev.OutcomeShown) -> Payload:
    results: dict[str, Payload] = {}
    for result in event.results:
        service_id = safe_id(result.service_id) or REMOVED
        results.setdefault(
            service_id,
            {
                "service_id": service_id,
                "fit": _choice(result.fit, FITS),
                "failed_rule": safe_id(result.failed_rule),
            },
        )
    return {
        "topic_id": safe_id(event.topic_id),
        "need_id": safe_id(event.need_id),
        "node_id": safe_id(event.node_id),
        "results": list(results.values()),
    }


def _unmet_need(event: ev.UnmetNeed) -> Payload:
    text = scrub(event.text)[:TEXT_LENGTH] if event.text else None
    return {
        "need_id": safe_id(event.need_id),
        "reason": safe_id(event.reason) or UNKNOWN,
        "topic_id": safe_id(event.topic_id),
        "node_id": safe_id(event.node_id),
        "text": text,
        "recorded_by": _choice(event.recorded_by, RECORDERS),
    }


def _safeguarding_shown(event: ev.SafeguardingShown) -> Payload:
    return {"crisis_kind": safe_id(event.crisis_kind) or UNKNOWN, "node_id": safe_id(event.node_id)}


def _feedback_given(event: ev.FeedbackGiven) -> Payload:
    return {"node_id": safe_id(event.node_id) or UNKNOWN, "helped": bool(event.helped)}


def _context_given(event: ev.ContextGiven) -> Payload:
    return {
        "postcode_district": postcode_district(event.postcode_district),
        "age_band": _label(event.age_band),
        "household": _label(event.household),
    }


def _referral_sent(event: ev.ReferralSent) -> Payload:
    return {
        "service_id": safe_id(event.service_id) or UNKNOWN,
        "need_id": safe_id(event.need_id),
        "topic_id": safe_id(event.topic_id),
        "node_id": safe_id(event.node_id),
        "code": event.code if CODE.fullmatch(event.code) else UNKNOWN,
        "delivery": _choice(event.delivery, DELIVERIES),
    }


def _session_ended(event: ev.SessionEnded) -> Payload:
    return {
        "how": _choice(event.how, END_HOWS),
        "last_node_id": safe_id(event.last_node_id),
        "reached_outcome": bool(event.reached_outcome),
    }


def _code_hash(value: object) -> str:
    """A follow-up code's hash: 64 hex digits, or nothing that could be anything else."""
    text = str(value).lower()
    return text if len(text) == 64 and _HASH.fullmatch(text) else REMOVED


def _followup_code_issued(event: ev.FollowupCodeIssued) -> Payload:
    return {"code_hash": _code_hash(event.code_hash), "expires_at": _utc(event.expires_at)}


def _followup_answered(event: ev.FollowupAnswered) -> Payload:
    return {
        "code_hash": _code_hash(event.code_hash),
        "contacted": bool(event.contacted),
        "helped": _choice(event.helped, HELPED) if event.helped is not None else None,
        "reason": safe_id(event.reason),
    }


_FIELDS: dict[type[ev.Event], Callable[[Any], Payload]] = {
    ev.SessionStarted: _session_started,
    ev.LanguageChosen: _language_chosen,
    ev.TopicChosen: _topic_chosen,
    ev.AnswerGiven: _answer_given,
    ev.WentBack: _went_back,
    ev.StartedAgain: _started_again,
    ev.PersonAsked: _person_asked,
    ev.OutcomeShown: _outcome_shown,
    ev.UnmetNeed: _unmet_need,
    ev.SafeguardingShown: _safeguarding_shown,
    ev.FeedbackGiven: _feedback_given,
    ev.ContextGiven: _context_given,
    ev.SessionEnded: _session_ended,
    ev.ReferralSent: _referral_sent,
    ev.FollowupCodeIssued: _followup_code_issued,
    ev.FollowupAnswered: _followup_answered,
}


def to_payload(event: ev.Event) -> Payload:
    """The storable form of `event`. Raises ValueError only for a malformed session or event id.

    An event kind this version does not know keeps only its common fields (a receipt).
    """
    if not isinstance(event, ev.Event):
        raise ValueError(f"{type(event).__name__} is not an engine event")
    fields = _FIELDS.get(type(event))
    payload: Payload = {
        "event_id": _key(event.event_id),
        "session_id": _key(event.session_id),
        "sequence": int(event.sequence),
        "kind": event.kind[:32],
        "at": _utc(event.at),
    }
    if fields is not None:
        payload.update(fields(event))
    return payload
