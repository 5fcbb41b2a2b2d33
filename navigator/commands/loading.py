"""Opening the knowledge base for a command, saying plainly what is wrong with it.

Every command that needs the knowledge base goes through here, so a content
error reads the same from `navigator chat` as from `navigator advocate`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from navigator.kb import KnowledgeBase, KnowledgeBaseUnreadable, Severity, load

SHOWN_ERRORS = 10
"""Errors listed before "and N more": enough to start fixing, short enough to read."""


def load_knowledge(root: Path, command: str, *, strict: bool = True) -> KnowledgeBase | None:
    """The knowledge base at `root`, or None after saying on stderr why it cannot be used.

    With `strict`, any error stops the command. Otherwise the command goes on
    with what loaded, after a warning, so that a typo being fixed by content
    staff does not stop an advocate helping someone.
    """
    prefix = f"navigator {command}".strip()
    try:
        result = load(root)
    except KnowledgeBaseUnreadable as problem:
        print(f"{prefix}: {problem}", file=sys.stderr)
        return None
    errors = [finding for finding in result.diagnostics if finding.severity == Severity.ERROR]
    if not errors:
        return result.knowledge
    for finding in errors[:SHOWN_ERRORS]:
        print(finding, file=sys.stderr)
    more = f" (and {len(errors) - SHOWN_ERRORS} more)" if len(errors) > SHOWN_ERRORS else ""
    then = "Fix them, then try again" if strict else "Starting with the rest"
    print(
        f"{prefix}: the knowledge base in {root} has {len(errors)} errors{more}. "
        f"{then}; 'navigator validate {root}' lists them all.",
        file=sys.stderr,
    )
    return None if strict else result.knowledge
