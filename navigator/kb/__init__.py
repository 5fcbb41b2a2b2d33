"""The knowledge base: its format, loading with file:line errors, and validation.

This layer knows nothing of the conversation, the database or the screen.
"""

from __future__ import annotations

from pathlib import Path

from navigator.kb.diagnostics import Diagnostic, Location, Severity
from navigator.kb.knowledge import KnowledgeBase, KnowledgeBaseUnreadable, Limits, LoadResult


def load(root: Path | str, limits: Limits | None = None) -> LoadResult:
    """Load and merge every YAML file under `root` (see `navigator.kb.loader.load`).

    Imported on first use: loading needs pydantic and PyYAML, which a start
    served from the knowledge cache never imports.
    """
    from navigator.kb.loader import load as load_files

    return load_files(root, limits)


__all__ = [
    "Diagnostic",
    "KnowledgeBase",
    "KnowledgeBaseUnreadable",
    "Limits",
    "LoadResult",
    "Location",
    "Severity",
    "load",
]
