"""The bar that is always in the same place: Help, Back, Change an answer, Start again...

Each button shows its key (F1 Help, F2 Back, ...) and posts
`NavBar.Command` with a command name; the host screen binds the same keys
to the same commands, so touch, mouse and keyboard all do one thing.
Buttons that cannot act right now are disabled rather than hidden, so
nothing moves about (WCAG 3.2.6: help in the same place on every screen).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid
from textual.content import Content
from textual.message import Message
from textual.widgets import Button

from navigator.tui.widgets._css import css_beside
from navigator.tui.widgets.plain_button import PlainButton


@dataclass(frozen=True)
class NavCommand:
    """A command on the bar: its name (for the host), key and label."""

    name: str
    key: str
    label: str


class NavButton(PlainButton):
    def __init__(self, command: NavCommand) -> None:
        super().__init__(
            Content.assemble((command.key.upper(), "bold"), " ", command.label),
            id=f"nav-{command.name.replace('_', '-')}",
            classes="nav",
        )
        self.command = command


class NavBar(Grid, can_focus=False):
    """A row of command buttons (two rows when narrow). `enable(name, flag)` strikes one out."""

    DEFAULT_CSS = css_beside(__file__)

    class Command(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, commands: Sequence[NavCommand], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.commands = tuple(commands)

    def compose(self) -> ComposeResult:
        for command in self.commands:
            yield NavButton(command)

    def on_resize(self) -> None:
        """All on one row when they fit, otherwise in rows of three, always in the same order."""
        needed = sum(len(command.key) + len(command.label) + 4 for command in self.commands)
        count = len(self.commands) or 1
        self.styles.grid_size_columns = count if self.size.width >= needed else (count + 1) // 2

    def enable(self, name: str, enabled: bool) -> None:
        for button in self.query(NavButton):
            if button.command.name == name:
                button.disabled = not enabled

    @on(Button.Pressed, ".nav")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if isinstance(event.button, NavButton):
            self.post_message(self.Command(event.button.command.name))
