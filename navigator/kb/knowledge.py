"""A loaded knowledge base and the result of loading one, without the loading machinery.

Kept apart from `loader` (which needs pydantic and PyYAML) so that a start
served from the validated-knowledge cache (`navigator/kb/cache.py`) can
unpickle a `LoadResult` importing neither. The types of its contents come
from `navigator/kb/model.py` for the same reason.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from navigator.kb.diagnostics import Diagnostic, Location, Severity, format_field
from navigator.kb.model import (
    Agency,
    ContentRules,
    Fact,
    NeedCategory,
    Node,
    Place,
    Safeguarding,
    Service,
    Text,
    Topic,
    UnmetReason,
    Vocabulary,
)

if TYPE_CHECKING:
    from navigator.kb.yamlsource import PathKey, YamlDocument

UNREADABLE_CODES = frozenset({"unreadable-file", "not-a-mapping"})
"""Codes of findings that mean a whole file could not be used."""


IGNORED_FOLDERS = frozenset({"transcripts"})
"""Top-level folders of a knowledge base that hold other things (scripted conversations)."""


def yaml_files(root: Path) -> list[Path]:
    """Every knowledge file under `root`, in a stable order.

    Hidden folders and the top-level `transcripts/` folder are skipped.
    """
    found = []
    for path in root.rglob("*.yaml"):
        parts = path.relative_to(root).parts
        if any(part.startswith(".") for part in parts):
            continue
        if len(parts) > 1 and parts[0] in IGNORED_FOLDERS:
            continue
        if path.is_file():
            found.append(path)
    return sorted(found)


def _default_content_rules() -> ContentRules:
    from navigator.kb.schema import ContentRules as Rules  # only when building, never unpickling

    return Rules()


def _default_vocabulary() -> Vocabulary:
    from navigator.kb.schema import Vocabulary as Words

    return Words()


class KnowledgeBaseUnreadable(Exception):
    """There is no knowledge base to read at all (missing directory, no YAML files)."""


@dataclass
class KnowledgeBase:
    """The whole knowledge base, merged from its files, ready for the engine."""

    root: Path
    place: Place | None = None
    needs: dict[str, NeedCategory] = field(default_factory=dict)
    reasons: dict[str, UnmetReason] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    safeguarding: Safeguarding | None = None
    messages: dict[str, Text] = field(default_factory=dict)
    content_rules: ContentRules = field(default_factory=_default_content_rules)
    vocabulary: Vocabulary = field(default_factory=_default_vocabulary)
    content_hash: str = ""
    """A hash of the content, independent of file order and layout, stored with every record."""
    locations: dict[tuple[str, str], Location] = field(default_factory=dict)
    """Where each entity was defined: `("nodes", "carers-start") -> file:line`."""
    files: list[Path] = field(default_factory=list)
    sources: dict[tuple[str, str], tuple[YamlDocument, PathKey]] = field(
        default_factory=dict, repr=False
    )
    """The document and path of each entity, for positions of the fields inside it.

    Single sections such as `safeguarding` are keyed `("safeguarding", "")`, and
    messages `("messages", key)`."""
    skipped: set[tuple[str, str]] = field(default_factory=set)
    """Entities left out because of schema errors: `("nodes", "carers-start")`.

    The validator treats references to these as known, so one typo gives one
    error rather than one for every node that leads to the broken one."""

    from_cache: bool = False
    """Read from the app's cache, which keeps each entity's line but not each field's
    position (`sources`): fine for running conversations, not for checking content."""

    def where(self, section: str, entity_id: str, *inner: str | int) -> Location | None:
        """Where an entity, or a field inside it, was written: for messages.

        `where("nodes", "carers-start", "options", 1, "next")` points at the
        line that says `next:` in the second option; a field that is not
        written (a default) falls back to the nearest enclosing one.
        """
        if inner:
            source = self.sources.get((section, entity_id))
            if source is not None:
                document, prefix = source
                position = document.position_of((*prefix, *inner))
                if position is not None:
                    return Location(document.path, position.line, position.column)
        return self.locations.get((section, entity_id))

    def field_of(self, section: str, entity_id: str, *inner: str | int) -> str | None:
        """The dotted path of a field as written in its file: `nodes[3].options[1].next`."""
        source = self.sources.get((section, entity_id))
        if source is None:
            return format_field((section, *inner)) if section else None
        return format_field((*source[1], *inner))

    def message(self, key: str, language: str = "en") -> str:
        """A resident-facing message from `messages`, in `language` where there is one."""
        text = self.messages.get(key)
        return text.get(language) if text is not None else key

    def topic_of_node(self) -> dict[str, str]:
        """Which topic each node belongs to, by walking from each topic's start node."""
        from navigator.kb.graph import reachable_from  # local: graph imports this module

        owners: dict[str, str] = {}
        for topic in self.topics.values():
            for node_id in reachable_from(self, topic.start):
                owners.setdefault(node_id, topic.id)
        return owners


@dataclass
class LoadResult:
    knowledge: KnowledgeBase
    diagnostics: list[Diagnostic]
    checked: bool = False
    """Whether `diagnostics` include the validator's findings (`navigator.kb.validate`),
    not only what loading found. A start must not trust a result that was never checked."""

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.ERROR]

    @property
    def ok(self) -> bool:
        return not any(d.severity == Severity.ERROR for d in self.diagnostics)

    @property
    def unreadable_files(self) -> list[Path]:
        """Files that could not be used at all (not YAML, not a mapping, too big...)."""
        return [
            d.location.file
            for d in self.diagnostics
            if d.code in UNREADABLE_CODES and d.location is not None
        ]

    @property
    def nothing_readable(self) -> bool:
        """True when not one file could be read: the input "cannot be read at all"."""
        return len(set(self.unreadable_files)) >= len(self.knowledge.files)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Loading creates hundreds of thousands of dicts and models and no reference
    cycles; the collector's repeated passes over them cost a quarter of the
    load time. Restores the previous state, so nesting and threads are safe.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
