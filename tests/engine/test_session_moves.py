"""Moves around the conversation: switching topic, overlays, help, people, odd input."""

from __future__ import annotations

from pathlib import Path

import msgspec.structs
import pytest

from navigator.engine.conversation import Conversation, clean_text
from navigator.engine.events import Event, TopicChosen, UnmetNeed, WentBack
from navigator.engine.views import ReaskView, as_number
from navigator.kb import KnowledgeBase
from tests.engine.conversation_kb import load_ok, write_conversation_kb


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return load_ok(write_conversation_kb(tmp_path_factory.mktemp("kb")))


@pytest.fixture
def heard() -> list[Event]:
    return []


def talk(knowledge: KnowledgeBase, heard: list[Event], channel: str = "plain") -> Conversation:
    return Conversation(knowledge, channel=channel, site="s", listeners=[heard.append])  # type: ignore[arg-type]


def test_free_text_in_a_topic_switches_topic_and_back_returns(
    knowledge: KnowledgeBase, heard: list[Event]
) -> None:
    conversation = talk(knowledge, heard)
    conversation.choose("carers")
    conversation.choose("adult")
    before = conversation.state

    view = conversation.say("we have no food in the house, food bank")

    assert (view.kind, view.topic_id) == ("info", "food")
    assert dict(conversation.facts) == {"is_carer": "yes"}, "facts about the person are kept"
    chosen = heard[-1]
    assert isinstance(chosen, TopicChosen) and (chosen.topic_id, chosen.via) == (
        "food",
        "own_words",
    )
    conversation.back()
    assert conversation.state == before


def test_back_from_the_first_question_returns_to_the_welcome(
    knowledge: KnowledgeBase, heard: list[Event]
) -> None:
    conversation = talk(knowledge, heard)
    conversation.choose(1)

    view = conversation.back()

    assert view.kind == "welcome"
    assert not view.can_go_back
    assert not [e for e in heard if isinstance(e, WentBack)], "no node to go back to"
    assert conversation.back().kind == "welcome", "back at the start does nothing"


def test_help_shows_the_question_help_and_returns_to_the_same_place(
    knowledge: KnowledgeBase, heard: list[Event]
) -> None:
    conversation = talk(knowledge, heard)
    conversation.choose("carers")
    before = conversation.state

    view = conversation.say("help")

    assert view.kind == "help"
    assert view.help == "Pick the one closest to your situation."
    assert view.title == "How to use Navigator"
    assert conversation.choose(1).kind == "question"
    assert conversation.state == before


def test_talk_to_a_person_uses_the_channel_words(
    knowledge: KnowledgeBase, heard: list[Event]
) -> None:
    kiosk = talk(knowledge, heard, "kiosk").talk_to_person()
    plain = talk(knowledge, heard, "plain").talk_to_person()

    assert kiosk.text.startswith("Please ask a member of staff nearby.")
    assert plain.text.startswith("You can talk to someone at Northbrook Council's help line")
    assert [c.key for c in plain.choices] == ["carry_on", "finish"]


def test_an_answer_typed_after_not_understood_still_answers_the_question(
    knowledge: KnowledgeBase, heard: list[Event]
) -> None:
    conversation = talk(knowledge, heard)
    conversation.choose("carers")
    conversation.choose("adult")

    puzzled = conversation.say("flibbertigibbet")
    assert isinstance(puzzled, ReaskView) and puzzled.node_id == "carers-age"
    assert puzzled.choices[0].key == "carry_on"

    view = conversation.say("65 or over")

    assert view.kind == "outcome"
    assert conversation.facts["age_band"] == "65+"


def test_words_for_the_topic_already_open_ask_the_question_again_not_restart(
    knowledge: KnowledgeBase, heard: list[Event]
) -> None:
    conversation = talk(knowledge, heard)
    conversation.choose("carers")
    conversation.choose("adult")

    view = conversation.say("i look after my mum")

    assert view.kind == "reask"
    assert view.title == "Sorry, I did not catch that."
    assert not [e for e in heard if isinstance(e, UnmetNeed)], "it matched a topic: not unmet"
    assert conversation.dismiss().node_id == "carers-age"


def test_none_of_these_records_the_words_as_unmatched(
    knowledge: KnowledgeBase, heard: list[Event]
) -> None:
    conversation = talk(knowledge, heard)
    view = conversation.say("carer food")
    if view.kind != "choose_topic":
        pytest.fail(f"expected a choice of topics for 'carer food', got {view.kind}")
    assert [c.key for c in view.choices] == ["carers", "food", "none_of_these"]

    after = conversation.choose("none_of_these")

    assert after.kind == "no_match"
    unmet = heard[-1]
    assert isinstance(unmet, UnmetNeed)
    assert (unmet.reason, unmet.text) == ("unmatched", "carer food")
    assert conversation.back().kind == "welcome", "the choice was replaced, not stacked"


def test_a_number_that_is_not_on_the_list_changes_nothing(
    knowledge: KnowledgeBase, heard: list[Event]
) -> None:
    conversation = talk(knowledge, heard)
    before = conversation.state
    count = len(heard)

    for typed in ("9", " 12 ", "0", "⁹", "٩", "1234567"):
        conversation.say(typed)
        conversation.choose(typed)

    assert conversation.state == before
    assert len(heard) == count, "numbers are never read as words, so never unmatched"


def test_changing_an_answer_that_was_never_given_changes_nothing(
    knowledge: KnowledgeBase, heard: list[Event]
) -> None:
    conversation = talk(knowledge, heard)
    conversation.choose("carers")
    before = conversation.state

    conversation.change_answer("carers-age")
    conversation.change_answer("no-such-node")

    assert conversation.state == before


def test_answers_list_the_questions_and_options_for_review(
    knowledge: KnowledgeBase, heard: list[Event]
) -> None:
    conversation = talk(knowledge, heard)
    conversation.choose("carers")
    conversation.choose("adult")
    conversation.choose("65-plus")

    assert [(q.id, o.key) for q, o in conversation.answers()] == [
        ("carers-who", "adult"),
        ("carers-age", "65-plus"),
    ]


def test_views_are_immutable_and_equal_for_the_same_state(
    knowledge: KnowledgeBase, heard: list[Event]
) -> None:
    conversation = talk(knowledge, heard)
    conversation.choose("carers")
    view = conversation.view

    with pytest.raises(AttributeError):
        view.text = "changed"  # type: ignore[misc]
    assert conversation.view is view, "cached while nothing changes"


def test_events_carry_ids_not_what_was_typed(knowledge: KnowledgeBase, heard: list[Event]) -> None:
    conversation = talk(knowledge, heard)
    conversation.say("i look after my mum, my name is Jo Bloggs")
    conversation.say("an adult")
    conversation.say("65 or over")
    conversation.feedback(False)
    conversation.finish()

    for event in heard:
        for value in msgspec.structs.asdict(event).values():
            assert "Jo Bloggs" not in str(value), event


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("  hello\tthere\n", "hello there"),
        ("\x1b[2Jclear\x07", "[2Jclear"),
        ("zero\u200bwidth", "zerowidth"),
        ("a" * 5000, "a" * 1000),
        ("", ""),
    ],
)
def test_clean_text(raw: str, cleaned: str) -> None:
    assert clean_text(raw) == cleaned


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("2", 2),
        (" 12 ", 12),
        ("²", 2),
        ("٣", 3),
        ("2a", None),
        ("", None),
        ("1234567", 1234567),
        ("1" * 1001, None),
    ],
)
def test_as_number_reads_digits_of_any_script(typed: str, number: int | None) -> None:
    assert as_number(typed) == number


def test_a_missing_message_shows_its_key_so_tests_catch_it(tmp_path: Path) -> None:
    root = write_conversation_kb(tmp_path / "kb")
    messages = root / "engine-messages.yaml"
    messages.write_text(
        messages.read_text(encoding="utf-8").replace("  engine_welcome_title:", "  unused_key:"),
        encoding="utf-8",
    )
    conversation = Conversation(load_ok(root), channel="plain", site="s")
    assert conversation.view.title == "engine_welcome_title"
