"""Each scheme decides on its own list of benefits, never on the shared "on benefits" answer.

The content audit (section 2, row 7) found one fact, `on_benefits`, set by nine
questions that each meant a different list ("help with rent", "a means-tested
benefit", "Universal Credit or another benefit"), and read by the rules of
schemes that each accept a different list. An answer stays for the session, so
"yes" given in one topic decided a scheme in another. The fact is kept only to
route questions and understand "im on benefits"; these tests keep every rule
off it, and check that the schemes read the named benefit with their own lists.
"""

from __future__ import annotations

from navigator.engine.eligibility import assess, rule_facts
from navigator.engine.wording import Wording
from navigator.kb import load
from navigator.kb.knowledge import KnowledgeBase
from tests.conftest import DEMO_KNOWLEDGE

FOUR = {"universal-credit", "pension-credit", "older-benefit", "housing-benefit"}
"""Universal Credit, Pension Credit, the older income-based benefits, Housing Benefit."""

SCHEMES = {
    # service: the low_income_benefit values its national (or Northbrook's) rule accepts
    "bere-funeral-payment": FOUR,
    "energy-warm-home-discount": FOUR,
    "housing-mortgage-interest": FOUR - {"housing-benefit"},  # Housing Benefit is for rent
    "housing-repair-loan": FOUR - {"housing-benefit"},
    "health-active-card": FOUR,
}


def _demo() -> KnowledgeBase:
    knowledge = load(DEMO_KNOWLEDGE).knowledge
    assert knowledge is not None
    return knowledge


def test_no_eligibility_rule_reads_the_shared_on_benefits_answer() -> None:
    knowledge = _demo()
    reading = sorted(
        service.id
        for service in knowledge.services.values()
        if service.eligibility is not None and "on_benefits" in rule_facts(service.eligibility)
    )
    assert reading == []


def test_every_scheme_from_the_audit_reads_a_benefit_fact_of_its_own() -> None:
    knowledge = _demo()
    for service_id in [*SCHEMES, "energy-cold-weather-payment", "work-jobcentre"]:
        rule = knowledge.services[service_id].eligibility
        assert rule is not None, service_id
        assert rule_facts(rule) & {"low_income_benefit", "work_coach_benefit"}, service_id


def test_each_scheme_accepts_exactly_its_own_benefits() -> None:
    """Checked by the engine on every value: no other benefit passes, none that counts fails."""
    knowledge = _demo()
    wording = Wording(knowledge, "en")
    values = set(knowledge.facts["low_income_benefit"].values)
    facts_for_all = {"age_band": "65+", "has_disability": "yes"}
    for service_id, accepted in SCHEMES.items():
        service = knowledge.services[service_id]
        passing = {
            value
            for value in values
            if assess(service, {**facts_for_all, "low_income_benefit": value}, wording).fit
            == "offered"
        }
        assert passing == accepted, service_id
