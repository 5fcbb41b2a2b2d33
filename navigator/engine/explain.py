"""Why each service fits or was ruled out, spelt out for an advocate: which rule, which fact.

The resident sees "This one is not open to you because you are under 65".
An advocate needs the working too: the whole rule ("Age group is 65+"), the
fact that decided it ("Age group is under-65"), or the question never asked
("Not asked yet: Looks after someone"), so they can check it, ask it, or
argue the case. Everything here comes from the engine's own assessment
(`Conversation.assess_services`), so the panel can never disagree with the
results the resident is shown.

It lives in the engine, not with the advocate's screens, because it is
conversation logic: which rule, which fact, in the knowledge base's words
(`advocate_fit_*` and `advocate_rule_*` messages). The panel widget only draws
what this module works out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from navigator.engine.conversation import Conversation
from navigator.engine.eligibility import ServiceAssessment
from navigator.engine.events import ServiceFit
from navigator.engine.render import FIT_ORDER
from navigator.engine.wording import Wording, display_value
from navigator.kb.model import AllRule, AnyRule, FactRule, NotRule, Outcome, Rule, UnmetEnd

FIT_WORDS: dict[ServiceFit, str] = {
    "offered": "advocate_fit_offered",
    "waiting_list": "advocate_fit_waiting_list",
    "closed": "advocate_fit_closed",
    "ineligible": "advocate_fit_ineligible",
    "out_of_area": "advocate_fit_out_of_area",
}

FIT_MARKS: dict[str, str] = {
    "offered": "✔",
    "waiting_list": "…",
    "closed": "✖",
    "ineligible": "✗",
    "out_of_area": "✗",
    "not_asked": "?",
}
"""A mark beside each service's words, so its state never rests on colour alone."""

COMPARISON_WORDS: dict[str, str] = {
    "equals": "advocate_rule_equals",
    "not_equals": "advocate_rule_not_equals",
    "in": "advocate_rule_in",
    "not_in": "advocate_rule_not_in",
    "at_least": "advocate_rule_at_least",
    "at_most": "advocate_rule_at_most",
    "more_than": "advocate_rule_more_than",
    "less_than": "advocate_rule_less_than",
}

EXPLAIN_MESSAGES: tuple[str, ...] = (
    *FIT_WORDS.values(),
    "advocate_fit_not_asked",
    "advocate_rule",
    "advocate_no_rule",
    "advocate_decided_by",
    "advocate_not_asked",
    *COMPARISON_WORDS.values(),
    "advocate_rule_known",
    "advocate_rule_not_known",
    "advocate_rule_and",
    "advocate_rule_or",
    "advocate_rule_not",
    "advocate_rule_area",
)
"""Every message key this module looks up; advocate mode checks the knowledge base has each."""


@dataclass(frozen=True)
class FactLine:
    """One fact learnt so far: its title, the value as stored, and how it reads."""

    fact_id: str
    title: str
    value: str
    phrase: str


@dataclass(frozen=True)
class ServiceReasoning:
    """One service at the current result, and the working behind its place there."""

    service_id: str
    name: str
    fit: ServiceFit
    not_asked: bool
    status: str
    """The fit in words: "Open to them", "Ruled out", "Not known yet"."""
    reasons: str
    """The engine's own reasons, joined: "you are 65 or over and you live in Northbrook"."""
    rule: str
    """The whole rule, or the areas served: "Rule: Age group is 65+"."""
    decided_by: str
    """The fact that ruled it out, or the question not asked; '' when it fits."""

    @property
    def mark(self) -> str:
        return FIT_MARKS["not_asked" if self.not_asked else self.fit]


@dataclass(frozen=True)
class Reasoning:
    """What the side panel shows: the facts, and every service at the result with its working."""

    facts: tuple[FactLine, ...]
    topic_title: str = ""
    at_result: bool = False
    unmet_reason: str = ""
    """The reason's title at an unmet end ("No service"), or ''."""
    services: tuple[ServiceReasoning, ...] = ()


def facts_so_far(conversation: Conversation) -> tuple[FactLine, ...]:
    """The facts learnt, in the order the knowledge base declares them."""
    wording = conversation.wording
    known = conversation.facts
    order = [fact_id for fact_id in conversation.knowledge.facts if fact_id in known]
    order += sorted(fact_id for fact_id in known if fact_id not in conversation.knowledge.facts)
    return tuple(
        FactLine(
            fact_id,
            wording.fact_title(fact_id),
            display_value(known[fact_id]),
            wording.fact_phrase(fact_id, known[fact_id]),
        )
        for fact_id in order
    )


def describe_rule(rule: Rule, wording: Wording) -> str:
    """A rule in short words: "Age group is 65+ and (Carer is yes or Age group is under-65)"."""
    say = wording.message
    if isinstance(rule, FactRule):
        return _describe_fact_rule(rule, wording)
    if isinstance(rule, NotRule):
        return say("advocate_rule_not", rule=describe_rule(rule.not_, wording))
    parts: Sequence[Rule] = rule.all if isinstance(rule, AllRule) else rule.any
    joiner = say("advocate_rule_and" if isinstance(rule, AllRule) else "advocate_rule_or")
    described = [
        f"({describe_rule(part, wording)})"
        if isinstance(part, AllRule | AnyRule)
        else describe_rule(part, wording)
        for part in parts
    ]
    return f" {joiner} ".join(described)


def _describe_fact_rule(rule: FactRule, wording: Wording) -> str:
    fact = wording.fact_title(rule.fact)
    name, expected = rule.comparison
    if name == "known":
        key = "advocate_rule_known" if expected else "advocate_rule_not_known"
        return wording.message(key, fact=fact)
    if isinstance(expected, list):
        values = ", ".join(display_value(item) for item in expected)
        return wording.message(COMPARISON_WORDS[name], fact=fact, values=values)
    return wording.message(COMPARISON_WORDS[name], fact=fact, value=display_value(expected))


def service_reasoning(item: ServiceAssessment, conversation: Conversation) -> ServiceReasoning:
    """The working behind one assessed service."""
    service = item.service
    wording = conversation.wording
    say = wording.message
    if item.fit == "out_of_area" and isinstance(service.service_areas, list):
        areas = ", ".join(service.service_areas)
        rule = say("advocate_rule", rule=say("advocate_rule_area", areas=areas))
    elif service.eligibility is not None:
        rule = say("advocate_rule", rule=describe_rule(service.eligibility, wording))
    else:
        rule = say("advocate_no_rule")
    decided_by = ""
    fact_id = item.failed_fact
    if item.not_asked and fact_id is not None:
        decided_by = say("advocate_not_asked", fact=wording.fact_title(fact_id))
    elif not item.shown_as_fitting and fact_id is not None and fact_id in conversation.facts:
        value = display_value(conversation.facts[fact_id])
        decided_by = say("advocate_decided_by", fact=wording.fact_title(fact_id), value=value)
    status = say("advocate_fit_not_asked") if item.not_asked else say(FIT_WORDS[item.fit])
    return ServiceReasoning(
        service_id=service.id,
        name=wording.text(service.name),
        fit=item.fit,
        not_asked=item.not_asked,
        status=status,
        reasons=wording.join(item.reasons),
        rule=rule,
        decided_by=decided_by,
    )


def reasoning_now(conversation: Conversation) -> Reasoning:
    """The facts, and the working for every service where the conversation stands.

    At an outcome every service is listed, fitting ones first; at an unmet
    end, the other help it offers. Anywhere else, just the facts.
    """
    facts = facts_so_far(conversation)
    state = conversation.state
    knowledge = conversation.knowledge
    node = knowledge.nodes.get(state.node_id or "") if state.place == "node" else None
    topic = knowledge.topics.get(state.topic_id or "")
    title = conversation.wording.text(topic.title) if topic is not None else ""
    if not isinstance(node, Outcome | UnmetEnd):
        return Reasoning(facts, title)
    assessments = sorted(
        conversation.assess_services(node.services), key=lambda item: FIT_ORDER[item.fit]
    )
    unmet_reason = ""
    if isinstance(node, UnmetEnd):
        reason = knowledge.reasons.get(node.reason)
        unmet_reason = conversation.wording.text(reason.title) if reason else node.reason
    return Reasoning(
        facts,
        title,
        at_result=True,
        unmet_reason=unmet_reason,
        services=tuple(service_reasoning(item, conversation) for item in assessments),
    )
