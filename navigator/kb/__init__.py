"""The knowledge base: its format, loading with file:line errors, and validation.

This layer knows nothing of the conversation, the database or the screen.
"""

from navigator.kb.diagnostics import Diagnostic, Location, Severity
from navigator.kb.loader import KnowledgeBase, KnowledgeBaseUnreadable, LoadResult, load

__all__ = [
    "Diagnostic",
    "KnowledgeBase",
    "KnowledgeBaseUnreadable",
    "LoadResult",
    "Location",
    "Severity",
    "load",
]
