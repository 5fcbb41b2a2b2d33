"""`navigator validate` and `navigator graph`."""

from __future__ import annotations

import argparse
import json
import sys

from navigator.config import Settings
from navigator.kb import KnowledgeBaseUnreadable, Severity, load
from navigator.kb.validate import validate as check


def validate(arguments: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 with warnings only, 1 with errors, 2 when the input cannot be read at all."""
    root = arguments.directory or settings.knowledge
    try:
        result = load(root)
    except KnowledgeBaseUnreadable as problem:
        print(f"navigator validate: {problem}", file=sys.stderr)
        return 2
    findings = [*result.diagnostics]
    if result.ok:
        findings += check(result.knowledge)
    errors = sum(1 for finding in findings if finding.severity == Severity.ERROR)
    warnings = len(findings) - errors
    if arguments.format == "json":
        print(
            json.dumps(
                {
                    "knowledge": str(root),
                    "content_hash": result.knowledge.content_hash,
                    "errors": errors,
                    "warnings": warnings,
                    "findings": [finding.to_json() for finding in findings],
                },
                indent=2,
            )
        )
    else:
        for finding in findings:
            print(finding)
        knowledge = result.knowledge
        print(
            f"{root}: {len(knowledge.files)} files, {len(knowledge.topics)} topics, "
            f"{len(knowledge.nodes)} nodes, {len(knowledge.services)} services; "
            f"{errors} errors, {warnings} warnings (content {knowledge.content_hash})"
        )
    return 1 if errors else 0
