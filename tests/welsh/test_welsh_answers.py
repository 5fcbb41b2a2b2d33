"""Answers and commands typed in Welsh in a Welsh session (issue 19).

At "Oes / Nac oes" a person types "Oes", "nac oes" or "ie"; at "Who needs the
help?" "fy mam"; anywhere "yn ôl", "dechrau eto" or "siarad â rhywun". Each is
read with the knowledge base's Welsh words (`vocabulary.languages.cy`) and the
options' Welsh labels, with English still understood beside them. Real
conversations on the demo knowledge base, and the real `navigator chat --plain
--language cy` in a child process.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from navigator.engine.conversation import Conversation
from navigator.engine.events import AnswerGiven, PersonAsked
from navigator.kb import KnowledgeBase
from tests.engine.answer_set import path_to
from tests.welsh.plain_chat import welsh_plain_chat


def welsh_at(knowledge: KnowledgeBase, node_id: str) -> Conversation:
    """A Welsh conversation walked to `node_id` by choosing options."""
    conversation = Conversation(knowledge, channel="kiosk", site="library", language="cy")
    topic_id, keys = path_to(knowledge, node_id)
    conversation.start_topic(topic_id)
    for key in keys:
        conversation.choose(key)
    assert conversation.view.node_id == node_id
    return conversation


def answered(conversation: Conversation, said: str) -> str | None:
    """The option `said` answered the question on screen with, or None."""
    before = len(conversation.events)
    conversation.say(said)
    given = [e for e in conversation.events[before:] if isinstance(e, AnswerGiven)]
    return given[0].option_id if given else None


@pytest.mark.parametrize(
    ("node_id", "said", "key"),
    [
        ("money-nrpf-children", "Oes", "yes"),
        ("money-nrpf-children", "oes", "yes"),
        ("money-nrpf-children", "Nac oes", "no"),
        ("money-nrpf-children", "nag oes", "no"),
        ("money-nrpf-children", "ie", "yes"),
        ("money-nrpf-children", "na", "no"),
        ("money-nrpf-children", "yes", "yes"),  # English still understood
        ("asc-lives", "Ydy", "lives-here"),
        ("asc-lives", "yndi", "lives-here"),  # North Wales
        ("asc-lives", "nac ydy", "lives-elsewhere"),
        ("asc-who", "fy mam", "someone-else"),
        ("asc-who", "fy nhad", "someone-else"),
        ("asc-who", "fy ngŵr", "someone-else"),
        ("asc-who", "fy ngwr", "someone-else"),
        ("asc-who", "mam-gu", "someone-else"),
        ("asc-who", "fi", "me"),
        ("asc-who", "fi fy hun", "me"),
        ("asc-age", "wyth deg dau", "65-plus"),
        ("asc-age", "mae hi'n 82 oed", "65-plus"),
        ("asc-age", "dau ddeg pump", "18-64"),
        ("asc-age", "un deg saith", "under-18"),
        ("carers-hours", "tua 40 awr yr wythnos", "35-plus"),
        ("carers-hours", "pymtheg awr", "under-20"),
    ],
)
def test_a_welsh_answer_picks_its_option(
    demo_kb: KnowledgeBase, node_id: str, said: str, key: str
) -> None:
    assert answered(welsh_at(demo_kb, node_id), said) == key


def test_welsh_yes_and_no_pick_nothing_in_an_english_session(demo_kb: KnowledgeBase) -> None:
    """The Welsh words are read only in a Welsh session: "oes" means nothing in English."""
    conversation = Conversation(demo_kb, channel="kiosk", site="library")
    topic_id, keys = path_to(demo_kb, "asc-who")
    conversation.start_topic(topic_id)
    for key in keys:
        conversation.choose(key)
    assert answered(conversation, "fy nhad") is None


def test_yn_ol_goes_back_one_question(demo_kb: KnowledgeBase) -> None:
    conversation = welsh_at(demo_kb, "money-nrpf-children")
    view = conversation.say("yn ôl")
    assert view.node_id == "money-crisis-visa"
    assert conversation.say("nol").node_id == "money-start"


def test_dechrau_eto_starts_again(demo_kb: KnowledgeBase) -> None:
    conversation = welsh_at(demo_kb, "money-nrpf-children")
    view = conversation.say("dechrau eto")
    assert view.kind == "welcome"
    assert conversation.language == "cy"


def test_siarad_a_rhywun_asks_for_a_person(demo_kb: KnowledgeBase) -> None:
    conversation = welsh_at(demo_kb, "money-nrpf-children")
    before = len(conversation.events)
    conversation.say("siarad â rhywun")
    assert any(isinstance(e, PersonAsked) for e in conversation.events[before:])


def test_navigator_chat_plain_language_cy_takes_oes(demo_kb: KnowledgeBase, tmp_path: Path) -> None:
    """The real command, as a screen reader would run it: numbers to the question, then
    the Welsh answer on screen typed in words; the next step is shown, not the question
    again."""
    start = Conversation(demo_kb, channel="plain", site="library", language="cy")
    topic_id, keys = path_to(demo_kb, "money-nrpf-children")
    lines = [str(next(c.number for c in start.view.choices if c.key == topic_id))]
    start.choose(topic_id)
    for key in keys:
        lines.append(str(next(c.number for c in start.view.choices if c.key == key)))
        start.choose(key)
    lines += ["Oes", "yn ôl", "Nac oes"]
    shown = welsh_plain_chat(lines, tmp_path)
    unmet = demo_kb.nodes["money-nrpf-unmet"].text.get("cy")
    assert shown.count(" ".join(unmet.split()[:4])) == 2, shown
    assert demo_kb.message("engine_reask_title", "cy") not in shown
