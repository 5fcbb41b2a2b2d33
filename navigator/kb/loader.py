"""Loading a knowledge base directory into one `KnowledgeBase`.

Every `*.yaml` file under the directory is read (so staff can keep a file per
topic), checked against the schema, and merged. Problems come back as
`Diagnostic`s naming the file, line, column and field; loading never raises
for bad content, only `KnowledgeBaseUnreadable` when there is nothing to read.

The `transcripts/` folder holds scripted conversations for tests, not
knowledge, so it is skipped, as are hidden folders.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from navigator.kb.diagnostics import Diagnostic, Location, Severity, error, format_field
from navigator.kb.schema import (
    Agency,
    ContentRules,
    Fact,
    KnowledgeFile,
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
from navigator.kb.schema_errors import INTERNAL_PARTS, describe, explain
from navigator.kb.yamlsource import PathKey, YamlDocument, YamlReadError, read_yaml

ENTITY_SECTIONS = ("needs", "reasons", "agencies", "facts", "topics", "nodes", "services")
"""Sections whose entries have ids that must be unique across the whole knowledge base."""

SINGLE_SECTIONS = ("place", "safeguarding", "content_rules", "vocabulary")
"""Sections that may be given in one file only."""

IGNORED_FOLDERS = frozenset({"transcripts"})
"""Top-level folders of a knowledge base that hold other things (scripted conversations)."""

UNREADABLE_CODES = frozenset({"unreadable-file", "not-a-mapping"})
"""Codes of findings that mean a whole file could not be used."""


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
    content_rules: ContentRules = field(default_factory=ContentRules)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
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


def load(root: Path | str) -> LoadResult:
    """Load and merge every YAML file under `root`. Raises only when nothing can be read."""
    root = Path(root)
    if not root.exists():
        raise KnowledgeBaseUnreadable(f"{root}: there is no such folder")
    if not root.is_dir():
        raise KnowledgeBaseUnreadable(f"{root}: this is a file; give the knowledge base folder")
    try:
        files = yaml_files(root)
    except OSError as problem:
        raise KnowledgeBaseUnreadable(f"{root}: cannot be read ({problem.strerror})") from None
    if not files:
        raise KnowledgeBaseUnreadable(
            f"{root}: there are no .yaml files in this folder; give the knowledge base folder"
        )

    knowledge = KnowledgeBase(root=root, files=files)
    diagnostics: list[Diagnostic] = []
    with gc_paused():
        for path in files:
            parsed = _parse_file(path, diagnostics)
            if parsed is not None:
                _merge(knowledge, parsed, diagnostics)
        knowledge.content_hash = content_hash(knowledge)
    return LoadResult(knowledge, diagnostics)


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


@dataclass
class _ParsedFile:
    document: YamlDocument
    content: KnowledgeFile
    kept: dict[str, list[int]] = field(default_factory=dict)
    """For a file with schema errors: the index in the file of each entry kept, by section."""
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def index_in_file(self, section: str, index: int) -> int:
        kept = self.kept.get(section)
        return kept[index] if kept is not None else index


def _parse_file(path: Path, diagnostics: list[Diagnostic]) -> _ParsedFile | None:
    try:
        document = read_yaml(path)
    except YamlReadError as problem:
        position = problem.position
        location = Location(path, position.line, position.column) if position else Location(path)
        diagnostics.append(error("unreadable-file", problem.message, location))
        return None
    if not isinstance(document.data, dict):
        diagnostics.append(
            error(
                "not-a-mapping",
                "a knowledge file must be a mapping of sections such as 'topics:' and "
                f"'nodes:', but this file holds {describe(document.data)}. Start each "
                "section at the beginning of a line, for example 'nodes:'.",
                _location(document, ()),
            )
        )
        return None
    try:
        return _ParsedFile(document, KnowledgeFile.model_validate(document.data))
    except ValidationError as problems:
        diagnostics.extend(_schema_diagnostics(document, problems))
    return _salvage(document)


def _salvage(document: YamlDocument) -> _ParsedFile | None:
    """Keep the valid entries of a file with errors, so one typo does not hide every other check."""
    valid: dict[str, Any] = {}
    kept: dict[str, list[int]] = {}
    skipped: list[tuple[str, str]] = []
    for section, value in document.data.items():
        if section not in KnowledgeFile.model_fields:
            continue
        if isinstance(value, list) and section in ENTITY_SECTIONS:
            entries, indices = [], []
            for index, entry in enumerate(value):
                try:
                    KnowledgeFile.model_validate({section: [entry]})
                except ValidationError:
                    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                        skipped.append((section, entry["id"]))
                    continue
                entries.append(entry)
                indices.append(index)
            valid[section], kept[section] = entries, indices
        else:
            try:
                KnowledgeFile.model_validate({section: value})
            except ValidationError:
                continue
            valid[section] = value
    try:
        content = KnowledgeFile.model_validate(valid)
    except ValidationError:  # pragma: no cover - each part was valid on its own
        return None
    return _ParsedFile(document, content, kept, skipped)


def _schema_diagnostics(document: YamlDocument, problems: ValidationError) -> Iterator[Diagnostic]:
    found = [(problem, _data_path(document.data, problem["loc"])) for problem in problems.errors()]
    misspelt = {
        (path[:-1], str(path[-1]))
        for problem, path in found
        if problem["type"] == "extra_forbidden" and path
    }
    for problem, path in found:
        if problem["type"] == "missing" and _explained_by_misspelling(path, misspelt):
            continue  # "'nxt' is not a field (did you mean 'next'?)" says it already
        yield error("schema", explain(problem, path), _location(document, path), format_field(path))


def _explained_by_misspelling(path: PathKey, misspelt: set[tuple[PathKey, str]]) -> bool:
    """Whether a missing field has a near-spelling given beside it, reported on its own."""
    if not path:
        return False
    parent, name = path[:-1], str(path[-1])
    candidates = [extra for where, extra in misspelt if where == parent]
    return bool(difflib.get_close_matches(name, candidates, n=1, cutoff=0.6))


def _data_path(data: Any, loc: Iterable[str | int]) -> PathKey:
    """Map a pydantic error location onto the YAML path, skipping union tags like 'question'."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if _has(current, part):
            path.append(part)
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and part.rstrip("_") != part:
            stripped = part.rstrip("_")
            path.append(stripped)
            current = current.get(stripped)
        elif isinstance(part, str) and (_is_tag(part) or part in INTERNAL_PARTS):
            continue
        elif isinstance(current, dict) and isinstance(part, str):
            path.append(part)  # a missing field: point at the mapping that should hold it
            current = None
    return tuple(path)


def _has(container: Any, part: str | int) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(container, list) and isinstance(part, int) and 0 <= part < len(container)


def _is_tag(part: str) -> bool:
    return part[:1].isupper() or part in {"question", "info", "outcome", "unmet"}


def _location(document: YamlDocument, path: PathKey) -> Location:
    position = document.position_of(path)
    if position is None:
        return Location(document.path)
    return Location(document.path, position.line, position.column)


def _merge(knowledge: KnowledgeBase, parsed: _ParsedFile, diagnostics: list[Diagnostic]) -> None:
    content = parsed.content
    document = parsed.document
    knowledge.skipped.update(parsed.skipped)
    for section in ENTITY_SECTIONS:
        target: dict[str, Any] = getattr(knowledge, section)
        for index, entity in enumerate(getattr(content, section)):
            prefix = (section, parsed.index_in_file(section, index))
            location = _location(document, prefix)
            key = (section, entity.id)
            if entity.id in target:
                diagnostics.append(
                    error(
                        "duplicate-id",
                        f"{_singular(section)} id '{entity.id}' is used twice; it was first "
                        f"given at {knowledge.locations[key]}. Give one of them another id.",
                        _location(document, (*prefix, "id")),
                        format_field((*prefix, "id")),
                    )
                )
                continue
            target[entity.id] = entity
            knowledge.locations[key] = location
            knowledge.sources[key] = (document, prefix)
    for message_key, text in content.messages.items():
        key = ("messages", message_key)
        location = _location(document, key)
        if message_key in knowledge.messages:
            diagnostics.append(
                error(
                    "duplicate-id",
                    f"message '{message_key}' is given twice; it was first given at "
                    f"{knowledge.locations[key]}. Keep one.",
                    location,
                    format_field(key),
                )
            )
            continue
        knowledge.messages[message_key] = text
        knowledge.locations[key] = location
        knowledge.sources[key] = (document, key)
    for single in SINGLE_SECTIONS:
        value = getattr(content, single)
        if value is None:
            continue
        key = (single, "")
        if key in knowledge.locations:
            diagnostics.append(
                error(
                    "duplicate-section",
                    f"'{single}' is given in more than one file; it was first given at "
                    f"{knowledge.locations[key]}. Keep one.",
                    _location(document, (single,)),
                    single,
                )
            )
            continue
        setattr(knowledge, single, value)
        knowledge.locations[key] = _location(document, (single,))
        knowledge.sources[key] = (document, (single,))


def _singular(section: str) -> str:
    return {"agencies": "agency", "needs": "need category"}.get(section, section[:-1])


def content_hash(knowledge: KnowledgeBase) -> str:
    """A SHA-256 of the merged content, independent of file names, order, comments and layout.

    It hashes the values as written in YAML (not the models), so it is cheap,
    and it changes only when the content does, not when Navigator's code does.
    """
    canonical: dict[str, dict[str, Any]] = {
        section: {} for section in (*ENTITY_SECTIONS, *SINGLE_SECTIONS, "messages")
    }
    for (section, entity_id), (document, path) in knowledge.sources.items():
        canonical[section][entity_id] = _raw(document, path)
    encoded = json.dumps(
        canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_value
    )
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:16]


def _raw(document: YamlDocument, path: PathKey) -> Any:
    value = document.data
    for part in path:
        value = value[part]
    return value


def _json_value(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value)
