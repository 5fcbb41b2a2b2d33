"""The YAML parser behind `navigator.kb.yamlsource.read_yaml` (see that module for why).

Kept apart so that importing the knowledge format, or unpickling a cached
knowledge base, does not import PyYAML; only reading a file does.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.resolver import Resolver

from navigator.kb.diagnostics import character_name, shown
from navigator.kb.yamlsource import (
    MAX_DEPTH,
    MAX_ENTRIES_PER_BLOCK,
    MAX_FILE_BYTES,
    MAX_VALUES_PER_FILE,
    PathKey,
    Position,
    YamlDocument,
    YamlReadError,
    _Mark,
    _pack,
    _position,
    _unpack,
)

try:  # libyaml's parser is ~10x faster; fall back to pure Python where it is missing.
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

_YAML = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = f"{_YAML}str", f"{_YAML}map", f"{_YAML}seq"
_SCALAR_TAGS = frozenset(
    f"{_YAML}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_IMPLICIT = Resolver.yaml_implicit_resolvers
_RESOLVED_FIRST = frozenset(key for key in _IMPLICIT if key)
"""First characters after which a plain scalar may be something other than text."""
_WORDS: dict[str, tuple[bool | None]] = {
    **dict.fromkeys(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), (True,)),
    **dict.fromkeys(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), (False,)),
    **dict.fromkeys(("null", "Null", "NULL"), (None,)),
}
"""The plain words YAML 1.1 (and so PyYAML's safe loader) reads as yes/no or null."""
_MERGE = object()
"""Stands in for the key `<<` (YAML merge), which copies another mapping's keys."""


def parse_yaml(path: Path, max_bytes: int = MAX_FILE_BYTES) -> YamlDocument:
    """Read one YAML file safely, or raise `YamlReadError` saying what is wrong and where."""
    text = _decode(path, _read_bytes(path, max_bytes))
    document = YamlDocument(path=path, data=None)
    parser = _Parser(text)
    try:
        document.data = _Builder(path, document.marks).build(parser)
    except yaml.MarkedYAMLError as problem:
        raise _marked_error(path, text, problem) from None
    except yaml.reader.ReaderError as problem:
        raise _reader_error(path, text, problem) from None
    except yaml.YAMLError as problem:
        raise YamlReadError(path, f"this is not valid YAML: {problem}") from None
    finally:
        parser.dispose()
    return document


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, if it is a regular file within the limit (checked on the open file).

    Opened without blocking, so a named pipe put in a file's place after the
    folder was scanned is refused rather than waited on for ever.
    """
    limit_mb = f"{max_bytes / 1024 / 1024:g}"
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as stream:
            status = os.fstat(stream.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise YamlReadError(path, "this is not a regular file, so it is not read")
            if status.st_size > max_bytes:
                raise YamlReadError(
                    path,
                    f"the file is {status.st_size / 1024 / 1024:.1f} MB; a knowledge file may "
                    f"be at most {limit_mb} MB. Split it into smaller files.",
                )
            raw = stream.read(max_bytes + 1)  # read no more than the limit, even if it grew
    except OSError as problem:
        reason = problem.strerror or str(problem)
        raise YamlReadError(path, f"the file cannot be read: {reason}") from None
    if len(raw) > max_bytes:
        raise YamlReadError(
            path, "the file grew past the size limit while it was being read. Try again."
        )
    return raw


_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
"""Byte-order marks, longest first: UTF-32's little-endian mark begins with UTF-16's."""

_NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters YAML does not allow in a file (control characters such as ESC)."""


def _wide_encoding(raw: bytes) -> str | None:
    """UTF-16 or UTF-32, told by its byte-order mark or, without one, by where the NULs fall."""
    for mark, name in _BOMS:
        if raw.startswith(mark):
            return name
    head = raw[:4]
    if len(head) == 4 and head[0] and not any(head[1:]):
        return "UTF-32"  # "a\0\0\0": little-endian
    if len(head) == 4 and not any(head[:3]) and head[3]:
        return "UTF-32"
    if len(head) == 4 and (
        (head[0] and not head[1] and head[2] and not head[3])
        or (not head[0] and head[1] and not head[2] and head[3])
    ):
        return "UTF-16"
    return None


def _decode(path: Path, raw: bytes) -> str:
    encoding = _wide_encoding(raw)
    if encoding is not None:
        raise YamlReadError(
            path,
            f"the file is saved as {encoding}. Save it as UTF-8 in your editor "
            "(in Notepad: Save as, Encoding: UTF-8).",
            Position(1, 1),
        )
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise YamlReadError(
            path,
            "this looks like a binary file, not text. Knowledge files must be YAML text "
            "saved as UTF-8; remove this file or save it again from a text editor.",
            Position(line, 1),
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as problem:
        before = raw[: problem.start]
        line = before.count(b"\n") + 1
        column = problem.start - (before.rfind(b"\n") + 1) + 1
        raise YamlReadError(
            path,
            f"the file is not UTF-8 text (byte 0x{raw[problem.start]:02x} cannot be read). "
            "Save it as UTF-8 in your editor.",
            Position(line, column),
        ) from None
    text = text.removeprefix("\ufeff")
    _refuse_control_characters(path, text)
    return text


def _refuse_control_characters(path: Path, text: str) -> None:
    """Name the first character YAML does not allow, with its line and column."""
    found = _NOT_YAML.search(text)
    if found is None:
        return
    before = text[: found.start()]
    line = before.count("\n") + 1
    column = found.start() - (before.rfind("\n") + 1) + 1
    raise YamlReadError(
        path,
        f"the file holds the character {character_name(found.group())}, which a knowledge "
        "file may not contain (it is often pasted in from another program). Delete it.",
        Position(line, column),
    )


def _reader_error(path: Path, text: str, problem: yaml.reader.ReaderError) -> YamlReadError:
    """PyYAML's reader errors give a character offset, not a line: work the line out."""
    offset = max(0, min(problem.position, len(text)))
    before = text[:offset]
    line = before.count("\n") + 1
    column = offset - (before.rfind("\n") + 1) + 1
    return YamlReadError(path, f"this is not valid YAML: {problem.reason}", Position(line, column))


def _marked_error(path: Path, text: str, problem: yaml.MarkedYAMLError) -> YamlReadError:
    mark = problem.problem_mark or problem.context_mark
    message = problem.problem or "this is not valid YAML"
    if mark is not None and _has_tab_near(text, mark.line):
        message += "; YAML does not allow tabs for indentation: use spaces"
    position = _position(mark) if mark is not None else None
    return YamlReadError(path, f"this is not valid YAML: {message}", position)


def _has_tab_near(text: str, line: int) -> bool:
    """Whether the line a parser error points at (or the one before) is indented with a tab."""
    lines = text.splitlines()
    nearby = lines[max(line - 1, 0) : line + 1]
    return any("\t" in row[: len(row) - len(row.lstrip())] for row in nearby)


@dataclass(slots=True)
class _Frame:
    """A mapping or list being built."""

    container: dict[str, Any] | list[Any]
    path: PathKey
    anchor: str | None
    count_at_start: int
    key: str | object | None = None
    """In a mapping: the key whose value comes next (None when a key comes next)."""
    merges: list[tuple[Any, int]] | None = None
    """Values given after `<<` (YAML merge), with the packed position of the mapping.

    Made only when a mapping has one: most never do."""


class _Builder:
    """Turns the parser's events into Python values, recording positions and counting size."""

    def __init__(self, path: Path, marks: dict[PathKey, int]) -> None:
        self.path = path
        self.marks = marks
        self.count = 0
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.stack: list[_Frame] = []
        self.constructor = SafeConstructor()

    def build(self, parser: Any) -> Any:
        """Consume every event of one document; return its value.

        Scalars are most of the events, so their common case (a plain string
        value in a mapping or list) is handled inline; everything else goes
        through the methods below.
        """
        documents = 0
        root: Any = None
        stack = self.stack
        marks = self.marks
        scalar_event = yaml.ScalarEvent
        mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is scalar_event:
                if not stack:
                    root = self._attach(self._scalar(event), event.start_mark, root)
                    self._count(1, event.start_mark)
                    continue
                parent = stack[-1]
                container = parent.container
                key = parent.key
                if key is None and type(container) is dict:
                    name = event.value
                    if (
                        event.tag is None
                        and name != "<<"
                        and name not in container
                        and len(container) < MAX_ENTRIES_PER_BLOCK
                    ):
                        mark = event.start_mark
                        marks[(*parent.path, name)] = mark.line << 24 | mark.column  # _pack
                        parent.key = name
                    else:
                        self._key(parent, event)  # merge keys, tags, and repeated keys
                    continue
                if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                    root = self._scalar_event(event, root)
                    continue
                value = event.value
                if event.implicit[0] and value[:1] in _RESOLVED_FIRST:
                    value = self._plain(value, event)
                self.count += 1
                if self.count > MAX_VALUES_PER_FILE:
                    self._count(0, event.start_mark)
                if isinstance(container, list):
                    if len(container) >= MAX_ENTRIES_PER_BLOCK:
                        raise self._too_many(parent)
                    mark = event.start_mark
                    marks[(*parent.path, len(container))] = mark.line << 24 | mark.column
                    container.append(value)
                elif key is _MERGE:
                    self._store(parent, value)
                else:
                    container[key] = value  # type: ignore[index]  # key is a str here
                    parent.key = None
            elif kind is mapping_start or kind is sequence_start:
                new: dict[str, Any] | list[Any] = {} if kind is mapping_start else []
                if (
                    not stack
                    or event.tag is not None
                    or event.anchor is not None
                    or len(stack) >= MAX_DEPTH
                ):
                    self._open(event, new)  # the document, tags, anchors, too deep
                    continue
                parent = stack[-1]
                container = parent.container
                if isinstance(container, list):
                    path = (*parent.path, len(container))
                    mark = event.start_mark
                    marks[path] = mark.line << 24 | mark.column  # _pack
                else:
                    key = parent.key
                    if not isinstance(key, str):  # a block used as a key, or after `<<`
                        self._open(event, new)
                        continue
                    path = (*parent.path, key)
                self.count += 1
                if self.count > MAX_VALUES_PER_FILE:
                    self._count(0, event.start_mark)
                stack.append(_Frame(new, path, None, self.count))
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                frame = stack[-1]
                if len(frame.container) > MAX_ENTRIES_PER_BLOCK:
                    raise self._too_many(frame)
                if frame.merges is not None or frame.anchor is not None or len(stack) == 1:
                    root = self._close(root)  # merges, anchors, and the document itself
                    continue
                stack.pop()
                parent = stack[-1]
                container = parent.container
                if isinstance(container, list):
                    container.append(frame.container)
                elif parent.key is _MERGE:
                    self._store(parent, frame.container)
                else:
                    container[parent.key] = frame.container  # type: ignore[index]
                    parent.key = None
            elif kind is yaml.AliasEvent:
                root = self._alias(event, root)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self._error(
                        "the file holds more than one YAML document (a second '---'). "
                        "Keep one document per file.",
                        event.start_mark,
                    )
            elif kind is yaml.StreamEndEvent or event is None:
                break
        if documents == 0:
            raise YamlReadError(self.path, "the file is empty: add content or delete the file")
        return root

    # --- Each kind of event ---------------------------------------------------------------

    def _scalar_event(self, event: Any, root: Any) -> Any:
        """A scalar value with an anchor or a tag (the uncommon case)."""
        value = self._scalar(event)
        self._count(1, event.start_mark)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        return self._attach(value, event.start_mark, root)

    def _key(self, parent: _Frame, event: Any) -> None:
        """A mapping key: kept as written, so `yes` and `65+` are names, not values."""
        name = event.value
        if len(parent.container) >= MAX_ENTRIES_PER_BLOCK:
            raise self._too_many(parent)
        if event.tag is not None and event.tag not in {_STR, "!"}:
            raise self._error(f"a key cannot carry the tag '{shown(event.tag)}'", event.start_mark)
        if name == "<<" and event.implicit[0]:
            parent.key = _MERGE
            return
        if name in parent.container:
            raise self._error(
                f"'{shown(name)}' is given twice in the same block; keep one", event.start_mark
            )
        self.marks[(*parent.path, name)] = _pack(event.start_mark)
        parent.key = name

    def _open(self, event: Any, container: dict[str, Any] | list[Any]) -> None:
        stack = self.stack
        if stack and stack[-1].key is None and type(stack[-1].container) is dict:
            raise self._error("a key must be a plain word, not a list or a block", event.start_mark)
        allowed = _MAP if isinstance(container, dict) else _SEQ
        if event.tag is not None and event.tag not in {allowed, "!"}:
            raise self._refused_tag(event.tag, event.start_mark)
        if len(stack) >= MAX_DEPTH:
            raise self._error(
                f"the blocks here are nested more than {MAX_DEPTH} levels deep; "
                "a knowledge file never needs that many. Check the indentation.",
                event.start_mark,
            )
        self._count(1, event.start_mark)
        path = self._child_path(event.start_mark)
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        stack.append(_Frame(container, path, event.anchor, self.count))

    def _close(self, root: Any) -> Any:
        frame = self.stack.pop()
        if frame.merges is not None:
            assert isinstance(frame.container, dict)
            self._merge(frame.container, frame.merges)
        if frame.anchor is not None:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (frame.container, self.count - frame.count_at_start + 1)
        if not self.stack:
            return frame.container
        parent = self.stack[-1]
        self._store(parent, frame.container)
        return root

    def _alias(self, event: Any, root: Any) -> Any:
        name = event.anchor
        stack = self.stack
        if stack and stack[-1].key is None and type(stack[-1].container) is dict:
            raise self._error("a key must be a plain word, not an alias", event.start_mark)
        if name in self.open_anchors:
            raise self._error(
                f"the alias *{shown(name)} is used inside the block it names, which would repeat "
                "for ever. Write the content out instead.",
                event.start_mark,
            )
        if name not in self.anchors:
            raise self._error(
                f"the alias *{shown(name)} is used before any '&{shown(name)}' names a value",
                event.start_mark,
            )
        value, size = self.anchors[name]
        self._count(size, event.start_mark)
        return self._attach(value, event.start_mark, root)

    # --- Helpers --------------------------------------------------------------------------

    def _attach(self, value: Any, mark: _Mark, root: Any) -> Any:
        """Put a finished value into the block being built (or make it the document)."""
        if not self.stack:
            self.marks[()] = _pack(mark)
            return value
        parent = self.stack[-1]
        if type(parent.container) is list:
            self.marks[(*parent.path, len(parent.container))] = _pack(mark)
        self._store(parent, value)
        return root

    def _store(self, parent: _Frame, value: Any) -> None:
        container = parent.container
        if type(container) is list:
            container.append(value)
            return
        assert isinstance(container, dict)
        if parent.key is _MERGE:
            if parent.merges is None:
                parent.merges = []
            parent.merges.append((value, self.marks.get(parent.path, 0)))
        else:
            container[parent.key] = value  # type: ignore[index]
        parent.key = None

    def _child_path(self, mark: _Mark) -> PathKey:
        """The path of a block that is starting, recording where it starts."""
        if not self.stack:
            self.marks[()] = _pack(mark)
            return ()
        parent = self.stack[-1]
        if type(parent.container) is list:
            path = (*parent.path, len(parent.container))
            self.marks[path] = _pack(mark)
            return path
        if parent.key is _MERGE:
            return (*parent.path, "<<")
        assert isinstance(parent.key, str)
        return (*parent.path, parent.key)

    def _merge(self, mapping: dict[str, Any], merges: list[tuple[Any, int]]) -> None:
        """Apply `<<: *defaults`: copy keys the mapping does not give itself."""
        for value, mark in merges:
            sources = value if isinstance(value, list) else [value]
            for source in sources:
                if not isinstance(source, dict):
                    raise YamlReadError(
                        self.path, "'<<' must be followed by an alias of a mapping", _unpack(mark)
                    )
                for key, item in source.items():
                    mapping.setdefault(key, item)

    def _scalar(self, event: Any) -> Any:
        value: str = event.value
        tag = event.tag
        if tag is None:
            return self._plain(value, event) if event.implicit[0] else value
        if tag == "!" or tag == _STR:
            return value
        if tag not in _SCALAR_TAGS:
            raise self._refused_tag(tag, event.start_mark)
        return self._construct(tag, value, event)

    def _plain(self, value: str, event: Any) -> Any:
        """An untagged, unquoted scalar: text, or a number, yes/no, null or date."""
        if value[:1].isalpha():  # only yes/no/on/off/true/false and null start with a letter
            word = _WORDS.get(value)
            return value if word is None else word[0]
        tag = _resolve_plain(value)
        if tag not in _SCALAR_TAGS or tag == _STR:
            return value  # includes a stray `<<` or `=` used as a value
        return self._construct(tag, value, event)

    def _construct(self, tag: str, value: str, event: Any) -> Any:
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark)
        try:
            return self.constructor.yaml_constructors[tag](self.constructor, node)
        except (ConstructorError, ValueError) as problem:
            reason = getattr(problem, "problem", None) or str(problem)
            raise self._error(
                f"the value '{shown(value)}' cannot be read as {tag.replace(_YAML, '')}: "
                f"{shown(reason, 200)}",
                event.start_mark,
            ) from None

    def _count(self, size: int, mark: _Mark) -> None:
        self.count += size
        if self.count > MAX_VALUES_PER_FILE:
            raise self._error(
                "the file expands to too much data. It probably repeats anchors and "
                "aliases (& and *) inside each other; write the content out instead.",
                mark,
            )

    def _too_many(self, frame: _Frame) -> YamlReadError:
        """A block with more entries than any knowledge file needs: refused before the schema
        check, which would otherwise explain each of them (minutes and gigabytes)."""
        packed = self.marks.get(frame.path)
        kind = "keys" if isinstance(frame.container, dict) else "items"
        return YamlReadError(
            self.path,
            f"this block has more than {MAX_ENTRIES_PER_BLOCK:,} {kind}; a knowledge file "
            "never needs that many in one block. Check the file is what you meant, or split "
            "it into smaller files.",
            _unpack(packed) if packed is not None else None,
        )

    def _refused_tag(self, tag: str, mark: _Mark) -> YamlReadError:
        written = shown(tag.replace(_YAML, "!!"))
        return self._error(
            f"the tag '{written}' is not allowed. Knowledge files hold only text, numbers, "
            "yes/no, dates, lists and mappings: remove the tag.",
            mark,
        )

    def _error(self, message: str, mark: _Mark) -> YamlReadError:
        return YamlReadError(self.path, message, _position(mark))


def _resolve_plain(value: str) -> str:
    """The tag PyYAML's safe loader gives a plain scalar (YAML 1.1: `yes` is true)."""
    resolvers = _IMPLICIT.get(value[0] if value else "", ())
    for tag, pattern in resolvers:
        if pattern.match(value):
            return str(tag)
    for tag, pattern in _IMPLICIT.get(None, ()):
        if pattern.match(value):
            return str(tag)
    return _STR
