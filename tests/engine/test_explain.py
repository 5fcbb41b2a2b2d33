"""The working behind each service, for an advocate: which rule, which fact, in the KB's words."""

from __future__ import annotations

import pytest

from navigator.engine.conversation import Conversation
from navigator.engine.explain import EXPLAIN_MESSAGES, describe_rule, reasoning_now
from navigator.kb import load
from navigator.kb.schema import Service
from tests.engine.conversation_kb import REPO
from tests.support.journeys import at_care_result


@pytest.fixture
def conversation(advocate_conversation: Conversation) -> Conversation:
    return advocate_conversation


# --- Why each service fits, or not ------------------------------------------------------


def test_every_service_at_a_result_says_which_rule_and_which_fact(
    conversation: Conversation,
) -> None:
    at_care_result(conversation, age="under-65")
    reasoning = reasoning_now(conversation)
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


def test_an_unmet_end_names_its_reason_and_other_help(conversation: Conversation) -> None:
    at_care_result(conversation, where="elsewhere")
    reasoning = reasoning_now(conversation)
    assert reasoning.unmet_reason == "No service"
    assert [item.service_id for item in reasoning.services] == ["befriending"]


def test_away_from_a_result_only_the_facts_show(conversation: Conversation) -> None:
    conversation.start_topic("care", via="advocate")
    conversation.choose("over-65")
    reasoning = reasoning_now(conversation)
    assert not reasoning.at_result and reasoning.services == ()
    assert [fact.fact_id for fact in reasoning.facts] == ["age_band"]


def test_rules_of_every_shape_are_described(conversation: Conversation) -> None:
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
    assert describe_rule(service.eligibility, conversation.wording) == (
        "Age group is one of 65+, under-65 and (Looks after someone is yes or income is at "
        "most 2) and not (Postcode district is known)"
    )


def test_the_demo_knowledge_base_has_every_message_the_working_uses() -> None:
    knowledge = load(REPO / "knowledge").knowledge
    assert [key for key in EXPLAIN_MESSAGES if key not in knowledge.messages] == []
