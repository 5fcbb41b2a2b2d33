"""Changing one earlier answer and giving the later answers again where they still fit."""

from __future__ import annotations

import pytest

from navigator.engine.conversation import Conversation
from navigator.engine.events import AnswerGiven, OutcomeShown, UnmetNeed, WentBack
from navigator.engine.replay import change_answer_to
from tests.support.journeys import at_care_result


@pytest.fixture
def conversation(advocate_conversation: Conversation) -> Conversation:
    return advocate_conversation


def test_a_changed_answer_turns_unmet_need_into_a_result_and_back(
    conversation: Conversation,
) -> None:
    at_care_result(conversation, where="elsewhere")
    assert conversation.view.kind == "unmet"
    view = change_answer_to(conversation, "care-where", "tb1")
    assert view.kind == "outcome" and view.node_id == "care-outcome"
    view = change_answer_to(conversation, "care-where", "elsewhere")
    assert view.kind == "unmet"
    kinds = [
        (type(event).__name__, getattr(event, "node_id", None))
        for event in conversation.events
        if isinstance(event, OutcomeShown | UnmetNeed)
    ]
    assert kinds == [
        ("UnmetNeed", "care-unmet"),
        ("OutcomeShown", "care-outcome"),
        ("UnmetNeed", "care-unmet"),
    ]


def test_later_answers_are_given_again_where_they_still_fit(
    conversation: Conversation,
) -> None:
    at_care_result(conversation, age="over-65", where="tb1")
    view = change_answer_to(conversation, "care-age", "under-65")
    assert view.kind == "outcome"  # "Where do you live? TB1" was given again
    assert conversation.facts["age_band"] == "under-65"
    assert [(q.id, o.key) for q, o in conversation.answers()] == [
        ("care-age", "under-65"),
        ("care-where", "tb1"),
    ]
    changes = [event for event in conversation.events if isinstance(event, WentBack)]
    assert [(event.to_node_id, event.move) for event in changes] == [("care-age", "change")]
    answers = [event.option_id for event in conversation.events if isinstance(event, AnswerGiven)]
    assert answers == ["over-65", "tb1", "under-65", "tb1"]


def test_changing_to_an_unknown_answer_or_question_changes_nothing(
    conversation: Conversation,
) -> None:
    at_care_result(conversation)
    before = conversation.state
    assert change_answer_to(conversation, "money-start", "yes").node_id == "care-outcome"
    assert conversation.state is before
    assert change_answer_to(conversation, "care-age", "no-such-option").kind == "outcome"
    assert conversation.state is before
