"""Starting in a theme draws exactly what switching to it draws.

`NavigatorApp` applies its starting theme before any CSS is read, without
Textual's theme watcher (which would parse and apply every style twice at
start-up). These tests hold that shortcut to the watcher's result.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from navigator.tui.app import NavigatorApp
from navigator.tui.theme import CALM, HIGH_CONTRAST, next_theme
from tests.tui.screen import screen_cells


async def _drawn(app: NavigatorApp, switch_to: str | None = None) -> tuple[object, ...]:
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        if switch_to is not None:
            app.theme = switch_to
            await pilot.pause()
        styles = [
            (str(node.id), type(node).__name__, node.styles.css)
            for node in app.screen.walk_children()
        ]
        themed_classes = sorted(name for name in app.classes if name.startswith("-"))
        return (
            app.theme,
            themed_classes,
            dict(app.stylesheet._variables),
            styles,
            list(screen_cells(app)),
        )


@pytest.mark.parametrize("theme", [HIGH_CONTRAST, CALM])
async def test_starting_in_a_theme_matches_switching_to_it(
    make_app: Callable[..., NavigatorApp], theme: str
) -> None:
    started = await _drawn(make_app(theme=theme))
    switched = await _drawn(make_app(theme=next_theme(theme)), switch_to=theme)
    assert started[0] == switched[0] == theme
    assert started[1] == switched[1]
    assert started[2] == switched[2]
    assert started[3] == switched[3]
    assert started[4] == switched[4]


async def test_a_theme_of_the_other_kind_than_textuals_default_still_starts_correctly(
    make_app: Callable[..., NavigatorApp],
) -> None:
    app = make_app(theme="textual-light")  # light, where Textual's default is dark
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-light"
        assert "-light-mode" in app.classes and "-dark-mode" not in app.classes
