"""Safe YAML reading that remembers where every value came from.

Content staff need errors that say "topics/carers.yaml, line 14, column 7",
so we read the parser's event stream and build plain Python values ourselves,
recording the position of each path as we go. Building from events (rather
than `yaml.compose`, whose node objects and Python tag resolution cost four
times as much) keeps a 10,000-node knowledge base well under a second.

Hostile input is refused early and with a message naming the file:

- files over `MAX_FILE_BYTES` are not read at all;
- NUL bytes (binary files) and bytes that are not UTF-8 are caught before parsing;
- only the plain YAML types are built (strings, numbers, booleans, dates,
  null, lists, mappings): any other tag, such as `!!python/object`, is refused;
- an alias (`*name`) counts the full size of what it repeats, so a "billion
  laughs" file fails at the first alias that takes it over `MAX_VALUES_PER_FILE`,
  in milliseconds, and aliases are shared rather than copied;
- a block (mapping or list) with more than `MAX_ENTRIES_PER_BLOCK` entries
  is refused, so a file of keys costs a parse, not an explanation of each key;
- an alias inside its own anchor (a loop) and nesting deeper than `MAX_DEPTH`
  are refused, so nothing later can recurse without end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

MAX_FILE_BYTES = 5 * 1024 * 1024
"""A knowledge file larger than this is almost certainly a mistake (or an attack)."""

MAX_VALUES_PER_FILE = 1_000_000
"""How many values a file may expand to, counting each alias use in full.

A 5 MB knowledge file written out in full holds about 500,000 values."""

MAX_ENTRIES_PER_BLOCK = 20_000
"""How many keys one mapping, or items one list, may hold. The demo's largest block has
about 200; a file of hundreds of thousands of keys is refused before the schema check."""

MAX_DEPTH = 64
"""How deeply blocks may nest. Real knowledge files need about 15 levels."""

PathKey = tuple[str | int, ...]


class _Mark(Protocol):
    line: int
    column: int


@dataclass(frozen=True)
class Position:
    """A place in a file, counted from 1 as editors show it."""

    line: int
    column: int


def _position(mark: _Mark) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def _pack(mark: _Mark) -> int:
    """A mark as one int: files are at most 5 MB, so a column fits in 24 bits.

    Ints are not tracked by the garbage collector; keeping a hundred thousand
    parser marks alive would make every later collection slower.
    """
    return mark.line << 24 | mark.column


def _unpack(packed: int) -> Position:
    return Position((packed >> 24) + 1, (packed & 0xFFFFFF) + 1)


@dataclass
class YamlDocument:
    """The Python value of one YAML file and the position of every path in it.

    Mappings' entries are placed at their key (the line that says `next:`),
    list items at their first character.
    """

    path: Path
    data: Any
    marks: dict[PathKey, int] = field(default_factory=dict)
    """Packed positions (see `_pack`) by path; use `position_of`."""

    def position_of(self, key: PathKey) -> Position | None:
        """The position of `key`, or of the nearest enclosing value that has one."""
        for end in range(len(key), -1, -1):
            found = self.marks.get(key[:end])
            if found is not None:
                return _unpack(found)
        return None


class YamlReadError(Exception):
    """A file that cannot be read as YAML, with a message written for content staff."""

    def __init__(self, path: Path, message: str, position: Position | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.position = position


def read_yaml(path: Path, max_bytes: int = MAX_FILE_BYTES) -> YamlDocument:
    """Read one YAML file safely, or raise `YamlReadError` saying what is wrong and where.

    The parser lives in `navigator.kb.yamlparse`, imported here on first use: a
    start served from the knowledge cache unpickles `YamlDocument`s (this module)
    but never parses, so it does not pay for importing PyYAML.
    """
    from navigator.kb.yamlparse import parse_yaml

    return parse_yaml(path, max_bytes)
