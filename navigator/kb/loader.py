"""Loading a knowledge base directory into one `KnowledgeBase`.

Every `*.yaml` file under the directory is read (so staff can keep a file per
topic), checked against the schema, and merged. Problems come back as
`Diagnostic`s naming the file, line, column and field; loading never raises
for bad content, only `KnowledgeBaseUnreadable` when there is nothing to read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from navigator.kb.diagnostics import Diagnostic, Location, error, format_field
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
from navigator.kb.yamlsource import PathKey, YamlDocument, YamlReadError, read_yaml

ENTITY_SECTIONS = ("needs", "reasons", "agencies", "facts", "topics", "nodes", "services")
"""Sections whose entries have ids that must be unique across the whole knowledge base."""

SINGLE_SECTIONS = ("place", "safeguarding", "content_rules", "vocabulary")
"""Sections that may be given in one file only."""


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

    def where(self, section: str, entity_id: str) -> Location | None:
        """The file and line where an entity was written, for messages."""
        return self.locations.get((section, entity_id))

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
        return not any(d.severity == "error" for d in self.diagnostics)


def yaml_files(root: Path) -> list[Path]:
    """Every knowledge file under `root`, in a stable order. Hidden folders are skipped."""
    return sorted(
        path
        for path in root.rglob("*.yaml")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts)
    )


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
        raise KnowledgeBaseUnreadable(f"{root}: there are no .yaml files in this folder")

    knowledge = KnowledgeBase(root=root, files=files)
    diagnostics: list[Diagnostic] = []
    for path in files:
        parsed = _parse_file(path, diagnostics)
        if parsed is not None:
            _merge(knowledge, parsed, diagnostics)
    knowledge.content_hash = content_hash(knowledge)
    return LoadResult(knowledge, diagnostics)


@dataclass
class _ParsedFile:
    document: YamlDocument
    content: KnowledgeFile


def _parse_file(path: Path, diagnostics: list[Diagnostic]) -> _ParsedFile | None:
    try:
        document = read_yaml(path)
    except YamlReadError as problem:
        position = problem.position
        location = Location(path, position.line, position.column) if position else Location(path)
        diagnostics.append(error("unreadable-file", problem.message, location))
        return None
    if not isinstance(document.data, dict):
        found = _describe(document.data)
        diagnostics.append(
            error(
                "not-a-mapping",
                f"a knowledge file must be a mapping of sections such as 'topics:' and "
                f"'nodes:', but this file holds {found}",
                _location(document, ()),
            )
        )
        return None
    try:
        return _ParsedFile(document, KnowledgeFile.model_validate(document.data))
    except ValidationError as problems:
        diagnostics.extend(_schema_diagnostics(document, problems))
    salvaged = _salvage(document)
    return _ParsedFile(document, salvaged) if salvaged is not None else None


def _salvage(document: YamlDocument) -> KnowledgeFile | None:
    """Keep the valid entries of a file with errors, so one typo does not hide every other check."""
    data = dict(document.data)
    valid: dict[str, Any] = {}
    for section, value in data.items():
        if section not in KnowledgeFile.model_fields:
            continue
        if isinstance(value, list):
            kept = []
            for entry in value:
                try:
                    KnowledgeFile.model_validate({section: [entry]})
                except ValidationError:
                    continue
                kept.append(entry)
            valid[section] = kept
        else:
            try:
                KnowledgeFile.model_validate({section: value})
            except ValidationError:
                continue
            valid[section] = value
    try:
        return KnowledgeFile.model_validate(valid)
    except ValidationError:
        return None


def _schema_diagnostics(document: YamlDocument, problems: ValidationError) -> Iterator[Diagnostic]:
    for problem in problems.errors():
        path = _data_path(document.data, problem["loc"])
        found = _describe(problem.get("input"))
        message = _explain(problem["type"], problem["msg"], path)
        if problem["type"] not in {"missing"}:
            message += f" (found {found})"
        yield error("schema", message, _location(document, path), format_field(path))


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
            if stripped in current:
                path.append(stripped)
                current = current[stripped]
        elif isinstance(current, dict) and isinstance(part, str) and not _is_tag(part):
            path.append(part)  # a missing field: point at the mapping that should hold it
            current = None
    return tuple(path)


def _has(container: Any, part: str | int) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(container, list) and isinstance(part, int) and 0 <= part < len(container)


def _is_tag(part: str) -> bool:
    return part[:1].isupper() or part in {"question", "info", "outcome", "unmet"}


def _explain(kind: str, message: str, path: PathKey) -> str:
    name = str(path[-1]) if path and isinstance(path[-1], str) else "this entry"
    if kind == "missing":
        return f"'{name}' is required here but missing"
    if kind == "extra_forbidden":
        return f"'{name}' is not a field this entry can have; check the spelling"
    if kind == "union_tag_invalid":
        return "'type' must be one of question, info, outcome or unmet"
    if kind == "union_tag_not_found":
        return "this node needs a 'type': question, info, outcome or unmet"
    message = message.removeprefix("Value error, ")
    return f"'{name}': {message}"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return f"{type(value).__name__} {text[:60]}{'...' if len(text) > 60 else ''}"


def _location(document: YamlDocument, path: PathKey) -> Location:
    position = document.position_of(path)
    if position is None:
        return Location(document.path)
    return Location(document.path, position.line, position.column)


def _merge(knowledge: KnowledgeBase, parsed: _ParsedFile, diagnostics: list[Diagnostic]) -> None:
    content = parsed.content
    document = parsed.document
    for section in ENTITY_SECTIONS:
        target: dict[str, Any] = getattr(knowledge, section)
        for index, entity in enumerate(getattr(content, section)):
            location = _location(document, (section, index))
            earlier = knowledge.locations.get((section, entity.id))
            if entity.id in target:
                diagnostics.append(
                    error(
                        "duplicate-id",
                        f"{section[:-1]} id '{entity.id}' is used twice; it was first "
                        f"defined at {earlier}. Give one of them another id.",
                        location,
                        format_field((section, index, "id")),
                    )
                )
                continue
            target[entity.id] = entity
            knowledge.locations[(section, entity.id)] = location
    for key, text in content.messages.items():
        if key in knowledge.messages:
            diagnostics.append(
                error(
                    "duplicate-id",
                    f"message '{key}' is given in more than one file; keep one",
                    _location(document, ("messages", key)),
                )
            )
        knowledge.messages[key] = text
    for single in SINGLE_SECTIONS:
        value = getattr(content, single)
        if value is None:
            continue
        if (single, "") in knowledge.locations:
            diagnostics.append(
                error(
                    "duplicate-section",
                    f"'{single}' is given in more than one file; it was first given at "
                    f"{knowledge.locations[(single, '')]}. Keep one.",
                    _location(document, (single,)),
                )
            )
            continue
        setattr(knowledge, single, value)
        knowledge.locations[(single, "")] = _location(document, (single,))


def content_hash(knowledge: KnowledgeBase) -> str:
    """A SHA-256 of the merged content, independent of file names, order, comments and layout."""
    canonical: dict[str, Any] = {}
    for section in ENTITY_SECTIONS:
        entities: dict[str, Any] = getattr(knowledge, section)
        canonical[section] = {
            key: entity.model_dump(mode="json", by_alias=True)
            for key, entity in sorted(entities.items())
        }
    canonical["messages"] = {
        key: knowledge.messages[key].translations for key in sorted(knowledge.messages)
    }
    for single in SINGLE_SECTIONS:
        value = getattr(knowledge, single)
        canonical[single] = value.model_dump(mode="json", by_alias=True) if value else None
    encoded = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:16]
