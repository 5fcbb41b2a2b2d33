"""Eligibility rules checked against facts, with the reasons a person reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from navigator.engine.eligibility import assess, evaluate, unmet_reason_for
from navigator.engine.wording import Wording
from navigator.kb import KnowledgeBase
from navigator.kb.schema import FactRule, Service
from tests.engine.conversation_kb import load_ok, write_conversation_kb


@pytest.fixture
def knowledge(tmp_path: Path) -> KnowledgeBase:
    return load_ok(write_conversation_kb(tmp_path / "kb"))


@pytest.fixture
def wording(knowledge: KnowledgeBase) -> Wording:
    return Wording(knowledge)


def rule_of(knowledge: KnowledgeBase, service_id: str) -> FactRule:
    rule = knowledge.services[service_id].eligibility
    assert rule is not None
    return rule  # type: ignore[return-value]


def test_all_rule_passes_with_the_facts_phrases_as_reasons(
    knowledge: KnowledgeBase, wording: Wording
) -> None:
    rule = knowledge.services["carers-allowance"].eligibility
    assert rule is not None

    result = evaluate(rule, {"is_carer": "yes", "age_band": "65+"}, wording)

    assert result.passed
    assert result.reasons == ("you look after someone", "you are 65 or over")
    assert wording.join(result.reasons) == "you look after someone and you are 65 or over"


def test_failing_part_names_the_fact_and_says_why(
    knowledge: KnowledgeBase, wording: Wording
) -> None:
    rule = knowledge.services["carers-allowance"].eligibility
    assert rule is not None

    result = evaluate(rule, {"is_carer": "yes", "age_band": "under-18"}, wording)

    assert result.verdict == "fail"
    assert result.failed_fact == "age_band"
    assert result.reasons == ("you are under 18",)


def test_because_and_unless_override_the_fact_phrases(
    knowledge: KnowledgeBase, wording: Wording
) -> None:
    rule = rule_of(knowledge, "young-carers")

    assert evaluate(rule, {"age_band": "under-18"}, wording).reasons == ("you are a young carer",)
    failed = evaluate(rule, {"age_band": "18-64"}, wording)
    assert failed.reasons == ("it is for carers under 18",)
    assert failed.failed_fact == "age_band"


def test_unknown_fact_is_neither_pass_nor_fail_and_says_we_did_not_ask(
    knowledge: KnowledgeBase, wording: Wording
) -> None:
    rule = rule_of(knowledge, "young-carers")

    result = evaluate(rule, {}, wording)

    assert result.verdict == "unknown"
    assert result.failed_fact == "age_band"
    assert result.reasons == ("we did not ask about this: Age",)


@pytest.mark.parametrize(
    ("rule", "facts", "verdict"),
    [
        (
            {
                "any": [
                    {"fact": "age_band", "equals": "65+"},
                    {"fact": "on_benefits", "equals": "yes"},
                ]
            },
            {"age_band": "18-64", "on_benefits": "yes"},
            "pass",
        ),
        (
            {
                "any": [
                    {"fact": "age_band", "equals": "65+"},
                    {"fact": "on_benefits", "equals": "yes"},
                ]
            },
            {"age_band": "18-64"},
            "unknown",
        ),
        (
            {
                "any": [
                    {"fact": "age_band", "equals": "65+"},
                    {"fact": "on_benefits", "equals": "yes"},
                ]
            },
            {"age_band": "18-64", "on_benefits": "no"},
            "fail",
        ),
        (
            {
                "all": [
                    {"fact": "age_band", "equals": "65+"},
                    {"fact": "on_benefits", "equals": "yes"},
                ]
            },
            {"age_band": "18-64"},
            "fail",
        ),
        ({"not": {"fact": "on_benefits", "equals": "yes"}}, {"on_benefits": "no"}, "pass"),
        ({"not": {"fact": "on_benefits", "equals": "yes"}}, {"on_benefits": "yes"}, "fail"),
        ({"not": {"fact": "on_benefits", "equals": "yes"}}, {}, "unknown"),
        ({"fact": "on_benefits", "known": True}, {}, "fail"),
        ({"fact": "on_benefits", "known": False}, {}, "pass"),
        ({"fact": "age", "at_least": 65}, {"age": 70}, "pass"),
        ({"fact": "age", "at_least": 65}, {"age": "64"}, "fail"),
        ({"fact": "age", "less_than": 18}, {"age": "seventeen"}, "fail"),
        ({"fact": "age_band", "not_in": ["under-18"]}, {"age_band": "65+"}, "pass"),
        ({"fact": "on_benefits", "equals": True}, {"on_benefits": "Yes"}, "pass"),
        ({"fact": "age_band", "not_equals": "65+"}, {"age_band": "65+"}, "fail"),
    ],
)
def test_three_valued_logic(
    wording: Wording, rule: dict[str, object], facts: dict[str, object], verdict: str
) -> None:
    service = Service.model_validate(
        {
            "id": "s",
            "name": "S",
            "description": "S",
            "provider": "P",
            "needs": ["food-essentials"],
            "last_reviewed": "2026-01-01",
            "eligibility": rule,
        }
    )
    assert service.eligibility is not None
    assert evaluate(service.eligibility, facts, wording).verdict == verdict  # type: ignore[arg-type]


def test_numeric_fact_uses_its_phrase_with_the_value(wording: Wording) -> None:
    assert wording.fact_phrase("district", "MT4") == "your postcode starts with MT4"


def test_fact_without_any_phrase_falls_back_to_its_title(wording: Wording) -> None:
    assert wording.fact_phrase("age_band", "unheard-of") == "Age: unheard-of"


def test_service_fit_covers_every_case(knowledge: KnowledgeBase, wording: Wording) -> None:
    services = knowledge.services
    adult_carer = {"is_carer": "yes", "age_band": "18-64"}

    offered = assess(services["carers-allowance"], adult_carer, wording)
    assert offered.fit == "offered"
    ruled_out = assess(services["young-carers"], adult_carer, wording)
    assert (ruled_out.fit, ruled_out.failed_fact) == ("ineligible", "age_band")
    assert assess(services["carers-hub"], adult_carer, wording).fit == "waiting_list"
    not_asked = assess(services["food-bank"], adult_carer, wording)
    assert (not_asked.fit, not_asked.not_asked) == ("ineligible", True)


def test_service_areas_exclude_a_known_district_and_include_it_in_the_reason(
    knowledge: KnowledgeBase, wording: Wording
) -> None:
    north = knowledge.services["carers-north"]

    away = assess(north, {"district": "MT7"}, wording)
    assert away.fit == "out_of_area"
    assert away.failed_fact == "district"
    assert away.reasons == ("it only covers MT1, and your postcode starts with MT7",)
    home = assess(north, {"district": "mt1"}, wording)
    assert home.fit == "offered"
    assert home.reasons == ("your postcode starts with mt1",)
    assert assess(north, {}, wording).fit == "offered", "an unknown district rules nothing out"


def test_unmet_reason_follows_what_is_left(knowledge: KnowledgeBase, wording: Wording) -> None:
    services = knowledge.services

    def reason(facts: dict[str, str], *ids: str) -> str | None:
        return unmet_reason_for(assess(services[i], facts, wording) for i in ids)

    young = {"is_carer": "yes", "age_band": "under-18"}
    assert reason(young, "young-carers", "carers-hub") is None
    assert reason(young, "carers-allowance", "carers-hub") == "waiting_list"
    assert reason(young, "carers-allowance") == "ineligible"
    assert reason({"district": "MT2"}, "carers-north") == "out_of_area"
