"""Safe YAML reading that remembers where every value came from.

Content staff need errors that say "topics/carers.yaml, line 14, column 7",
so we compose the YAML into nodes (which carry their marks) and build plain
Python values ourselves, recording the position of each path as we go.

Only the safe loader is used (no Python tags), files are size-checked
before parsing, and alias expansion is counted so a "billion laughs" file
fails fast instead of eating the machine's memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml is ~10x faster; fall back to pure Python where it is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 5 * 1024 * 1024
"""A knowledge file larger than this is almost certainly a mistake (or an attack)."""

MAX_VALUES_PER_FILE = 2_000_000
"""How many values a file may expand to, counting each alias use in full."""

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    """A place in a file, counted from 1 as editors show it."""

    line: int
    column: int


@dataclass
class YamlDocument:
    """The Python value of one YAML file and the position of every path in it."""

    path: Path
    data: Any
    positions: dict[PathKey, Position] = field(default_factory=dict)

    def position_of(self, key: PathKey) -> Position | None:
        """The position of `key`, or of the nearest enclosing value that has one."""
        for end in range(len(key), -1, -1):
            found = self.positions.get(key[:end])
            if found is not None:
                return found
        return None


class YamlReadError(Exception):
    """A file that cannot be read as YAML, with a message written for content staff."""

    def __init__(self, path: Path, message: str, position: Position | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.position = position


def read_yaml(path: Path) -> YamlDocument:
    """Read one YAML file safely, or raise `YamlReadError` saying what is wrong and where."""
    raw = _read_bytes(path)
    text = _decode(path, raw)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        raise _marked_error(path, error) from None
    except yaml.YAMLError as error:
        raise YamlReadError(path, f"this is not valid YAML: {error}") from None
    document = YamlDocument(path=path, data=None)
    if node is None:
        raise YamlReadError(path, "the file is empty: add content or delete the file")
    document.data = _Builder(path, document.positions).build(node, ())
    return document


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlReadError(
                path,
                f"the file is {size / 1024 / 1024:.1f} MB; a knowledge file may be at most "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB. Split it into smaller files.",
            )
        return path.read_bytes()
    except OSError as error:
        raise YamlReadError(path, f"the file cannot be read: {error.strerror}") from None


def _decode(path: Path, raw: bytes) -> str:
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise YamlReadError(
            path,
            "this looks like a binary file, not text. Knowledge files must be YAML text.",
            Position(line, 1),
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise YamlReadError(
            path,
            "the file is not UTF-8 text. Save it as UTF-8 in your editor.",
            Position(line, column),
        ) from None
    return text.removeprefix("\ufeff")


def _marked_error(path: Path, error: yaml.MarkedYAMLError) -> YamlReadError:
    mark = error.problem_mark or error.context_mark
    problem = error.problem or "this is not valid YAML"
    if "\t" in problem or "tab" in problem:
        problem += " (YAML does not allow tabs for indentation: use spaces)"
    position = Position(mark.line + 1, mark.column + 1) if mark is not None else None
    return YamlReadError(path, f"this is not valid YAML: {problem}", position)


class _Builder:
    """Turns composed YAML nodes into Python values, recording positions."""

    def __init__(self, path: Path, positions: dict[PathKey, Position]) -> None:
        self.path = path
        self.positions = positions
        self.budget = MAX_VALUES_PER_FILE
        self._scalars = _Loader("")  # reused to resolve scalar tags (int, bool, date...)

    def build(self, node: yaml.Node, key: PathKey) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise YamlReadError(
                self.path,
                "the file expands to too much data. It probably repeats anchors and "
                "aliases (& and *) inside each other; write the content out instead.",
                Position(node.start_mark.line + 1, node.start_mark.column + 1),
            )
        self.positions.setdefault(
            key, Position(node.start_mark.line + 1, node.start_mark.column + 1)
        )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, key)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*key, index)) for index, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, key: PathKey) -> dict[str, Any]:
        self._scalars.flatten_mapping(node)  # applies YAML merge keys (<<)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            position = Position(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlReadError(self.path, "a key must be a plain word", position)
            # Keys stay as written: "yes" and "65+" are names here, not booleans or numbers.
            name = str(key_node.value)
            if name in result:
                raise YamlReadError(
                    self.path,
                    f"'{name}' is given twice in the same block; keep one",
                    position,
                )
            self.positions[(*key, name)] = position
            result[name] = self.build(value_node, (*key, name))
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            return self._scalars.construct_object(node, deep=False)
        except yaml.constructor.ConstructorError as error:
            mark = node.start_mark
            raise YamlReadError(
                self.path,
                f"this value cannot be read: {error.problem}",
                Position(mark.line + 1, mark.column + 1),
            ) from None
