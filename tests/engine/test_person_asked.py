"""Asking to talk to a person is recorded once, with where the person was and how they asked.

Managers read these events as demand for a human (where self-service was not
enough), so each request must count once, carry the right topic and node, and
never carry what the person typed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from navigator.engine.conversation import Conversation
from navigator.engine.events import Event, PersonAsked
from navigator.kb import KnowledgeBase
from tests.engine.conversation_kb import load_ok, write_conversation_kb

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return load_ok(write_conversation_kb(tmp_path_factory.mktemp("kb")))


def talk(knowledge: KnowledgeBase, heard: list[Event]) -> Conversation:
    return Conversation(knowledge, channel="kiosk", site="s", listeners=[heard.append])


def asked(heard: list[Event]) -> list[tuple[str | None, str | None, str]]:
    return [(e.topic_id, e.node_id, e.via) for e in heard if isinstance(e, PersonAsked)]


def test_choosing_talk_to_a_person_at_an_unmet_end_is_one_button_request(
    knowledge: KnowledgeBase,
) -> None:
    heard: list[Event] = []
    conversation = talk(knowledge, heard)
    conversation.choose("carers")
    assert conversation.choose("child").kind == "unmet"

    view = conversation.choose("talk_to_person")

    assert view.kind == "talk_to_person"
    assert asked(heard) == [("carers", "carers-child", "button")]
    assert conversation.events[-1] == heard[-1], "listeners and the log see the same event"


def test_typing_it_at_a_question_is_one_own_words_request(knowledge: KnowledgeBase) -> None:
    heard: list[Event] = []
    conversation = talk(knowledge, heard)
    conversation.choose("carers")
    conversation.choose("adult")

    view = conversation.say("talk to a person please")

    assert view.kind == "talk_to_person"
    assert asked(heard) == [("carers", "carers-age", "own_words")]
    event = next(e for e in heard if isinstance(e, PersonAsked))
    assert "talk" not in repr(event), "the words typed are never kept"


def test_asking_again_while_the_answer_is_shown_is_not_a_second_request(
    knowledge: KnowledgeBase,
) -> None:
    heard: list[Event] = []
    conversation = talk(knowledge, heard)
    conversation.choose("carers")
    conversation.say("human")

    conversation.say("talk to a person")

    assert asked(heard) == [("carers", "carers-who", "own_words")]
    assert conversation.choose("carry_on").kind == "question", "one carry on goes back"
    conversation.say("human")
    assert len(asked(heard)) == 2, "a new request once the person has gone back to the question"


def test_before_a_topic_the_request_has_no_topic_or_node(knowledge: KnowledgeBase) -> None:
    heard: list[Event] = []
    conversation = talk(knowledge, heard)

    conversation.say("human")

    assert asked(heard) == [(None, None, "own_words")]


def test_no_request_is_recorded_after_the_session_ended(knowledge: KnowledgeBase) -> None:
    heard: list[Event] = []
    conversation = talk(knowledge, heard)
    conversation.choose("carers")
    conversation.finish()

    conversation.talk_to_person()
    conversation.say("talk to a person")

    assert asked(heard) == []


def test_on_the_demo_knowledge_base_both_ways_name_the_topic_and_node(
    demo_kb: KnowledgeBase,
) -> None:
    topic = demo_kb.topics["carers-support"]
    heard: list[Event] = []
    conversation = talk(demo_kb, heard)
    conversation.start_topic(topic.id)
    conversation.say("speak to someone")
    conversation.dismiss()
    question = conversation.view
    assert question.kind == "question"
    answer = question.choices[0].key
    conversation.choose(answer)
    here = conversation.state.node_id
    conversation.talk_to_person()

    assert asked(heard) == [
        ("carers-support", topic.start, "own_words"),
        ("carers-support", here, "button"),
    ]
