"""The conversation's position, as immutable snapshots.

Every move the person makes replaces the current `State` with a new one and
pushes the old one on a stack. "Back" pops it, so it restores the previous
state exactly, facts and all, with nothing to undo by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

import msgspec

from navigator.kb.model import FactValue

Place = Literal["welcome", "node", "finished"]
OverlayKind = Literal[
    "choose_topic",
    "no_match",
    "other_language",
    "reask",
    "safeguarding",
    "check_in",
    "help",
    "talk_to_person",
]

NO_FACTS: Mapping[str, FactValue] = MappingProxyType({})


def frozen_facts(facts: Mapping[str, FactValue]) -> Mapping[str, FactValue]:
    """A read-only copy, so no state can be changed after it is made."""
    return MappingProxyType(dict(facts))


class Answer(msgspec.Struct, frozen=True):
    """One answer on the current path: which question, which option."""

    node_id: str
    option_key: str


class Overlay(msgspec.Struct, frozen=True):
    """Something shown over the current position (help, a crisis, a choice of topics).

    Dismissing it returns to the position underneath, unchanged.
    """

    kind: OverlayKind
    said: str = ""
    """What the person typed (choose_topic, no_match, reask, check_in). Kept in memory only."""
    candidates: tuple[str, ...] = ()
    """Topic ids to choose between (reask: other topics the words matched)."""
    crisis_kind: str = ""
    understood_topic: bool = False
    """no_match only: the text matched the topic the person is already in."""
    language: str = ""
    """other_language: the ISO 639-1 code of the language the person wrote in; check_in: the
    language the pipeline read `said` in ("" for English or unsure), for the panel a "yes"
    opens; safeguarding: the language of the words that showed the crisis, when its `crisis`
    line is shown."""
    two_needs: bool = False
    """choose_topic only: the text told of two needs, and the first two candidates are they."""


class State(msgspec.Struct, frozen=True):
    """Where the conversation is, and everything learnt on the way there."""

    place: Place = "welcome"
    topic_id: str | None = None
    node_id: str | None = None
    facts: Mapping[str, FactValue] = msgspec.field(default_factory=lambda: NO_FACTS)
    answers: tuple[Answer, ...] = ()
    """The answers given in this topic, in order."""
    step: int = 0
    """Steps taken in this topic (answers and information pages passed)."""
    overlay: Overlay | None = None
    feedback: bool | None = None
    """The answer to "Did this help?" at this outcome."""
    understood: tuple[str, ...] = ()
    """Questions answered from the person's first message on the way here (node ids)."""

    def __hash__(self) -> int:
        # Facts are a read-only mapping, which cannot be hashed; equality compares them in full.
        return hash((self.place, self.topic_id, self.node_id, self.answers, self.step))
