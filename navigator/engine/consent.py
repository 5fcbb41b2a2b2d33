"""Asking before keeping anything: which facts may be kept as context, and when to ask.

Navigator's records are anonymous. After the results, a person may agree to
let it keep two things that help service managers see where need falls: the
district part of their postcode and their age group. Nothing else, and never
a full postcode. The rule for what may be offered lived in the resident
screen, so plain chat never asked at all; it belongs here, where every front
end reads it the same way. The words of each question stay in the knowledge
base: a front end picks the message for an offer's `field`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import msgspec

from navigator.engine import views as v
from navigator.engine.eligibility import DISTRICT_FACTS
from navigator.engine.textnorm import normalise
from navigator.kb.model import FactValue
from navigator.kb.places import postcode_district

ContextField = Literal["postcode_district", "age_band"]
"""The `ContextGiven` fields a person can agree to share after the results."""

CONSENT_FACTS: tuple[tuple[str, ContextField], ...] = (
    *((fact_id, "postcode_district") for fact_id in DISTRICT_FACTS),
    ("age_band", "age_band"),
)
"""Facts that may be kept, with consent, in the order they are asked: fact id -> field.

Both district facts the eligibility check reads (`DISTRICT_FACTS`) count as a
postcode district; when both are known, `postcode_district` is offered (once).
"""

YES_NUMBER = 1
NO_NUMBER = 2
"""The numbers of the yes and no answers, as every front end lists them."""


class ConsentOffer(msgspec.Struct, frozen=True):
    """One "can we keep this?" question: the fact learnt, and exactly what would be kept."""

    fact_id: str
    field: ContextField
    value: str
    """What would be recorded: a district such as `NB3` (never a full postcode) or an age band."""


def consent_offers(facts: Mapping[str, FactValue]) -> tuple[ConsentOffer, ...]:
    """What may be offered for keeping, given the facts learnt: at most one offer per field.

    A postcode is cut to its district before it is offered, so the person is
    asked about exactly what would be kept; a value that is not a postcode or
    district is not offered at all.
    """
    offers: dict[ContextField, ConsentOffer] = {}
    for fact_id, field in CONSENT_FACTS:
        if field in offers or facts.get(fact_id) is None:
            continue
        kept: str | None = str(facts[fact_id])
        if field == "postcode_district":
            kept = postcode_district(kept)
        if kept:
            offers[field] = ConsentOffer(fact_id, field, kept)
    return tuple(offers.values())


SOMEONE_ELSE = ("asking_for", "someone-else")
"""The fact and value that say the answers were about another person (their age, not yours)."""


def about_someone_else(facts: Mapping[str, FactValue]) -> bool:
    """Whether the person is asking for someone else, so "your age group" would be wrong."""
    fact_id, value = SOMEONE_ELSE
    return facts.get(fact_id) == value


def after_results(view: v.View) -> bool:
    """True when the person has their results and nothing else is being asked of them.

    That is an outcome once "Did this help?" is answered (or was never asked),
    or an unmet end. Asking for consent earlier would come between the person
    and the help they came for.
    """
    if isinstance(view, v.UnmetView):
        return True
    return isinstance(view, v.OutcomeView) and not any(
        choice.key == "helped" for choice in view.choices
    )


def consent_answer(said: str, answers: Mapping[str, Sequence[str]]) -> bool | None:
    """Yes (True), no (False) or neither (None) for typed text: "1"/"2" or a yes/no word.

    `answers` is the vocabulary's answer words (English and the session's language),
    so "yeah", "y", "nope" and "ie" work as they do for any yes/no question.
    Anything else is neither: consent is only ever taken from a clear yes.
    """
    wanted = normalise(said)
    if wanted == str(YES_NUMBER):
        return True
    if wanted == str(NO_NUMBER):
        return False
    for kind, meaning in (("yes", True), ("no", False)):
        if wanted in {normalise(word) for word in answers.get(kind, ())}:
            return meaning
    return None
