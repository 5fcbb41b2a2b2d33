"""Follow-up codes and the "Did you get help?" questions, on the real test borough."""

from __future__ import annotations

import datetime as dt
import re

from navigator.engine.conversation import Conversation
from navigator.engine.events import FollowupAnswered, FollowupCodeIssued
from navigator.engine.followup import (
    DIGITS,
    LETTERS,
    MESSAGES,
    REASONS,
    VALID_FOR,
    CodeStatus,
    FollowupFlow,
    code_hash,
    is_valid,
    new_code,
    typed_code,
    wants_follow_up,
)
from navigator.kb.knowledge import KnowledgeBase

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


class Book:
    """Codes as a dictionary: the engine's side of the records' `RecordedCodes`."""

    def __init__(self, statuses: dict[str, CodeStatus]) -> None:
        self.statuses = statuses
        self.asked: list[str] = []

    def status(self, code_hash: str, now: dt.datetime) -> CodeStatus:
        self.asked.append(code_hash)
        return self.statuses.get(code_hash, "unknown")


def conversation(kb: KnowledgeBase) -> Conversation:
    return Conversation(kb, channel="kiosk", site="test-library", clock=lambda: NOW)


def test_codes_are_easy_to_read_and_random() -> None:
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert re.fullmatch(rf"[{LETTERS}]{{4}}-[{DIGITS}]{{4}}", code)
        assert not set(code) & set("O0I1LS5B8Z2G6")


def test_a_code_is_recognised_however_it_is_typed() -> None:
    assert typed_code(" kptw 3749 ") == "KPTW-3749"
    assert typed_code("KPTW3749") == "KPTW-3749"
    assert code_hash("kptw 3749") == code_hash("KPTW-3749")
    assert typed_code("my mum is 82") is None
    assert typed_code("PREACHED") is None  # eight letters never read as a code
    assert typed_code("OOPS-1234") == "OOPS-1234" and not is_valid("OOPS-1234")


def test_one_code_per_session_and_only_its_hash_is_emitted(test_kb: KnowledgeBase) -> None:
    talk = conversation(test_kb)
    code, expires = talk.followup_code()
    assert talk.followup_code() == (code, expires)
    issued = [event for event in talk.events if isinstance(event, FollowupCodeIssued)]
    assert len(issued) == 1
    assert issued[0].code_hash == code_hash(code) and code not in repr(issued[0])
    assert expires == NOW + VALID_FOR


def test_contacted_and_helped(test_kb: KnowledgeBase) -> None:
    talk = conversation(test_kb)
    book = Book({code_hash("KPTW-3749"): "open"})
    flow = FollowupFlow(talk, book)
    assert flow.view.step == "code"
    assert flow.enter_code("kptw-3749").step == "contacted"
    assert [c.label for c in flow.view.choices] == ["Yes", "No"]
    assert flow.choose(1).step == "helped"
    assert flow.choose(1).step == "finished"
    answered = [event for event in talk.events if isinstance(event, FollowupAnswered)]
    assert [(a.contacted, a.helped, a.reason) for a in answered] == [(True, "yes", None)]
    assert flow.view.text == test_kb.message("followup_thanks")


def test_not_helped_asks_why(test_kb: KnowledgeBase) -> None:
    talk = conversation(test_kb)
    flow = FollowupFlow(talk, Book({code_hash("KPTW-3749"): "open"}))
    flow.enter_code("KPTW 3749")
    flow.choose(1)
    assert flow.choose(2).step == "why"  # partly
    assert len(flow.view.choices) == len(REASONS)
    assert flow.choose(99).step == "why"  # not offered: nothing changes
    flow.choose(REASONS.index("waiting_list") + 1)
    answer = talk.events[-1]
    assert isinstance(answer, FollowupAnswered)
    assert (answer.contacted, answer.helped, answer.reason) == (True, "partly", "waiting_list")


def test_not_contacted_goes_straight_to_why(test_kb: KnowledgeBase) -> None:
    talk = conversation(test_kb)
    flow = FollowupFlow(talk, Book({code_hash("KPTW-3749"): "open"}))
    flow.enter_code("KPTW-3749")
    assert flow.choose(2).step == "why"
    flow.choose(REASONS.index("too_hard") + 1)
    answer = talk.events[-1]
    assert isinstance(answer, FollowupAnswered)
    assert (answer.contacted, answer.helped, answer.reason) == (False, None, "too_hard")


def test_an_unknown_expired_or_used_code_is_told_kindly(test_kb: KnowledgeBase) -> None:
    book = Book({code_hash("KPTW-3749"): "expired", code_hash("ACDE-3479"): "answered"})
    for typed, key in (
        ("KPTW-3749", "followup_code_unknown"),
        ("ACDE-3479", "followup_code_used"),
        ("NNNN-4444", "followup_code_unknown"),
        ("OOPS-1234", "followup_code_unknown"),  # not from the alphabet: not even looked up
    ):
        talk = conversation(test_kb)
        flow = FollowupFlow(talk, book)
        view = flow.enter_code(typed)
        assert view.step == "finished" and view.text == test_kb.message(key)
        assert not [event for event in talk.events if isinstance(event, FollowupAnswered)]
    assert code_hash("OOPS-1234") not in book.asked


def test_been_here_before_starts_it_but_a_long_story_does_not(test_kb: KnowledgeBase) -> None:
    talk = conversation(test_kb)
    assert wants_follow_up(talk, "I have been here before")
    assert wants_follow_up(talk, "kptw 3749")
    assert not wants_follow_up(talk, "I have been here before and now I want to end it all")
    assert not wants_follow_up(talk, "my mum keeps falling")


def test_every_followup_message_is_in_the_demo_knowledge_base(demo_kb: KnowledgeBase) -> None:
    missing = [key for key in MESSAGES if key not in demo_kb.messages]
    assert missing == []
