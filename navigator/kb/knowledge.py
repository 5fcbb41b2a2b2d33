"""A loaded knowledge base and the result of loading one, without the loading machinery.

Kept apart from `loader` (which needs pydantic and PyYAML) so that a start
served from the validated-knowledge cache (`navigator/kb/cache.py`) can
unpickle a `LoadResult` importing neither. The types of its contents come
from `navigator/kb/model.py` for the same reason.
"""

from __future__ import annotations

import gc
import os
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from navigator.kb.diagnostics import Diagnostic, Location, Severity, format_field
from navigator.kb.model import (
    Agency,
    Candidate,
    ContentRules,
    Fact,
    Language,
    NeedCategory,
    Node,
    Place,
    Rate,
    Safeguarding,
    Service,
    TaxonomyCrosswalk,
    Text,
    Topic,
    UnitCost,
    UnmetReason,
    Vocabulary,
)

if TYPE_CHECKING:
    from navigator.kb.yamlsource import PathKey, YamlDocument

UNREADABLE_CODES = frozenset({"unreadable-file", "not-a-mapping", "too-many-errors"})
"""Codes of findings that mean a whole file could not be used."""


IGNORED_FOLDERS = frozenset({"transcripts", "codes"})
"""Top-level folders of a knowledge base that hold other things: scripted conversations, and
shared codes (read by `navigator.kb.codes`, not the loader)."""

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How big a knowledge base may be, checked from the files' sizes before any is parsed.

    The defaults are well above a large council's real content (the demo is
    about 1 MB in 60 files) and well below what would take minutes and
    gigabytes to read. Settings `knowledge_max_file_mb` and `knowledge_max_total_mb`.
    """

    file_bytes: int = 5 * MEGABYTE
    total_bytes: int = 50 * MEGABYTE


@dataclass
class Scan:
    """What a knowledge folder holds: the files to read, and the entries refused, with why."""

    files: list[Path] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)
    total_bytes: int = 0


def yaml_files(root: Path) -> list[Path]:
    """Every knowledge file under `root` that may be read, in a stable order (see `scan`)."""
    return scan(root).files


def scan(root: Path, limits: Limits | None = None) -> Scan:
    """Find the knowledge files under `root`, refusing by name whatever must not be read.

    Only regular files named `*.yaml` are read. Links are followed only to
    places inside `root`; a link that leads nowhere, round in a loop, or
    outside, and anything named `*.yaml` that is not a regular file (a named
    pipe, a device), is refused with its name and why, never skipped in
    silence: reading `/dev/zero` or a pipe would never end. Hidden entries and
    the top-level `transcripts/` folder are skipped. A folder that cannot be
    read raises `KnowledgeBaseUnreadable` naming it (guessing on without it
    would give hundreds of misleading errors about what it holds). So do
    files that come to more than `limits.total_bytes` in all; a file over
    `limits.file_bytes` is refused by name.
    """
    limits = limits or Limits()
    found = Scan()
    _walk(root, root.resolve(), found, set(), limits, top=True)
    found.files.sort()
    if found.total_bytes > limits.total_bytes:
        raise KnowledgeBaseUnreadable(
            f"{root}: the knowledge files come to {found.total_bytes / MEGABYTE:.1f} MB in all; "
            f"a knowledge base may be at most {limits.total_bytes / MEGABYTE:g} MB "
            "(setting knowledge_max_total_mb). Remove files that are not knowledge, or "
            "raise the limit."
        )
    return found


def _walk(
    folder: Path, inside: Path, found: Scan, seen: set[tuple[int, int]], limits: Limits, top: bool
) -> None:
    try:
        status = folder.stat()
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as problem:
        raise KnowledgeBaseUnreadable(
            f"{folder}: this folder cannot be read ({problem.strerror}), so the knowledge "
            "base is incomplete. Let the user Navigator runs as read it (for example "
            f"chmod -R u+rX {folder}), then try again."
        ) from None
    seen.add((status.st_dev, status.st_ino))
    for entry in entries:
        if entry.name.startswith(".") or (top and entry.name in IGNORED_FOLDERS):
            continue
        _entry(Path(entry.path), entry, inside, found, seen, limits)


def _entry(
    path: Path,
    entry: os.DirEntry[str],
    inside: Path,
    found: Scan,
    seen: set[tuple[int, int]],
    limits: Limits,
) -> None:
    is_yaml = entry.name.endswith(".yaml")
    if entry.is_symlink():
        problem = _link_problem(path, inside)
        if problem is not None:
            if is_yaml or _points_at_folder(path):
                found.refused.append((path, problem))
            return
    try:
        status = path.stat()
    except OSError as problem:
        if is_yaml:
            found.refused.append((path, f"it cannot be read ({problem.strerror})"))
        return
    if stat.S_ISDIR(status.st_mode):
        if (status.st_dev, status.st_ino) in seen:
            found.refused.append((path, "it leads back to a folder already read (a loop)"))
            return
        _walk(path, inside, found, seen, limits, top=False)
    elif is_yaml and not stat.S_ISREG(status.st_mode):
        found.refused.append((path, f"it is {_kind(status.st_mode)}, not a file; remove it"))
    elif is_yaml and status.st_size > limits.file_bytes:
        found.refused.append(
            (
                path,
                f"the file is {status.st_size / MEGABYTE:.1f} MB; a knowledge file may be at "
                f"most {limits.file_bytes / MEGABYTE:g} MB (setting knowledge_max_file_mb). "
                "Split it into smaller files.",
            )
        )
    elif is_yaml:
        found.files.append(path)
        found.total_bytes += status.st_size


def _link_problem(path: Path, inside: Path) -> str | None:
    """Why the link at `path` must not be followed, or None when it stays inside the folder."""
    try:
        target = Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        return f"it is a link to {str(path.readlink())!r}, which does not exist"
    except OSError as problem:
        return f"it is a link that cannot be followed ({problem.strerror}): a loop?"
    if not target.is_relative_to(inside):
        return (
            f"it is a link to {target}, outside the knowledge folder; only files inside "
            "it are read. Copy the file in instead."
        )
    return None


def _points_at_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a folder" if stat.S_ISDIR(mode) else "not a regular file"


def _default_content_rules() -> ContentRules:
    from navigator.kb.schema import ContentRules as Rules  # only when building, never unpickling

    return Rules()


def _default_vocabulary() -> Vocabulary:
    from navigator.kb.schema import Vocabulary as Words

    return Words()


class KnowledgeBaseUnreadable(Exception):
    """There is no knowledge base to read at all (missing directory, no YAML files)."""


class Encoded(Protocol):
    """A section of a knowledge base kept encoded until it is first read (see `KnowledgeBase`)."""

    def decode(self) -> object: ...


_DECODING = threading.Lock()
"""One section decoded at a time, so two threads reading it first get the same objects."""


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
    rates: dict[str, Rate] = field(default_factory=dict)
    """Amounts, limits and ages with the dates they hold (`navigator/kb/rates.py`)."""
    unit_costs: dict[str, UnitCost] = field(default_factory=dict)
    """What later events cost the agency that carries them (knowledge/unit-costs.yaml)."""
    safeguarding: Safeguarding | None = None
    messages: dict[str, Text] = field(default_factory=dict)
    languages: dict[str, Language] = field(default_factory=dict)
    """Languages residents may write in, by ISO 639-1 code (`knowledge/messages/languages.yaml`)."""
    candidates: dict[str, Candidate] = field(default_factory=dict)
    """Services imported from feeds for review (oruk-in): checked, never in a conversation."""
    taxonomy_crosswalk: list[TaxonomyCrosswalk] = field(default_factory=list)
    """Other directories' taxonomy terms and the needs they mean, for imports."""
    content_rules: ContentRules = field(default_factory=_default_content_rules)
    vocabulary: Vocabulary = field(default_factory=_default_vocabulary)
    menu: list[str] | None = None
    """The topic ids in menu order, as written (`knowledge/menu.yaml`); `topics` is already
    in this order, so only the validator reads it."""
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

    if not TYPE_CHECKING:  # hidden from type checkers: a misspelt field stays an error

        def __getattr__(self, name: str) -> object:
            """A section the cache left encoded, decoded the first time it is read.

            The validated-knowledge cache (`navigator/kb/cache.py`) leaves out of
            the instance the sections the first question never reads (services,
            facts, where each entity was written...) and keeps them here encoded,
            so a start does not decode them. Python calls this only for an
            attribute the instance does not have, so a decoded section costs
            nothing more to read.
            """
            with _DECODING:
                if name not in self.__dict__:  # else another thread has just decoded it
                    encoded: dict[str, Encoded] = self.__dict__.get("_encoded") or {}
                    if name not in encoded:
                        raise AttributeError(
                            f"{type(self).__name__!r} object has no attribute {name!r}"
                        )
                    self.__dict__[name] = encoded[name].decode()
                    del encoded[name]  # its bytes are not needed again
            return self.__dict__[name]

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
