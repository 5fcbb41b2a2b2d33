"""Findings about a knowledge base, written for the content staff who will fix them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any


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
        place = str(self.file)
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
        where = f"{self.location}: " if self.location else ""
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{self.severity}: {self.message}{field} ({self.code})"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
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
