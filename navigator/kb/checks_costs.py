"""Unit-cost checks: every cost names a known agency, and every likely event a known cost
whose agency the need says carries its later cost.

A cost put on an agency the need does not name would show in reports under an
agency nobody said pays for that need, so it is an error, as is a name that does
not exist. A unit cost nobody has checked against its source for a while is a
warning, as a rate is: its figure still stands until someone updates it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from navigator.kb.checks_content import months_before
from navigator.kb.diagnostics import Diagnostic, error, warning
from navigator.kb.knowledge import KnowledgeBase


def check_unit_costs(knowledge: KnowledgeBase, today: dt.date) -> Iterator[Diagnostic]:
    """Every unit-cost finding about `knowledge`, judged on `today`."""
    months = knowledge.content_rules.rule_review_months
    for cost in knowledge.unit_costs.values():
        where = ("unit_costs", cost.id)
        if cost.agency not in knowledge.agencies:
            yield error(
                "unknown-agency",
                f"unit cost '{cost.id}' is carried by agency '{cost.agency}', which does not "
                "exist. Use an id from 'agencies:', or add the agency there.",
                knowledge.where(*where, "agency"),
                knowledge.field_of(*where, "agency"),
            )
        if cost.verified_on < months_before(today, months):
            yield warning(
                "unit-cost-check-overdue",
                f"unit cost '{cost.id}' was last checked against its source on "
                f"{cost.verified_on.isoformat()}, more than {months} months before "
                f"{today.isoformat()}. Check it at {cost.source}, then update 'verified_on'.",
                knowledge.where(*where, "verified_on"),
                knowledge.field_of(*where, "verified_on"),
            )
    for need in knowledge.needs.values():
        for index, event in enumerate(need.likely_events):
            path = ("likely_events", index, "cost")
            found = knowledge.unit_costs.get(event.cost)
            if found is None:
                yield error(
                    "unknown-unit-cost",
                    f"need category '{need.id}' expects the event '{event.cost}', which is not "
                    "a unit cost. Use an id from 'unit_costs:' (knowledge/unit-costs.yaml), or "
                    "add the cost there with its source.",
                    knowledge.where("needs", need.id, *path),
                    knowledge.field_of("needs", need.id, *path),
                )
            elif found.agency not in need.cost_falls_on:
                yield error(
                    "cost-on-other-agency",
                    f"need category '{need.id}' expects the event '{event.cost}', whose cost "
                    f"falls on '{found.agency}', but its 'cost_falls_on' does not name "
                    f"'{found.agency}'. Add the agency to 'cost_falls_on', or choose an event "
                    "that falls on one of its agencies.",
                    knowledge.where("needs", need.id, *path),
                    knowledge.field_of("needs", need.id, *path),
                )
