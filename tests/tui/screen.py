"""Reading what the app shows: its text, and the colours of each character on screen."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.app import App

RGB = tuple[int, int, int]


def _render(app: App[object]) -> Console:
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console


def screen_text(app: App[object]) -> str:
    """Everything on screen now, as plain text."""
    return _render(app).export_text()


def style_of(app: App[object], word: str) -> Style:
    """The style `word` is drawn in (the first piece of screen that holds it)."""
    for segment in _render(app)._record_buffer:
        if word in segment.text and segment.style is not None:
            return segment.style
    raise AssertionError(f"{word!r} is not on screen")


_FRAMES = re.compile("[\u2500-\u259f]")


def flat(text: str) -> str:
    """Screen text without frames, line breaks or runs of spaces, for phrase searches."""
    return " ".join(_FRAMES.sub(" ", text).split())


@dataclass(frozen=True)
class Cell:
    character: str
    foreground: RGB
    background: RGB


def screen_cells(app: App[object]) -> Iterator[Cell]:
    """Each character on screen with the colours it is drawn in (reverse video resolved)."""
    console = _render(app)
    segments: list[Segment] = list(console._record_buffer)
    for segment in segments:
        style = segment.style
        if style is None or segment.control:
            continue
        foreground = style.color.get_truecolor() if style.color else None
        background = style.bgcolor.get_truecolor() if style.bgcolor else None
        if foreground is None or background is None:
            continue
        fg: RGB = (foreground.red, foreground.green, foreground.blue)
        bg: RGB = (background.red, background.green, background.blue)
        if style.reverse:
            fg, bg = bg, fg
        for character in segment.text:
            yield Cell(character, fg, bg)
