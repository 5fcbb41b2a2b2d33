"""Checks of a loaded knowledge base: the graph holds together, and the content reads well.

`validate(knowledge)` runs every check and returns its findings, errors
first, then in file and line order. The checks live beside this module:

- `checks_refs`: every id mentioned is declared (nodes, services, needs,
  reasons, agencies, facts and their values, safeguarding contacts), and the
  ids Navigator relies on (`requirements`) are there;
- `checks_graph`: every node can be reached and every path can end, options
  can be told apart, every service is offered somewhere;
- `checks_costs`: unit costs name known agencies, and each need's likely events
  name known costs carried by an agency the need names;
- `menu`: the topic menu names each topic once (`check_menu`);
- `checks_content`: warnings about review dates, long sentences, plain
  English, stigmatising labels, services nobody can contact.

Each finding's code is stable and documented in docs/knowledge-format.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from navigator.kb.checks_content import check_content
from navigator.kb.checks_costs import check_unit_costs
from navigator.kb.checks_graph import check_graph
from navigator.kb.checks_rates import check_rates
from navigator.kb.checks_refs import check_districts, check_references
from navigator.kb.checks_translations import check_translations
from navigator.kb.codes import check_codes
from navigator.kb.diagnostics import Diagnostic, Severity
from navigator.kb.knowledge import KnowledgeBase, Limits, LoadResult, gc_paused
from navigator.kb.loader import load
from navigator.kb.menu import check_menu
from navigator.kb.requirements import Requirements
from navigator.kb.style import Style


def validate(
    knowledge: KnowledgeBase,
    today: dt.date | None = None,
    requirements: Requirements | None = None,
) -> list[Diagnostic]:
    """Every graph and content finding about `knowledge`, errors first.

    `today` decides which review dates are overdue (the real date by default);
    `requirements` are the reasons and messages the knowledge base must declare.
    """
    if knowledge.from_cache:
        raise ValueError(
            "validate needs the knowledge base as loaded (navigator.kb.load): the app's "
            "cache leaves out the field positions the checks point at"
        )
    style = Style.from_rules(knowledge.content_rules)
    with gc_paused():
        findings = [
            *check_references(knowledge, requirements or Requirements()),
            *check_districts(knowledge),
            *check_menu(knowledge),
            *check_graph(knowledge),
            *check_content(knowledge, style, today or dt.date.today()),
            *check_rates(knowledge, today or dt.date.today()),
            *check_unit_costs(knowledge, today or dt.date.today()),
            *check_codes(knowledge),
            *check_translations(knowledge),
        ]
    return sort_findings(findings)


def load_validated(
    root: Path | str, today: dt.date | None = None, limits: Limits | None = None
) -> LoadResult:
    """Load `root` and run every check, as `navigator validate` does: one result for both.

    The checks need every file: when one cannot be read, the result holds only
    what loading found and is not `checked` (its errors already stop a start).
    Every command that starts on a knowledge base, and `navigator validate`,
    judge it by this, so a start refuses exactly what `validate` rejects.
    """
    result = load(root, limits)
    if result.unreadable_files:
        return result
    findings = sort_findings([*result.diagnostics, *validate(result.knowledge, today)])
    return replace(result, diagnostics=findings, checked=True)


def sort_findings(findings: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Errors first, then by file, line and column, so output reads down each file."""
    return sorted(findings, key=_order)


def _order(finding: Diagnostic) -> tuple[bool, str, int, int, str]:
    location = finding.location
    return (
        finding.severity != Severity.ERROR,
        str(location.file) if location else "",
        (location.line or 0) if location else 0,
        (location.column or 0) if location else 0,
        finding.code,
    )
