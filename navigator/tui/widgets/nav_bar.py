"""The bar that is always in the same place: Help, Back, Change an answer, Start again...

Each command shows its key (F1 Help, F2 Back, ...) and a press posts
`NavBar.Command` with the command's name; the host screen binds the same
keys to the same commands, so touch, mouse and keyboard all do one thing.
Commands that cannot act right now are struck through rather than hidden,
so nothing moves about (WCAG 3.2.6: help in the same place on every screen).
The commands are cells of one `ChoiceGrid`, all on one row when they fit and
in rows of three otherwise, always in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
from textual.content import Content
from textual.message import Message

from navigator.tui.widgets._css import css_beside
from navigator.tui.widgets.choice_grid import Cell, ChoiceGrid


class NavCommand(msgspec.Struct, frozen=True):
    """A command on the bar: its name (for the host), key and label."""

    name: str
    key: str
    label: str


class NavBar(ChoiceGrid):
    """A row of commands (two rows when narrow). `enable(name, flag)` strikes one out."""

    DEFAULT_CSS = css_beside(__file__)
    EQUAL_COLUMNS = False

    class Command(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, commands: Sequence[NavCommand], *, id: str | None = None) -> None:
        self.commands = tuple(commands)
        super().__init__(
            [_cell(command) for command in self.commands],
            id=id,
        )

    def columns_for(self, width: int) -> int:
        """All on one row when they fit, otherwise in rows of three."""
        needed = sum(len(command.key) + len(command.label) + 4 for command in self.commands)
        count = len(self.commands) or 1
        return count if width >= needed else (count + 1) // 2

    def add(self, command: NavCommand) -> None:
        """Add a command at the end (once: "Help now" after a crisis panel)."""
        if command.name not in {known.name for known in self.commands}:
            self.commands = (*self.commands, command)
            self.set_cells([*self.cells, _cell(command)])

    def enable(self, name: str, enabled: bool) -> None:
        self.set_enabled(self.index_of(name), enabled)

    def index_of(self, name: str) -> int:
        """The position of command `name` on the bar."""
        for index, command in enumerate(self.commands):
            if command.name == name:
                return index
        raise KeyError(name)

    def pressed(self, index: int) -> None:
        self.post_message(self.Command(self.commands[index].name))


def _cell(command: NavCommand) -> Cell:
    return Cell(Content.assemble((key_name(command.key), "bold"), " ", command.label))


def key_name(key: str) -> str:
    """A key as printed on keyboards: "f4" as F4, "ctrl+q" as Ctrl+Q."""
    return "+".join(
        part.upper() if len(part) == 1 or part[1:].isdigit() else part.capitalize()
        for part in key.split("+")
    )
