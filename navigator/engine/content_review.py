"""The knowledge base as a subject expert reads it: every rule in words, every rate dated.

A welfare-rights adviser who checks a council's content should not have to
read YAML. This module gathers, per topic, each service the topic can offer
with its rule written as a sentence from the knowledge base's own phrases
("you care for 35 hours or more a week, and you earn £204 a week or less"),
its sources and review dates, and every rate with the days each value holds.
It also lists what the validator says is due for review. A front end
(`navigator content-report`) lays it out; nothing here draws.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from navigator.engine.wording import Wording, display_value
from navigator.kb.diagnostics import Diagnostic
from navigator.kb.knowledge import KnowledgeBase
from navigator.kb.model import AllRule, AnyRule, FactRule, NotRule, Outcome, Rule, Service, UnmetEnd

DUE_CODES = frozenset(
    {
        "review-overdue",
        "rule-check-overdue",
        "safeguarding-check-overdue",
        "rate-runs-out",
        "rate-check-overdue",
    }
)
"""Validator findings that mean "check this with its source or provider now"."""


@dataclass(frozen=True)
class ServiceEntry:
    service_id: str
    name: str
    provider: str
    rule: str
    """The rule in words, or '' when anyone may use the service."""
    eligibility_description: str
    website: str
    last_reviewed: dt.date
    rule_checked_on: dt.date | None


@dataclass(frozen=True)
class TopicEntry:
    topic_id: str
    title: str
    services: tuple[ServiceEntry, ...]


@dataclass(frozen=True)
class RateEntry:
    rate_id: str
    title: str
    source: str
    verified_on: dt.date
    values: tuple[tuple[dt.date, dt.date | None, str], ...]


@dataclass(frozen=True)
class DueItem:
    where: str
    what: str


@dataclass(frozen=True)
class ContentReview:
    place: str
    content_hash: str
    as_of: dt.date
    topics: tuple[TopicEntry, ...]
    unplaced: tuple[ServiceEntry, ...]
    """Services no topic offers (reached only by search or the advocate's finder)."""
    rates: tuple[RateEntry, ...]
    due: tuple[DueItem, ...]


def content_review(
    knowledge: KnowledgeBase, findings: Sequence[Diagnostic], as_of: dt.date
) -> ContentReview:
    """Everything a subject expert checks, in the words residents read on `as_of`."""
    wording = Wording(knowledge, as_of=as_of)
    offered = _services_by_topic(knowledge)
    placed = {service_id for ids in offered.values() for service_id in ids}
    topics = tuple(
        TopicEntry(
            topic.id,
            wording.text(topic.title),
            tuple(_entry(knowledge.services[sid], wording) for sid in offered.get(topic.id, [])),
        )
        for topic in knowledge.topics.values()
    )
    unplaced = tuple(
        _entry(service, wording)
        for service in knowledge.services.values()
        if service.id not in placed
    )
    return ContentReview(
        place=wording.text(knowledge.place.name) if knowledge.place is not None else "",
        content_hash=knowledge.content_hash,
        as_of=as_of,
        topics=topics,
        unplaced=unplaced,
        rates=tuple(_rate(rate_id, knowledge) for rate_id in sorted(knowledge.rates)),
        due=tuple(
            DueItem(str(finding.location or ""), finding.message)
            for finding in findings
            if finding.code in DUE_CODES
        ),
    )


def rule_in_words(rule: Rule, wording: Wording) -> str:
    """A rule as a sentence of the knowledge base's phrases, for a reader who knows the law."""
    if isinstance(rule, FactRule):
        return _fact_rule_words(rule, wording)
    if isinstance(rule, NotRule):
        inner = rule_in_words(rule.not_, wording)
        return wording.message("advocate_rule_not", rule=inner)
    parts: Sequence[Rule] = rule.all if isinstance(rule, AllRule) else rule.any
    joiner = wording.message(
        "advocate_rule_and" if isinstance(rule, AllRule) else "advocate_rule_or"
    )
    words = [
        f"({rule_in_words(part, wording)})"
        if isinstance(part, AllRule | AnyRule)
        else rule_in_words(part, wording)
        for part in parts
    ]
    return f", {joiner} ".join(words) if len(words) > 2 else f" {joiner} ".join(words)


def _fact_rule_words(rule: FactRule, wording: Wording) -> str:
    """Value phrases where the knowledge base has them ("you care for 35 hours or more")."""
    name, expected = rule.comparison
    if name == "equals":
        return wording.fact_phrase(rule.fact, expected)
    if name == "in" and isinstance(expected, list):
        phrases = [wording.fact_phrase(rule.fact, value) for value in expected]
        return f" {wording.message('advocate_rule_or')} ".join(dict.fromkeys(phrases))
    fact = wording.fact_title(rule.fact)
    if name == "known":
        key = "advocate_rule_known" if expected else "advocate_rule_not_known"
        return wording.message(key, fact=fact)
    key = f"advocate_rule_{name}"
    if isinstance(expected, list):
        values = ", ".join(display_value(item) for item in expected)
        return wording.message(key, fact=fact, values=values)
    return wording.message(key, fact=fact, value=display_value(expected))


def _services_by_topic(knowledge: KnowledgeBase) -> dict[str, list[str]]:
    owners = knowledge.topic_of_node()
    offered: dict[str, list[str]] = {}
    for node in knowledge.nodes.values():
        topic_id = owners.get(node.id)
        if topic_id is None or not isinstance(node, Outcome | UnmetEnd):
            continue
        listed = offered.setdefault(topic_id, [])
        listed.extend(
            sid for sid in node.services if sid not in listed and sid in knowledge.services
        )
    return offered


def _entry(service: Service, wording: Wording) -> ServiceEntry:
    return ServiceEntry(
        service_id=service.id,
        name=wording.text(service.name),
        provider=wording.text(service.provider),
        rule=rule_in_words(service.eligibility, wording) if service.eligibility else "",
        eligibility_description=wording.text(service.eligibility_description),
        website=service.contact.website or "",
        last_reviewed=service.last_reviewed,
        rule_checked_on=service.rule_checked_on,
    )


def _rate(rate_id: str, knowledge: KnowledgeBase) -> RateEntry:
    rate = knowledge.rates[rate_id]
    return RateEntry(
        rate_id=rate.id,
        title=rate.title,
        source=rate.source,
        verified_on=rate.verified_on,
        values=tuple((value.from_, value.to, value.value) for value in rate.values),
    )
