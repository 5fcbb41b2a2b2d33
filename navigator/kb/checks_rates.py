"""Rate checks: every `{rate.id}` a text uses exists, and every rate is dated and checked.

A reference to a rate that does not exist would show residents a name in
braces, so it is an error. Two values on the same day make the figure depend
on file order, so that is an error too. A rate that runs out soon, or that nobody
has checked against its source for a while, is a warning: content staff have
time to act, and residents still see the last known figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pydantic import BaseModel

from navigator.kb.checks_content import months_before
from navigator.kb.diagnostics import Diagnostic, error, warning
from navigator.kb.knowledge import KnowledgeBase
from navigator.kb.loader import ENTITY_SECTIONS, SINGLE_SECTIONS
from navigator.kb.model import Text
from navigator.kb.rates import LOOK_AHEAD_DAYS, first_gap, overlaps, references
from navigator.kb.walk import iter_texts
from navigator.kb.yamlsource import PathKey


def check_rates(knowledge: KnowledgeBase, today: dt.date) -> Iterator[Diagnostic]:
    """Every rate finding about `knowledge`, judged on `today`."""
    yield from _unknown_references(knowledge)
    for rate in knowledge.rates.values():
        where = ("rates", rate.id)
        for earlier, later in overlaps(rate):
            yield error(
                "rate-overlap",
                f"rate '{rate.id}' has two values on {later.from_.isoformat()}: "
                f"'{earlier.value}' (from {earlier.from_.isoformat()}) and '{later.value}'. "
                "Give the earlier value a 'to' date the day before the later one starts.",
                knowledge.where(*where, "values"),
                knowledge.field_of(*where, "values"),
            )
        gap = first_gap(rate, today, today + dt.timedelta(days=LOOK_AHEAD_DAYS))
        if gap is not None:
            yield warning(
                "rate-runs-out",
                f"rate '{rate.id}' has no value for {gap.isoformat()}, within "
                f"{LOOK_AHEAD_DAYS} days of {today.isoformat()}. Add the next value with its "
                "'from' date (residents see the last known value until then).",
                knowledge.where(*where, "values"),
                knowledge.field_of(*where, "values"),
            )
        months = knowledge.content_rules.rule_review_months
        if rate.verified_on < months_before(today, months):
            yield warning(
                "rate-check-overdue",
                f"rate '{rate.id}' was last checked against its source on "
                f"{rate.verified_on.isoformat()}, more than {months} months before "
                f"{today.isoformat()}. Check it at {rate.source}, then update 'verified_on'.",
                knowledge.where(*where, "verified_on"),
                knowledge.field_of(*where, "verified_on"),
            )


def _unknown_references(knowledge: KnowledgeBase) -> Iterator[Diagnostic]:
    for owner, path, text in _every_text(knowledge):
        for language, sentence in text.translations.items():
            for rate_id in references(sentence):
                if rate_id in knowledge.rates:
                    continue
                known = ", ".join(sorted(knowledge.rates)) or "none yet"
                yield error(
                    "unknown-rate",
                    f"the text uses '{{{rate_id}}}' ({language}), but there is no rate with "
                    f"that id (rates: {known}). Add it under 'rates:', or correct the name.",
                    knowledge.where(*owner, *path),
                    knowledge.field_of(*owner, *path),
                )


def _every_text(knowledge: KnowledgeBase) -> Iterator[tuple[tuple[str, str], PathKey, Text]]:
    for section in ENTITY_SECTIONS:
        entities: dict[str, BaseModel] = getattr(knowledge, section)
        for entity_id, entity in entities.items():
            for path, text in iter_texts(entity):
                yield (section, entity_id), path, text
    for key, text in knowledge.messages.items():
        yield ("messages", key), (), text
    for section in SINGLE_SECTIONS:
        value = getattr(knowledge, section)
        if value is not None:
            for path, text in iter_texts(value):
                yield (section, ""), path, text
