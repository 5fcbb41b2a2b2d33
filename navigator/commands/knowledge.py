"""`navigator validate`, `graph` and `schema`: checking, drawing and describing a knowledge base.

Exit status of `validate`: 0 when there are no errors (warnings allowed),
1 when there are errors, 2 when the input cannot be read at all (no such
folder, no YAML files, or not one file readable). The `--format json`
output is described in docs/knowledge-format.md and keeps its shape
(`"format": 1`); new keys may be added, none removed or renamed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from navigator.commands.loading import limits_for
from navigator.config import Settings
from navigator.kb import KnowledgeBase, KnowledgeBaseUnreadable, LoadResult, Severity, load
from navigator.kb.diagnostics import Diagnostic
from navigator.kb.diagram import UnknownTopic, render, topic_diagram
from navigator.kb.validate import load_validated
from navigator.kb.validate import validate as check

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2
JSON_FORMAT_VERSION = 1

CHECKS_SKIPPED = (
    "Some files could not be read, so the graph and content checks did not run. "
    "Fix the files above, then validate again."
)


def validate(arguments: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 with warnings only, 1 with errors, 2 when the input cannot be read at all."""
    root = Path(getattr(arguments, "directory", None) or settings.knowledge)
    as_json = getattr(arguments, "format", "text") == "json"
    try:
        result = load_validated(
            root, today=getattr(arguments, "as_of", None), limits=limits_for(settings)
        )
    except KnowledgeBaseUnreadable as problem:
        if as_json:
            print(json.dumps(_unreadable_json(root, str(problem)), indent=2))
        else:
            print(f"navigator validate: {problem}", file=sys.stderr)
        return EXIT_UNREADABLE
    findings = result.diagnostics
    checked = result.checked
    errors = sum(1 for finding in findings if finding.severity == Severity.ERROR)
    status = EXIT_ERRORS if errors else EXIT_OK
    if result.nothing_readable:
        status = EXIT_UNREADABLE
    if as_json:
        print(json.dumps(_report_json(root, result, findings, checked, status), indent=2))
    else:
        _print_report(root, result, findings, checked)
    return status


def _print_report(
    root: Path, result: LoadResult, findings: list[Diagnostic], checked: bool
) -> None:
    for finding in findings:
        print(finding)
    if not checked:
        print(CHECKS_SKIPPED)
    knowledge = result.knowledge
    errors = sum(1 for finding in findings if finding.severity == Severity.ERROR)
    warnings = len(findings) - errors
    for line in coverage_lines(knowledge):
        print(line)
    print(
        f"{root}: {len(knowledge.files)} files, {len(knowledge.topics)} topics, "
        f"{len(knowledge.nodes)} nodes, {len(knowledge.services)} services; "
        f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} "
        f"(content {knowledge.content_hash})"
    )


def coverage_lines(knowledge: KnowledgeBase) -> list[str]:
    """How much is translated into each language the knowledge base serves, and per topic
    (what is missing is shown in English: branch welsh)."""
    from navigator.kb.checks_translations import coverage

    languages = tuple(code for code, item in knowledge.languages.items() if item.served)
    if not languages or not knowledge.messages:
        return []
    found = coverage(knowledge, languages)
    lines = []
    for index, code in enumerate(languages, start=1):
        name = knowledge.languages[code].name
        lines.append(f"{name} ({code}): {_share(found.translated[code], found.total)} translated")
        for topic in knowledge.topics:
            counts = found.by_part.get(topic)
            if counts is not None:
                line = f"  topic {topic}: {_share(counts[index], counts[0])}"
                shown = found.reached.get(topic)
                if shown is not None:
                    line += f"; its services and their rules: {_share(shown[index], shown[0])}"
                lines.append(line)
        rest = [c for part, c in found.by_part.items() if part not in knowledge.topics]
        done, total = sum(c[index] for c in rest), sum(c[0] for c in rest)
        lines.append(f"  services, messages and the rest: {_share(done, total)}")
    return lines


def _share(done: int, total: int) -> str:
    percent = 100 * done // total if total else 100
    return f"{done} of {total} texts ({percent}%)"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _report_json(
    root: Path,
    result: LoadResult,
    findings: list[Diagnostic],
    checked: bool,
    status: int,
) -> dict[str, Any]:
    knowledge = result.knowledge
    errors = sum(1 for finding in findings if finding.severity == Severity.ERROR)
    return {
        "format": JSON_FORMAT_VERSION,
        "knowledge": str(root),
        "exit_status": status,
        "content_hash": knowledge.content_hash,
        "counts": {
            "files": len(knowledge.files),
            "topics": len(knowledge.topics),
            "nodes": len(knowledge.nodes),
            "services": len(knowledge.services),
        },
        "checks_run": checked,
        "errors": errors,
        "warnings": len(findings) - errors,
        "findings": [finding.to_json() for finding in findings],
    }


def _unreadable_json(root: Path, message: str) -> dict[str, Any]:
    return {
        "format": JSON_FORMAT_VERSION,
        "knowledge": str(root),
        "exit_status": EXIT_UNREADABLE,
        "content_hash": None,
        "counts": {"files": 0, "topics": 0, "nodes": 0, "services": 0},
        "checks_run": False,
        "errors": 1,
        "warnings": 0,
        "findings": [
            {
                "severity": "error",
                "code": "unreadable-knowledge",
                "message": message,
                "location": {"file": str(root), "line": None, "column": None},
                "field": None,
            }
        ],
    }


def graph(arguments: argparse.Namespace, settings: Settings) -> int:
    """Print one topic's tree as Mermaid or DOT. 2: no knowledge base; 1: no such topic."""
    root = Path(settings.knowledge)
    try:
        result = load(root, limits_for(settings))
    except KnowledgeBaseUnreadable as problem:
        print(f"navigator graph: {problem}", file=sys.stderr)
        return EXIT_UNREADABLE
    knowledge = result.knowledge
    try:
        diagram = topic_diagram(knowledge, arguments.topic)
    except UnknownTopic:
        known = ", ".join(sorted(knowledge.topics)) or "none"
        print(
            f"navigator graph: there is no topic '{arguments.topic}' in {root}. Topics: {known}.",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    findings = [*result.diagnostics, *([] if result.unreadable_files else check(knowledge))]
    errors = sum(1 for finding in findings if finding.severity == Severity.ERROR)
    if errors:
        print(
            f"navigator graph: {root} has {_plural(errors, 'error')}, so the diagram may be "
            "incomplete; run 'navigator validate' to see them.",
            file=sys.stderr,
        )
    sys.stdout.write(render(diagram, arguments.format))
    return EXIT_OK


def schema(arguments: argparse.Namespace, settings: Settings) -> int:
    """Print (or write) the JSON Schema editors use to help content staff as they type."""
    from navigator.kb.jsonschema import schema_text

    text = schema_text()
    out: Path | None = arguments.out
    if out is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as problem:
        print(
            f"navigator schema: cannot write {out}: {problem.strerror or problem}. "
            "Check the folder exists and you may write to it.",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    print(f"navigator schema: wrote {out}", file=sys.stderr)
    return EXIT_OK
