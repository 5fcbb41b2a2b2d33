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
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from navigator.kb.diagnostics import Diagnostic, Location, error, format_field
from navigator.kb.knowledge import (
    KnowledgeBase,
    KnowledgeBaseUnreadable,
    Limits,
    LoadResult,
    gc_paused,
    scan,
)
from navigator.kb.menu import put_in_menu_order
from navigator.kb.schema import KnowledgeFile
from navigator.kb.schema_errors import INTERNAL_PARTS, describe, explain
from navigator.kb.yamlsource import PathKey, YamlDocument, YamlReadError, read_yaml

ENTITY_SECTIONS = (
    "needs",
    "reasons",
    "agencies",
    "facts",
    "topics",
    "nodes",
    "services",
    "rates",
    "languages",
    "unit_costs",
)
"""Sections whose entries have ids that must be unique across the whole knowledge base."""

SECTIONS_HASHED_WHEN_GIVEN = ("rates", "languages", "menu", "unit_costs")
"""Sections added after records began: left out of the content hash while empty."""

SINGLE_SECTIONS = ("place", "safeguarding", "content_rules", "vocabulary", "menu")
"""Sections that may be given in one file only."""

APART_SECTIONS = ("candidates", "taxonomy_crosswalk")
"""Import sections (oruk-in): kept apart from the conversation and out of the content hash,
since reviewing candidates changes nothing a resident sees."""


def load(root: Path | str, limits: Limits | None = None) -> LoadResult:
    """Load and merge every YAML file under `root`. Raises only when nothing can be read.

    What is found is checked (`scan`: only regular files inside the folder,
    sizes within `limits`) before any file is parsed; each entry refused is
    an `unreadable-file` error naming it, so the checks that would follow
    from its absence do not run.
    """
    root = Path(root)
    limits = limits or Limits()
    if not root.exists():
        raise KnowledgeBaseUnreadable(f"{root}: there is no such folder")
    if not root.is_dir():
        raise KnowledgeBaseUnreadable(f"{root}: this is a file; give the knowledge base folder")
    found = scan(root, limits)
    if not found.files and not found.refused:
        raise KnowledgeBaseUnreadable(
            f"{root}: there are no .yaml files in this folder; give the knowledge base folder"
        )

    knowledge = KnowledgeBase(root=root, files=found.files)
    diagnostics: list[Diagnostic] = [
        error("unreadable-file", f"this is not read: {why}", Location(path))
        for path, why in found.refused
    ]
    with gc_paused():
        for path in found.files:
            parsed = _parse_file(path, diagnostics, limits)
            if parsed is not None:
                _merge(knowledge, parsed, diagnostics)
        put_in_menu_order(knowledge)
        knowledge.content_hash = content_hash(knowledge)
    return LoadResult(knowledge, diagnostics)


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


def _parse_file(path: Path, diagnostics: list[Diagnostic], limits: Limits) -> _ParsedFile | None:
    try:
        document = read_yaml(path, limits.file_bytes)
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
        if problems.error_count() > MAX_SCHEMA_FINDINGS_PER_FILE:
            return None  # too broken to salvage entry by entry (and slow to): not used at all
    return _salvage(document)


def _salvage(document: YamlDocument) -> _ParsedFile | None:
    """Keep the valid entries of a file with errors, so one typo does not hide every other check."""
    valid: dict[str, Any] = {}
    kept: dict[str, list[int]] = {}
    skipped: list[tuple[str, str]] = []
    for section, value in document.data.items():
        if section not in KnowledgeFile.model_fields:
            continue
        if isinstance(value, list) and section in (*ENTITY_SECTIONS, *APART_SECTIONS):
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


MAX_SCHEMA_FINDINGS_PER_FILE = 100
"""Schema errors explained per file; the rest are counted. A file with thousands of errors
is the wrong file or badly broken, and explaining each costs time and memory."""


def _schema_diagnostics(document: YamlDocument, problems: ValidationError) -> Iterator[Diagnostic]:
    errors = problems.errors(include_url=False)
    if len(errors) > MAX_SCHEMA_FINDINGS_PER_FILE:
        yield error(
            "too-many-errors",
            f"this file has {len(errors):,} schema errors, so none of it is used; the first "
            f"{MAX_SCHEMA_FINDINGS_PER_FILE} are listed. Check it is the file you meant.",
            Location(document.path),
        )
        errors = errors[:MAX_SCHEMA_FINDINGS_PER_FILE]
    found = [(problem, _data_path(document.data, problem["loc"])) for problem in errors]
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
    _merge_apart(knowledge, parsed, diagnostics)
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


def _merge_apart(
    knowledge: KnowledgeBase, parsed: _ParsedFile, diagnostics: list[Diagnostic]
) -> None:
    """Candidates and crosswalk entries: ids unique among candidates, never mixed with services."""
    document = parsed.document
    for index, candidate in enumerate(parsed.content.candidates):
        prefix = ("candidates", parsed.index_in_file("candidates", index))
        key = ("candidates", candidate.id)
        if candidate.id in knowledge.candidates:
            diagnostics.append(
                error(
                    "duplicate-id",
                    f"candidate id '{candidate.id}' is used twice; it was first given at "
                    f"{knowledge.locations[key]}. Import each feed into its own file.",
                    _location(document, (*prefix, "id")),
                    format_field((*prefix, "id")),
                )
            )
            continue
        knowledge.candidates[candidate.id] = candidate
        knowledge.locations[key] = _location(document, prefix)
        knowledge.sources[key] = (document, prefix)
    for index, entry in enumerate(parsed.content.taxonomy_crosswalk):
        prefix = ("taxonomy_crosswalk", parsed.index_in_file("taxonomy_crosswalk", index))
        key = ("taxonomy_crosswalk", str(len(knowledge.taxonomy_crosswalk)))
        knowledge.taxonomy_crosswalk.append(entry)
        knowledge.locations[key] = _location(document, prefix)
        knowledge.sources[key] = (document, prefix)


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
        if section not in APART_SECTIONS:
            canonical[section][entity_id] = _raw(document, path)
    for later in SECTIONS_HASHED_WHEN_GIVEN:
        if not canonical[later]:
            del canonical[later]  # a knowledge base without them keeps the hash it had
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
