"""Eligibility: the knowledge base's rules, checked against what the person told us.

Rules are data (`all`, `any`, `not` and fact comparisons, see
`navigator.kb.schema`), evaluated here by walking the tree: never `eval`.

A fact the conversation never learnt is *unknown*, not false. Logic is
three-valued (Kleene): `all` fails if any part fails, and is unknown if
none fails but one is unknown; `any` passes if any part passes; `not` of
unknown is unknown. A service whose rule ends unknown is not offered, and
the reason says which question we did not ask, so an advocate can ask it.

Every result explains itself in plain words built from the rule's
`because` / `unless` text or the facts' value phrases, so "because you are
65 or over and you live in Northbrook" is written by content staff, not code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

import msgspec
from msgspec.structs import replace

from navigator.engine.events import ServiceFit
from navigator.engine.wording import Wording, value_keys
from navigator.kb.model import AllRule, AnyRule, FactRule, FactValue, NotRule, Rule, Service
from navigator.kb.places import postcode_district, serves_area

Facts = Mapping[str, FactValue]
Verdict = Literal["pass", "fail", "unknown"]

DISTRICT_FACTS = ("postcode_district", "district")
"""Facts that hold the person's postcode district, checked against `service_areas`."""


class RuleResult(msgspec.Struct, frozen=True):
    """What a rule made of the facts, and why, in the person's language."""

    verdict: Verdict
    reasons: tuple[str, ...]
    """Phrases that explain the verdict: "you are 65 or over"."""
    failed_fact: str | None = None
    """For a rule that did not pass: the fact that decided it (the first one found)."""
    failed_rule: FactRule | None = None

    @property
    def passed(self) -> bool:
        return self.verdict == "pass"


class ServiceAssessment(msgspec.Struct, frozen=True):
    """How one service fares for this person, and the plain reason."""

    service: Service
    fit: ServiceFit
    reasons: tuple[str, ...]
    """For services that fit: why. For those ruled out: why not."""
    failed_fact: str | None = None
    failed_rule: FactRule | None = None
    not_asked: bool = False
    """True when the service was ruled out only because a fact was never asked."""

    @property
    def service_id(self) -> str:
        return self.service.id

    @property
    def shown_as_fitting(self) -> bool:
        """Offered, on a waiting list, or closed: services the person may still want to know of."""
        return self.fit in {"offered", "waiting_list", "closed"}


def evaluate(rule: Rule, facts: Facts, wording: Wording) -> RuleResult:
    """Check `rule` against `facts`, explaining the verdict with the knowledge base's words."""
    if isinstance(rule, FactRule):
        result = _fact_rule(rule, facts, wording)
    elif isinstance(rule, AllRule):
        result = _all_rule(rule, facts, wording)
    elif isinstance(rule, AnyRule):
        result = _any_rule(rule, facts, wording)
    else:
        result = _not_rule(rule, facts, wording)
    own = rule.because if result.passed else rule.unless
    if own is not None and result.verdict != "unknown":
        said = wording.text(own)
        if wording.about_them(rule_facts(rule)):
            said = wording.them(said)  # "you get Universal Credit" about the mum: "they get..."
        return replace(result, reasons=(said,))
    return result


def rule_facts(rule: Rule) -> set[str]:
    """Every fact a rule reads, at any depth."""
    if isinstance(rule, FactRule):
        return {rule.fact}
    if isinstance(rule, NotRule):
        return rule_facts(rule.not_)
    parts = rule.all if isinstance(rule, AllRule) else rule.any
    return set().union(*(rule_facts(part) for part in parts))


def assess(service: Service, facts: Facts, wording: Wording) -> ServiceAssessment:
    """Whether `service` fits: eligibility first, then area, then whether it is open."""
    reasons: tuple[str, ...] = ()
    if service.eligibility is not None:
        result = evaluate(service.eligibility, facts, wording)
        if not result.passed:
            return ServiceAssessment(
                service,
                "ineligible",
                result.reasons,
                result.failed_fact,
                result.failed_rule,
                not_asked=result.verdict == "unknown",
            )
        reasons = result.reasons
    fact = _district_fact(facts)
    typed = str(facts[fact]) if fact is not None else None
    district = postcode_district(typed)
    if isinstance(service.service_areas, list) and district is not None:
        if not serves_area(service.service_areas, district):
            areas = wording.join(service.service_areas)
            out = wording.message("engine_service_out_of_area", areas=areas, district=district)
            out = wording.them(out) if wording.about_them({fact or ""}) else out
            return ServiceAssessment(service, "out_of_area", (out,), fact)
        shown = _as_given(typed, district)
        reasons = (*reasons, wording.fact_phrase(fact or "district", shown))
    if service.status == "closed":
        return ServiceAssessment(service, "closed", reasons)
    if service.status == "waiting_list":
        return ServiceAssessment(service, "waiting_list", reasons)
    return ServiceAssessment(service, "offered", reasons)


def _as_given(typed: str | None, district: str) -> str:
    """The district in the person's own words, unless they gave more (a full postcode)."""
    return typed if typed is not None and typed.strip().upper() == district else district


def _district_fact(facts: Facts) -> str | None:
    return next((fact for fact in DISTRICT_FACTS if fact in facts), None)


def unmet_reason_for(assessments: Iterable[ServiceAssessment]) -> str | None:
    """Why an outcome leaves the need unmet, or None when something is open to the person.

    Nothing offered but a waiting list -> `waiting_list`; everything ruled out by
    the rules -> `ineligible`; by area -> `out_of_area`; all closed -> `no_service`.
    """
    fits = [item.fit for item in assessments]
    if "offered" in fits:
        return None
    for fit, reason in (
        ("waiting_list", "waiting_list"),
        ("ineligible", "ineligible"),
        ("out_of_area", "out_of_area"),
    ):
        if fit in fits:
            return reason
    return "no_service"


# --- The four kinds of rule -------------------------------------------------------------


def _fact_rule(rule: FactRule, facts: Facts, wording: Wording) -> RuleResult:
    name, expected = rule.comparison
    if name == "known":
        present = rule.fact in facts
        verdict: Verdict = "pass" if present == expected else "fail"
        if present:
            reasons = (wording.fact_phrase(rule.fact, facts[rule.fact]),)
        else:
            reasons = (
                wording.message("engine_fact_not_given", fact=wording.fact_title(rule.fact)),
            )
        return _with_failure(verdict, reasons, rule)
    if rule.fact not in facts:
        not_asked = wording.message(
            "engine_eligibility_not_asked", fact=wording.fact_title(rule.fact)
        )
        return RuleResult("unknown", (not_asked,), rule.fact, rule)
    actual = facts[rule.fact]
    verdict = "pass" if _compare(name, actual, expected) else "fail"
    return _with_failure(verdict, (wording.fact_phrase(rule.fact, actual),), rule)


def _with_failure(verdict: Verdict, reasons: tuple[str, ...], rule: FactRule) -> RuleResult:
    if verdict == "pass":
        return RuleResult("pass", reasons)
    return RuleResult(verdict, reasons, rule.fact, rule)


def _all_rule(rule: AllRule, facts: Facts, wording: Wording) -> RuleResult:
    parts = [evaluate(part, facts, wording) for part in rule.all]
    for verdict in ("fail", "unknown"):
        deciding = [part for part in parts if part.verdict == verdict]
        if deciding:
            return _combine(verdict, deciding)
    return _combine("pass", parts)


def _any_rule(rule: AnyRule, facts: Facts, wording: Wording) -> RuleResult:
    parts = [evaluate(part, facts, wording) for part in rule.any]
    passing = [part for part in parts if part.passed]
    if passing:
        return _combine("pass", passing[:1])
    unknown = [part for part in parts if part.verdict == "unknown"]
    if unknown:
        return _combine("unknown", unknown)
    return _combine("fail", parts)


def _not_rule(rule: NotRule, facts: Facts, wording: Wording) -> RuleResult:
    inner = evaluate(rule.not_, facts, wording)
    if inner.verdict == "unknown":
        return inner
    if inner.passed:
        failed_fact, failed_rule = _first_fact(rule.not_)
        return RuleResult("fail", inner.reasons, failed_fact, failed_rule)
    return RuleResult("pass", inner.reasons)


def _combine(verdict: Verdict, parts: list[RuleResult]) -> RuleResult:
    reasons = tuple(reason for part in parts for reason in part.reasons)
    if verdict == "pass":
        return RuleResult("pass", reasons)
    first = parts[0]
    return RuleResult(verdict, reasons, first.failed_fact, first.failed_rule)


def _first_fact(rule: Rule) -> tuple[str | None, FactRule | None]:
    """The first fact a rule looks at, to name what ruled a service out under a `not`."""
    if isinstance(rule, FactRule):
        return rule.fact, rule
    if isinstance(rule, NotRule):
        return _first_fact(rule.not_)
    children = rule.all if isinstance(rule, AllRule) else rule.any
    return _first_fact(children[0])


# --- Comparisons ----------------------------------------------------------------------


def _compare(name: str, actual: FactValue, expected: object) -> bool:
    if name == "equals":
        return _same(actual, expected)
    if name == "not_equals":
        return not _same(actual, expected)
    if name in {"in", "not_in"}:
        assert isinstance(expected, list)
        found = any(_same(actual, item) for item in expected)
        return found if name == "in" else not found
    number = _number(actual)
    if number is None or not isinstance(expected, int | float):
        return False
    return {
        "at_least": number >= expected,
        "at_most": number <= expected,
        "more_than": number > expected,
        "less_than": number < expected,
    }[name]


def _same(actual: FactValue, expected: object) -> bool:
    """Equal as the person would mean it: `yes` and true, 65 and 65.0, any case."""
    if not isinstance(expected, str | int | float | bool):
        return False
    wanted = {key.casefold() for key in value_keys(expected)}
    return any(key.casefold() in wanted for key in value_keys(actual))


def _number(value: FactValue) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value)
    except ValueError:
        return None
