"""Why each service fits or was ruled out, spelt out for an advocate: which rule, which fact.

The resident sees "This one is not open to you because you are under 65".
An advocate needs the working too: the whole rule ("Age group is 65+"), the
fact that decided it ("Age group is under-65"), or the question never asked
("Not asked yet: Looks after someone"), so they can check it, ask it, or
argue the case. Everything here comes from the engine's own assessment
(`Conversation.assess_services`), so the panel can never disagree with the
results the resident is shown.

Plain Python (no Textual): the panel widget draws what this module works out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from navigator.engine.conversation import Conversation
from navigator.engine.eligibility import ServiceAssessment
from navigator.engine.events import ServiceFit
from navigator.engine.wording import display_value
from navigator.kb.model import AllRule, AnyRule, FactRule, NotRule, Outcome, Rule, UnmetEnd
from navigator.tui.advocate.text import AdvocateMsg, AdvocateText

FIT_WORDS: dict[ServiceFit, AdvocateMsg] = {
    "offered": AdvocateMsg.FIT_OFFERED,
    "waiting_list": AdvocateMsg.FIT_WAITING_LIST,
    "closed": AdvocateMsg.FIT_CLOSED,
    "ineligible": AdvocateMsg.FIT_INELIGIBLE,
    "out_of_area": AdvocateMsg.FIT_OUT_OF_AREA,
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

FIT_ORDER = {"offered": 0, "waiting_list": 1, "closed": 2, "out_of_area": 3, "ineligible": 4}

COMPARISON_WORDS: dict[str, AdvocateMsg] = {
    "equals": AdvocateMsg.RULE_EQUALS,
    "not_equals": AdvocateMsg.RULE_NOT_EQUALS,
    "in": AdvocateMsg.RULE_IN,
    "not_in": AdvocateMsg.RULE_NOT_IN,
    "at_least": AdvocateMsg.RULE_AT_LEAST,
    "at_most": AdvocateMsg.RULE_AT_MOST,
    "more_than": AdvocateMsg.RULE_MORE_THAN,
    "less_than": AdvocateMsg.RULE_LESS_THAN,
}


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


def describe_rule(rule: Rule, conversation: Conversation, text: AdvocateText) -> str:
    """A rule in short words: "Age group is 65+ and (Carer is yes or Age group is under-65)"."""
    if isinstance(rule, FactRule):
        return _describe_fact_rule(rule, conversation, text)
    if isinstance(rule, NotRule):
        return text(AdvocateMsg.RULE_NOT, rule=describe_rule(rule.not_, conversation, text))
    parts: Sequence[Rule] = rule.all if isinstance(rule, AllRule) else rule.any
    joiner = text(AdvocateMsg.RULE_AND if isinstance(rule, AllRule) else AdvocateMsg.RULE_OR)
    described = [
        f"({describe_rule(part, conversation, text)})"
        if isinstance(part, AllRule | AnyRule)
        else describe_rule(part, conversation, text)
        for part in parts
    ]
    return f" {joiner} ".join(described)


def _describe_fact_rule(rule: FactRule, conversation: Conversation, text: AdvocateText) -> str:
    fact = conversation.wording.fact_title(rule.fact)
    name, expected = rule.comparison
    if name == "known":
        return text(AdvocateMsg.RULE_KNOWN if expected else AdvocateMsg.RULE_NOT_KNOWN, fact=fact)
    if isinstance(expected, list):
        values = ", ".join(display_value(item) for item in expected)
        return text(COMPARISON_WORDS[name], fact=fact, values=values)
    return text(COMPARISON_WORDS[name], fact=fact, value=display_value(expected))


def service_reasoning(
    item: ServiceAssessment, conversation: Conversation, text: AdvocateText
) -> ServiceReasoning:
    """The working behind one assessed service."""
    service = item.service
    wording = conversation.wording
    if item.fit == "out_of_area" and isinstance(service.service_areas, list):
        rule = text(
            AdvocateMsg.RULE,
            rule=text(AdvocateMsg.RULE_AREA, areas=", ".join(service.service_areas)),
        )
    elif service.eligibility is not None:
        rule = text(AdvocateMsg.RULE, rule=describe_rule(service.eligibility, conversation, text))
    else:
        rule = text(AdvocateMsg.NO_RULE)
    decided_by = ""
    fact_id = item.failed_fact
    if item.not_asked and fact_id is not None:
        decided_by = text(AdvocateMsg.NOT_ASKED, fact=wording.fact_title(fact_id))
    elif not item.shown_as_fitting and fact_id is not None and fact_id in conversation.facts:
        value = display_value(conversation.facts[fact_id])
        decided_by = text(AdvocateMsg.DECIDED_BY, fact=wording.fact_title(fact_id), value=value)
    status = text(AdvocateMsg.FIT_NOT_ASKED) if item.not_asked else text(FIT_WORDS[item.fit])
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


def reasoning_now(conversation: Conversation, text: AdvocateText) -> Reasoning:
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
        services=tuple(service_reasoning(item, conversation, text) for item in assessments),
    )
