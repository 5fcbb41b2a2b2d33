"""Plain chat after the results, on the demo knowledge base: the question first, no repeats,
and consent asked about the right person."""

from __future__ import annotations

import io

from navigator.engine.conversation import Conversation
from navigator.kb import KnowledgeBase
from navigator.plain.chat import run_plain

FOR_SOMEONE_ELSE = ["1", "1", "2", "1", "1", "1"]
"""Care for adults; help at home; for someone I look after; under 18; carry on; it helped."""
FOR_ME = ["1", "1", "1", "1", "1", "1"]


def chat(knowledge: KnowledgeBase, lines: list[str]) -> list[str]:
    output = io.StringIO()
    conversation = Conversation(knowledge, channel="plain", site="test")
    run_plain(conversation, [f"{line}\n" for line in lines], output)
    return output.getvalue().splitlines()


def test_did_this_help_comes_before_its_answers(demo_kb: KnowledgeBase) -> None:
    lines = chat(demo_kb, FOR_SOMEONE_ELSE[:-1])
    question = lines.index("Did this help?")
    assert lines[question + 1] == "1. Yes, this helped"
    assert lines[question + 2] == "2. No, this did not help"


def test_after_did_this_help_only_the_thanks_is_printed(demo_kb: KnowledgeBase) -> None:
    lines = chat(demo_kb, FOR_SOMEONE_ELSE)
    assert lines.count("These services may help you") == 1
    assert lines.count("Early help") == 1
    thanks = lines.index("Thank you for telling us.")
    assert "Early help" not in lines[thanks:]


def test_consent_asks_about_the_person_the_answers_were_about(demo_kb: KnowledgeBase) -> None:
    theirs = "\n".join(chat(demo_kb, FOR_SOMEONE_ELSE))
    assert "Can we keep the age group of the person you are helping (under-18)?" in theirs
    assert "Can we keep your age group" not in theirs
    mine = "\n".join(chat(demo_kb, FOR_ME))
    assert "Can we keep your age group (under-18)?" in mine


FOR_MY_MUM = ["help at home for my mum", "1", "3", "1", "1", "1", "2", "1", "1"]
"""Straight to care for adults (session 6), help at home, said to be for "my mum"; 65 or
over; in Northbrook; it helped."""


def test_cards_and_consent_speak_of_my_mum(demo_kb: KnowledgeBase) -> None:
    lines = chat(demo_kb, FOR_MY_MUM)
    assert "This may suit your mum because they live in Northbrook." in lines
    assert "Can we keep the age group of your mum (65+)?" in "\n".join(lines)
    assert not [line for line in lines if "you live in Northbrook" in line]
