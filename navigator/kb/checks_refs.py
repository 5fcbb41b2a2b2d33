"""Reference checks: every id a knowledge base mentions is one it declares.

A topic's need, a node's next step, an outcome's services, an unmet end's
reason, a rule's fact and the values it compares: each must exist, or a
resident would reach a step that cannot be shown or a rule that cannot be
decided. Ids left out because of schema errors count as known, so a typo
is reported once, by the schema check, and not again here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from navigator.kb.diagnostics import Diagnostic, Location, error, warning
from navigator.kb.knowledge import KnowledgeBase
from navigator.kb.model import Fact, FactRule, FactValue, Info, Outcome, Question, UnmetEnd
from navigator.kb.requirements import OTHER_LANGUAGE_REASON, Requirements
from navigator.kb.walk import (
    is_numeric,
    iter_fact_rules,
    lists_every_value,
    shown_value,
    value_keys,
)
from navigator.kb.yamlsource import PathKey

CHOICE_COMPARISONS = frozenset({"equals", "not_equals", "in", "not_in"})
NUMBER_COMPARISONS = frozenset({"at_least", "at_most", "more_than", "less_than"})


class _Refs:
    """Shared lookups for the reference checks of one knowledge base."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self._allowed: dict[str, frozenset[str] | None] = {}

    def allows(self, fact: Fact, value: FactValue) -> bool:
        """Whether `fact` may take `value` (a choice's listed values, or anything)."""
        if fact.id not in self._allowed:
            listed = frozenset(key.lower() for key in fact.values)
            self._allowed[fact.id] = listed if lists_every_value(fact) else None
        allowed = self._allowed[fact.id]
        if allowed is None:
            return True
        return any(key.lower() in allowed for key in value_keys(value))

    def known(self, section: str, entity_id: str) -> bool:
        return (
            entity_id in getattr(self.knowledge, section)
            or (section, entity_id) in self.knowledge.skipped
        )

    def unknown(
        self,
        code: str,
        what: str,
        target: str,
        owner: tuple[str, str],
        path: PathKey,
        advice: str,
    ) -> Diagnostic:
        section, owner_id = owner
        return error(
            code,
            f"{_kind(section)} '{owner_id}' refers to {what} '{target}', which does not exist. "
            f"{advice}",
            self.knowledge.where(section, owner_id, *path),
            self.knowledge.field_of(section, owner_id, *path),
        )


def check_references(knowledge: KnowledgeBase, requirements: Requirements) -> Iterator[Diagnostic]:
    """Every reference to an id that is not declared, and every required id that is missing."""
    refs = _Refs(knowledge)
    yield from _topics(refs)
    yield from _nodes(refs)
    yield from _services(refs)
    yield from _imports(refs)
    yield from _needs(refs)
    yield from _safeguarding(knowledge)
    yield from _required(knowledge, requirements)
    yield from _language_reason(knowledge)


def _topics(refs: _Refs) -> Iterator[Diagnostic]:
    for topic in refs.knowledge.topics.values():
        owner = ("topics", topic.id)
        if not refs.known("needs", topic.need):
            yield refs.unknown(
                "unknown-need", "need category", topic.need, owner, ("need",), _NEED_ADVICE
            )
        if not refs.known("nodes", topic.start):
            yield refs.unknown(
                "unknown-node", "start node", topic.start, owner, ("start",), _NODE_ADVICE
            )


def _nodes(refs: _Refs) -> Iterator[Diagnostic]:
    for node in refs.knowledge.nodes.values():
        owner = ("nodes", node.id)
        if isinstance(node, Question):
            for index, option in enumerate(node.options):
                path = ("options", index)
                if not refs.known("nodes", option.next):
                    yield refs.unknown(
                        "unknown-node",
                        "next node",
                        option.next,
                        owner,
                        (*path, "next"),
                        _NODE_ADVICE,
                    )
                yield from _option_facts(refs, owner, path, option.set)
        elif isinstance(node, Info):
            if not refs.known("nodes", node.next):
                yield refs.unknown(
                    "unknown-node", "next node", node.next, owner, ("next",), _NODE_ADVICE
                )
        else:
            for index, service in enumerate(node.services):
                if not refs.known("services", service):
                    yield refs.unknown(
                        "unknown-service",
                        "service",
                        service,
                        owner,
                        ("services", index),
                        _service_advice(refs.knowledge, service),
                    )
            yield from _end_references(refs, node)


def _end_references(refs: _Refs, node: Outcome | UnmetEnd) -> Iterator[Diagnostic]:
    owner = ("nodes", node.id)
    if node.need is not None and not refs.known("needs", node.need):
        yield refs.unknown(
            "unknown-need", "need category", node.need, owner, ("need",), _NEED_ADVICE
        )
    if not isinstance(node, UnmetEnd):
        return
    if not refs.known("reasons", node.reason):
        declared = ", ".join(sorted(refs.knowledge.reasons)) or "none yet"
        yield refs.unknown(
            "unknown-reason",
            "unmet-need reason",
            node.reason,
            owner,
            ("reason",),
            f"Use one declared under 'reasons:' ({declared}), or declare it there.",
        )
    for index, agency in enumerate(node.cost_falls_on or ()):
        if not refs.known("agencies", agency):
            yield refs.unknown(
                "unknown-agency",
                "agency",
                agency,
                owner,
                ("cost_falls_on", index),
                _AGENCY_ADVICE,
            )


def _option_facts(
    refs: _Refs, owner: tuple[str, str], path: PathKey, facts: Mapping[str, FactValue]
) -> Iterator[Diagnostic]:
    for fact_id, value in facts.items():
        fact = refs.knowledge.facts.get(fact_id)
        if fact is None:
            if not refs.known("facts", fact_id):
                where = (*path, "set", fact_id)
                yield refs.unknown("unknown-fact", "fact", fact_id, owner, where, _FACT_ADVICE)
        elif not refs.allows(fact, value):
            where = (*path, "set", fact_id)
            yield _unknown_value(refs, owner, where, fact_id, value, sorted(fact.values))


def _services(refs: _Refs) -> Iterator[Diagnostic]:
    for service in refs.knowledge.services.values():
        owner = ("services", service.id)
        yield from _unknown_needs(refs, owner, service.needs)
        if service.eligibility is not None:
            for path, rule in iter_fact_rules(service.eligibility, ("eligibility",)):
                yield from _rule_facts(refs, owner, path, rule)


def _service_advice(knowledge: KnowledgeBase, service_id: str) -> str:
    if service_id in knowledge.candidates:
        return (
            "It is an imported candidate, not yet a service: review it, then run "
            f"'navigator import accept {service_id}' to make it one (oruk-in)."
        )
    return "Check the spelling, or add the service under 'services:'."


def _imports(refs: _Refs) -> Iterator[Diagnostic]:
    """Needs named by imported candidates and by the taxonomy crosswalk must exist."""
    for candidate in refs.knowledge.candidates.values():
        yield from _unknown_needs(refs, ("candidates", candidate.id), candidate.needs)
    for index, entry in enumerate(refs.knowledge.taxonomy_crosswalk):
        yield from _unknown_needs(refs, ("taxonomy_crosswalk", str(index)), entry.needs)


def _unknown_needs(
    refs: _Refs, owner: tuple[str, str], needs: Sequence[str]
) -> Iterator[Diagnostic]:
    """Each entry of `owner`'s `needs:` list that names no need category.

    Services, imported candidates and crosswalk entries all list needs the same
    way, so one loop gives all three the same finding and advice.
    """
    for index, need in enumerate(needs):
        if not refs.known("needs", need):
            yield refs.unknown(
                "unknown-need", "need category", need, owner, ("needs", index), _NEED_ADVICE
            )


def _rule_facts(
    refs: _Refs, owner: tuple[str, str], path: PathKey, rule: FactRule
) -> Iterator[Diagnostic]:
    fact = refs.knowledge.facts.get(rule.fact)
    if fact is None:
        if not refs.known("facts", rule.fact):
            yield refs.unknown(
                "unknown-fact", "fact", rule.fact, owner, (*path, "fact"), _FACT_ADVICE
            )
        return
    comparison, value = rule.comparison
    if comparison in NUMBER_COMPARISONS and fact.values and not is_numeric(fact):
        listed = ", ".join(sorted(fact.values))
        yield error(
            "fact-comparison",
            f"{_kind(owner[0])} '{owner[1]}' compares fact '{fact.id}' with '{comparison}', "
            f"but that fact takes one of its listed values ({listed}), not a number. "
            "Use 'equals' or 'in' with those values.",
            refs.knowledge.where(*owner, *path, comparison),
            refs.knowledge.field_of(*owner, *path, comparison),
        )
    if comparison in CHOICE_COMPARISONS:
        values = value if isinstance(value, list) else [value]
        for index, item in enumerate(values):
            if not refs.allows(fact, item):
                where = (
                    (*path, comparison, index) if isinstance(value, list) else (*path, comparison)
                )
                yield _unknown_value(refs, owner, where, fact.id, item, sorted(fact.values))


def _unknown_value(
    refs: _Refs,
    owner: tuple[str, str],
    path: PathKey,
    fact_id: str,
    value: object,
    listed: list[str],
) -> Diagnostic:
    shown = shown_value(value) if isinstance(value, str | int | float | bool) else str(value)
    tried = value_keys(value) if isinstance(value, str | int | float | bool) else [shown]
    quoted = " (YAML reads yes/no as true/false)" if isinstance(value, bool) else ""
    return error(
        "unknown-fact-value",
        f"{_kind(owner[0])} '{owner[1]}' uses the value '{shown}'{quoted} for fact '{fact_id}', "
        f"which lists only: {', '.join(listed)}. Use one of those, or add '{tried[0]}' "
        f"under the fact's 'values:' with the phrase that explains it.",
        refs.knowledge.where(*owner, *path),
        refs.knowledge.field_of(*owner, *path),
    )


def _needs(refs: _Refs) -> Iterator[Diagnostic]:
    for need in refs.knowledge.needs.values():
        for index, agency in enumerate(need.cost_falls_on):
            if not refs.known("agencies", agency):
                yield refs.unknown(
                    "unknown-agency",
                    "agency",
                    agency,
                    ("needs", need.id),
                    ("cost_falls_on", index),
                    _AGENCY_ADVICE,
                )


def _safeguarding(knowledge: KnowledgeBase) -> Iterator[Diagnostic]:
    safeguarding = knowledge.safeguarding
    if safeguarding is None:
        if ("safeguarding", "") not in knowledge.locations:
            yield error(
                "missing-safeguarding",
                "the knowledge base has no 'safeguarding:' section, so Navigator could not "
                "show crisis contacts to someone in danger. Add one (see "
                "docs/knowledge-format.md, Safeguarding).",
                Location(knowledge.root),
                "safeguarding",
            )
        return
    owner = ("safeguarding", "")
    contacts: set[str] = set()
    for index, contact in enumerate(safeguarding.contacts):
        if contact.id in contacts:
            yield _duplicate_in_safeguarding(knowledge, "contact", contact.id, ("contacts", index))
        contacts.add(contact.id)
    kinds: set[str] = set()
    for index, kind in enumerate(safeguarding.kinds):
        if kind.id in kinds:
            yield _duplicate_in_safeguarding(knowledge, "kind", kind.id, ("kinds", index))
        kinds.add(kind.id)
        for position, contact_id in enumerate(kind.contacts):
            if contact_id not in contacts:
                path = ("kinds", index, "contacts", position)
                yield error(
                    "unknown-contact",
                    f"safeguarding kind '{kind.id}' lists contact '{contact_id}', which is not "
                    f"under safeguarding 'contacts:' ({', '.join(sorted(contacts))}). "
                    "Check the spelling or add the contact.",
                    knowledge.where(*owner, *path),
                    knowledge.field_of(*owner, *path),
                )
    yield from _crisis_examples(knowledge)


def _plain(phrase: str) -> str:
    """A phrase as the meaning line compares it: lower case, letters and digits only."""
    return " ".join("".join(c if c.isalnum() else " " for c in phrase.lower()).split())


def _crisis_examples(knowledge: KnowledgeBase) -> Iterator[Diagnostic]:
    """An example written under two kinds, or also written as not a crisis, contradicts itself.

    The meaning line would read the same words as two answers, so the one shown
    would depend on the order of the file: content staff must choose.
    """
    safeguarding = knowledge.safeguarding
    assert safeguarding is not None
    ordinary = {_plain(phrase): "not_crisis" for phrase in safeguarding.not_crisis}
    for kind in safeguarding.kinds:
        ordinary.update({_plain(p): f"kind '{kind.id}' near_misses" for p in kind.near_misses})
    seen: dict[str, str] = {}
    for index, kind in enumerate(safeguarding.kinds):
        for position, example in enumerate(kind.examples):
            words = _plain(example)
            clash = ordinary.get(words) or (
                f"kind '{seen[words]}' examples" if seen.get(words, kind.id) != kind.id else None
            )
            seen.setdefault(words, kind.id)
            if clash is None:
                continue
            path = ("kinds", index, "examples", position)
            yield error(
                "crisis-example-conflict",
                f"safeguarding kind '{kind.id}' has the example '{example}', which is also "
                f"under {clash}. Keep it in one place only.",
                knowledge.where("safeguarding", "", *path),
                knowledge.field_of("safeguarding", "", *path),
            )


def _duplicate_in_safeguarding(
    knowledge: KnowledgeBase, what: str, entity_id: str, path: PathKey
) -> Diagnostic:
    return error(
        "duplicate-id",
        f"safeguarding {what} id '{entity_id}' is used twice. Give one of them another id.",
        knowledge.where("safeguarding", "", *path, "id"),
        knowledge.field_of("safeguarding", "", *path, "id"),
    )


def _required(knowledge: KnowledgeBase, requirements: Requirements) -> Iterator[Diagnostic]:
    reasons_at = _first_location(knowledge, "reasons")
    for reason in requirements.reasons:
        if reason not in knowledge.reasons and ("reasons", reason) not in knowledge.skipped:
            yield error(
                "missing-reason",
                f"the unmet-need reason '{reason}' is not declared. Navigator records it by "
                f"itself, so add it under 'reasons:' with a title and a description.",
                reasons_at,
                "reasons",
            )
    missing = [key for key in requirements.messages if key not in knowledge.messages]
    messages_at = _first_location(knowledge, "messages") if missing else None
    for key in missing:
        yield error(
            "missing-message",
            f"the message '{key}' is missing. Navigator shows it to residents, so add it "
            "under 'messages:'.",
            messages_at,
            f"messages.{key}",
        )


def _language_reason(knowledge: KnowledgeBase) -> Iterator[Diagnostic]:
    """Answering in a language the content is not written in records `other_language`."""
    unserved = [language.id for language in knowledge.languages.values() if not language.served]
    if not unserved or OTHER_LANGUAGE_REASON in knowledge.reasons:
        return
    if ("reasons", OTHER_LANGUAGE_REASON) in knowledge.skipped:
        return
    yield error(
        "missing-reason",
        f"the unmet-need reason '{OTHER_LANGUAGE_REASON}' is not declared. Navigator records "
        f"it when someone writes in {', '.join(unserved)}, so add it under 'reasons:' with a "
        "title and a description.",
        _first_location(knowledge, "reasons"),
        "reasons",
    )


def _first_location(knowledge: KnowledgeBase, section: str) -> Location:
    """Where a section is first written (or the folder), to point at for something missing."""
    return next(
        (location for (name, _), location in knowledge.locations.items() if name == section),
        Location(knowledge.root),
    )


def check_districts(knowledge: KnowledgeBase) -> Iterator[Diagnostic]:
    """Services' areas should be districts the place lists, or reports cannot use them."""
    place = knowledge.place
    if place is None or not place.districts:
        return
    districts = set(place.districts)
    for service in knowledge.services.values():
        if not isinstance(service.service_areas, list):
            continue
        for index, district in enumerate(service.service_areas):
            if district not in districts:
                path = ("service_areas", index)
                yield warning(
                    "unknown-district",
                    f"service '{service.id}' serves district '{district}', which the place does "
                    f"not list ({', '.join(sorted(districts))}). Check it, or add it under "
                    "place 'districts:'.",
                    knowledge.where("services", service.id, *path),
                    knowledge.field_of("services", service.id, *path),
                )


def _kind(section: str) -> str:
    return {
        "topics": "topic",
        "nodes": "node",
        "services": "service",
        "needs": "need category",
        "safeguarding": "safeguarding",
        "candidates": "candidate",
        "taxonomy_crosswalk": "taxonomy crosswalk entry",
    }.get(section, section)


_NEED_ADVICE = "Use an id from 'needs:' (such as 'carers-support'), or add the category there."
_NODE_ADVICE = "Check the spelling, or add a node with this id."
_FACT_ADVICE = "Check the spelling, or declare the fact under 'facts:'."
_AGENCY_ADVICE = "Use an id from 'agencies:', or add the agency there."
