"""Which facts may be kept with consent, and when to ask: on the demo knowledge base."""

from __future__ import annotations

import pytest

from navigator.engine.consent import ConsentOffer, after_results, consent_answer, consent_offers
from navigator.engine.conversation import Conversation
from navigator.engine.events import ContextGiven
from navigator.kb import KnowledgeBase
from navigator.kb.model import FactValue


@pytest.fixture
def conversation(demo_kb: KnowledgeBase) -> Conversation:
    return Conversation(demo_kb, channel="plain", site="test")


def walk(conversation: Conversation, *keys: str) -> None:
    conversation.start_topic("adult-social-care")
    for key in keys:
        conversation.choose(key)


def test_after_an_outcome_and_its_feedback_the_age_band_is_offered(
    conversation: Conversation,
) -> None:
    walk(conversation, "help-at-home", "me", "65-plus", "lives-here", "one-thing")
    assert conversation.view.kind == "outcome"
    assert not after_results(conversation.view), "Did this help? comes first"

    conversation.feedback(True)

    assert after_results(conversation.view)
    assert conversation.consent_offers() == (ConsentOffer("age_band", "age_band", "65+"),)


def test_an_unmet_end_is_after_the_results_at_once(conversation: Conversation) -> None:
    walk(conversation, "help-at-home", "me", "18-64", "lives-elsewhere")
    assert conversation.view.kind == "unmet"
    assert after_results(conversation.view)
    assert [offer.value for offer in conversation.consent_offers()] == ["18-64"]


def test_questions_are_not_after_the_results_and_offer_nothing_before_facts(
    conversation: Conversation,
) -> None:
    assert not after_results(conversation.view)
    assert conversation.consent_offers() == ()
    walk(conversation, "help-at-home")
    assert not after_results(conversation.view)
    assert conversation.consent_offers() == ()


def test_facts_other_than_district_and_age_band_are_never_offered(
    conversation: Conversation,
) -> None:
    walk(conversation, "help-at-home", "someone-else", "65-plus", "lives-here", "one-thing")
    assert {"asking_for", "lives_in_borough", "asc_daily_tasks"} <= set(conversation.facts)
    assert [offer.fact_id for offer in conversation.consent_offers()] == ["age_band"]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"district": "nb3 2ab"}, [("district", "postcode_district", "NB3")]),
        ({"district": "NB12"}, [("district", "postcode_district", "NB12")]),
        ({"postcode_district": "nb1-2ab"}, [("postcode_district", "postcode_district", "NB1")]),
        (
            {"postcode_district": "NB1", "district": "NB2"},
            [("postcode_district", "postcode_district", "NB1")],
        ),
        ({"district": "my house"}, []),
        ({"district": "outside"}, []),
        (
            {"age_band": "65+", "district": "NB4 1AA"},
            [("district", "postcode_district", "NB4"), ("age_band", "age_band", "65+")],
        ),
    ],
)
def test_a_postcode_is_offered_only_as_its_district_and_once(
    facts: dict[str, FactValue], expected: list[tuple[str, str, str]]
) -> None:
    offers = consent_offers(facts)
    assert [(offer.fact_id, offer.field, offer.value) for offer in offers] == expected


def test_keeping_an_offer_records_exactly_what_was_asked(conversation: Conversation) -> None:
    conversation.keep(ConsentOffer("district", "postcode_district", "NB3"))
    conversation.keep(ConsentOffer("age_band", "age_band", "65+"))

    given = [event for event in conversation.events if isinstance(event, ContextGiven)]
    assert [(e.postcode_district, e.age_band) for e in given] == [("NB3", None), (None, "65+")]
    assert conversation.facts["district"] == "NB3"
    assert conversation.facts["age_band"] == "65+"


@pytest.mark.parametrize(
    ("said", "meaning"),
    [
        ("1", True),
        ("y", True),
        ("Yeah!", True),
        ("2", False),
        ("n", False),
        ("No thank you", False),
        ("3", None),
        ("maybe", None),
        ("", None),
    ],
)
def test_consent_answers_are_numbers_or_the_knowledge_bases_yes_and_no_words(
    demo_kb: KnowledgeBase, said: str, meaning: bool | None
) -> None:
    assert consent_answer(said, demo_kb.vocabulary.answers) is meaning
