"""Findings about a knowledge base, written for the content staff who will fix them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from navigator.lazy_re import LazyPattern

VALUE_CHARACTERS = 80
"""How much of a value from a file a message quotes: enough to recognise it."""

MESSAGE_CHARACTERS = 2000
"""The longest message printed; anything longer is cut (a safety net under `shown`)."""

_UNSAFE = LazyPattern(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
"""Control characters (ESC and friends move the cursor or recolour a terminal), and
bidirectional and invisible formatting characters (a right-to-left override makes
text read backwards): shown escaped, never printed as they are."""


def _escaped(match: re.Match[str]) -> str:
    character = match.group()
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_unsafe(text: str) -> str:
    """`text` with control, bidirectional and invisible characters written as `\\x1b`, `\\u202e`."""
    return _UNSAFE.sub(_escaped, text)


def shown(value: object, limit: int = VALUE_CHARACTERS) -> str:
    """A value from a file as a message quotes it: unsafe characters escaped, cut to `limit`.

    A 4,000,000-digit number must not become a 4 MB error line.
    """
    try:
        text = str(value)
    except ValueError:  # an int too long for Python to write out
        return "a number too long to show"
    if len(text) > limit:
        text = f"{text[: limit - 1]}... ({len(text):,} characters)"
    return escape_unsafe(text)


def character_name(character: str) -> str:
    """`U+001B (ESC)`: a character named as content staff can look it up."""
    names = {0x1B: "ESC", 0x00: "NUL", 0x7F: "DEL", 0x202E: "RIGHT-TO-LEFT OVERRIDE"}
    name = names.get(ord(character)) or unicodedata.name(character, "a control character")
    return f"U+{ord(character):04X} ({name})"


def _safe_message(text: str) -> str:
    if len(text) > MESSAGE_CHARACTERS:
        text = text[:MESSAGE_CHARACTERS] + "... (message cut)"
    return escape_unsafe(text)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Location:
    """Where something was written: a file and, where known, a line and column."""

    file: Path
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        place = escape_unsafe(str(self.file))
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return place


@dataclass(frozen=True)
class Diagnostic:
    """One finding: what is wrong, where, and what to do about it."""

    severity: Severity
    code: str
    """A stable short name such as `unknown-node`, for filtering and tests."""
    message: str
    location: Location | None = None
    field: str | None = None
    """The dotted path of the field, such as `nodes[3].options[1].next`."""

    def __str__(self) -> str:
        """One line, whatever the file held: unsafe characters escaped, long messages cut."""
        where = f"{self.location}: " if self.location else ""
        field = f" [{_safe_message(self.field)}]" if self.field else ""
        return f"{where}{self.severity}: {_safe_message(self.message)}{field} ({self.code})"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["message"] = _safe_message(self.message)
        data["severity"] = str(self.severity)
        if self.location is not None:
            data["location"] = {**asdict(self.location), "file": str(self.location.file)}
        return data


def error(
    code: str, message: str, location: Location | None = None, field: str | None = None
) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, location, field)


def warning(
    code: str, message: str, location: Location | None = None, field: str | None = None
) -> Diagnostic:
    return Diagnostic(Severity.WARNING, code, message, location, field)


def format_field(path: tuple[str | int, ...]) -> str:
    """`("nodes", 3, "options", 1, "next")` -> `nodes[3].options[1].next`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text
