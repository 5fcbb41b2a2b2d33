"""Advocate mode's pure parts: rule wording, each service's working, search, changed answers."""

from __future__ import annotations

import pytest

from navigator.engine.conversation import Conversation
from navigator.engine.events import AnswerGiven, OutcomeShown, UnmetNeed, WentBack
from navigator.kb import KnowledgeBase
from navigator.kb.schema import Service
from navigator.tui.advocate.explain import describe_rule, reasoning_now
from navigator.tui.advocate.moves import change_answer_to
from navigator.tui.advocate.search import SearchQuery, ServiceIndex, normalise_area
from navigator.tui.advocate.text import AdvocateText


@pytest.fixture
def conversation(test_kb: KnowledgeBase) -> Conversation:
    return Conversation(test_kb, channel="advocate", site="market-hall")


@pytest.fixture
def words(test_kb: KnowledgeBase) -> AdvocateText:
    return AdvocateText(test_kb)


def at_care_result(conversation: Conversation, age: str = "over-65", where: str = "tb1") -> None:
    conversation.start_topic("care", via="advocate")
    conversation.choose(age)
    conversation.choose(where)


# --- Why each service fits, or not ------------------------------------------------------


def test_every_service_at_a_result_says_which_rule_and_which_fact(
    conversation: Conversation, words: AdvocateText
) -> None:
    at_care_result(conversation, age="under-65")
    reasoning = reasoning_now(conversation, words)
    assert reasoning.at_result and reasoning.topic_title == "Help at home"
    by_id = {item.service_id: item for item in reasoning.services}
    assert list(by_id) == ["day-centre", "lunch-club", "meals-tb2", "home-help", "carers-break"]
    home = by_id["home-help"]
    assert (home.fit, home.status, home.mark) == ("ineligible", "Ruled out", "✗")
    assert home.rule == "Rule: Age group is 65+"
    assert home.decided_by == "Decided by: Age group is under-65"
    assert home.reasons == "you are under 65"
    meals = by_id["meals-tb2"]
    assert meals.fit == "out_of_area" and meals.rule == "Rule: only covers TB2"
    assert meals.decided_by == "Decided by: Postcode district is TB1"
    carers = by_id["carers-break"]
    assert carers.not_asked and carers.status == "Not known yet" and carers.mark == "?"
    assert carers.decided_by == "Not asked yet: Looks after someone. Ask it to check this service."
    assert by_id["day-centre"].rule == "Rule: open to everyone"
    facts = [(fact.title, fact.value, fact.phrase) for fact in reasoning.facts]
    assert facts == [
        ("Age group", "under-65", "you are under 65"),
        ("Postcode district", "TB1", "your postcode starts with TB1"),
    ]


def test_an_unmet_end_names_its_reason_and_other_help(
    conversation: Conversation, words: AdvocateText
) -> None:
    at_care_result(conversation, where="elsewhere")
    reasoning = reasoning_now(conversation, words)
    assert reasoning.unmet_reason == "No service"
    assert [item.service_id for item in reasoning.services] == ["befriending"]


def test_away_from_a_result_only_the_facts_show(
    conversation: Conversation, words: AdvocateText
) -> None:
    conversation.start_topic("care", via="advocate")
    conversation.choose("over-65")
    reasoning = reasoning_now(conversation, words)
    assert not reasoning.at_result and reasoning.services == ()
    assert [fact.fact_id for fact in reasoning.facts] == ["age_band"]


def test_rules_of_every_shape_are_described(
    conversation: Conversation, words: AdvocateText
) -> None:
    service = Service.model_validate(
        {
            "id": "mixed",
            "name": "Mixed",
            "description": "x",
            "provider": "x",
            "needs": ["care"],
            "last_reviewed": "2026-01-01",
            "eligibility": {
                "all": [
                    {"fact": "age_band", "in": ["65+", "under-65"]},
                    {"any": [{"fact": "carer", "equals": True}, {"fact": "income", "at_most": 2}]},
                    {"not": {"fact": "district", "known": True}},
                ]
            },
        }
    )
    assert service.eligibility is not None
    assert describe_rule(service.eligibility, conversation, words) == (
        "Age group is one of 65+, under-65 and (Looks after someone is yes or income is at "
        "most 2) and not (Postcode district is known)"
    )


# --- Search --------------------------------------------------------------------------


def found(index: ServiceIndex, **query: str | None) -> list[str]:
    return [item.service.id for item in index.search(SearchQuery(**query))]  # type: ignore[arg-type]


def test_search_by_name_forgives_a_typo(test_kb: KnowledgeBase) -> None:
    index = ServiceIndex(test_kb)
    assert found(index, words="advise centre")[0] == "advice-centre"
    assert found(index, words="befriend")[0] == "befriending"


def test_search_by_what_a_service_does_or_its_need(test_kb: KnowledgeBase) -> None:
    index = ServiceIndex(test_kb)
    assert found(index, words="damp")[0] == "repairs-line"
    assert set(found(index, words="housing")[:2]) == {"repairs-line", "housing-advice"}
    assert found(index, words="xyzzy plover") == []


def test_need_and_area_filter_the_results(test_kb: KnowledgeBase) -> None:
    index = ServiceIndex(test_kb)
    assert found(index, need_id="housing") == ["housing-advice", "repairs-line"]
    assert found(index, need_id="housing", area="TB1") == ["housing-advice"]
    every_care_service_in_tb1 = found(index, need_id="care", area="TB1")
    assert "meals-tb2" not in every_care_service_in_tb1 and "home-help" in every_care_service_in_tb1
    assert found(index, words="meals", area="TB2")[0] == "meals-tb2"


@pytest.mark.parametrize(
    ("typed", "area"),
    [("tb3", "TB3"), (" NB12 ", "NB12"), ("LS6 2AB", "LS6"), ("hello", None), ("12", None)],
)
def test_areas_are_postcode_districts(typed: str, area: str | None) -> None:
    assert normalise_area(typed) == area


# --- Changing an answer, keeping the rest -------------------------------------------


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
