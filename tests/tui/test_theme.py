"""Colour contrast, measured on what the app actually draws, in both themes.

The arithmetic is WCAG 2's relative luminance; the check walks every letter
and digit on screen (frames and block characters are decoration) and
compares its colour with its background. The kiosk theme promises 7:1
(AAA), the calm theme 4.5:1 (AA).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from navigator.tui.app import NavigatorApp
from navigator.tui.theme import (
    CALM,
    HIGH_CONTRAST,
    MINIMUM_CONTRAST,
    THEMES,
    contrast_ratio,
    hex_to_rgb,
    next_theme,
)
from navigator.tui.widgets.nav_bar import NavBar
from tests.tui.conftest import Clock
from tests.tui.screen import screen_cells

pytestmark = pytest.mark.timeout(60)


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((255, 255, 255), (255, 255, 255)) == pytest.approx(1.0)
    # #777777 on white is the classic "just fails AA" grey: 4.48:1.
    assert contrast_ratio(hex_to_rgb("#777777"), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio((255, 255, 0), (0, 0, 0)) == pytest.approx(19.56, abs=0.01)


def test_hex_to_rgb_refuses_what_is_not_a_colour() -> None:
    assert hex_to_rgb("#FFD27F") == (255, 210, 127)
    with pytest.raises(ValueError, match="not a colour"):
        hex_to_rgb("yellowish")


@pytest.mark.parametrize("theme", THEMES, ids=lambda theme: theme.name)
def test_declared_text_colours_meet_the_promise(theme: object) -> None:
    from textual.theme import Theme

    assert isinstance(theme, Theme)
    assert theme.background is not None and theme.foreground is not None
    background = hex_to_rgb(theme.background)
    for colour in (theme.foreground, theme.primary, theme.secondary, theme.warning, theme.error):
        assert colour is not None
        assert contrast_ratio(hex_to_rgb(colour), background) >= MINIMUM_CONTRAST[theme.name]
    # Focused buttons are drawn background-on-primary.
    assert contrast_ratio(background, hex_to_rgb(theme.primary)) >= MINIMUM_CONTRAST[theme.name]


def test_colours_key_switches_between_the_two_themes() -> None:
    assert next_theme(HIGH_CONTRAST) == CALM
    assert next_theme(CALM) == HIGH_CONTRAST
    assert next_theme("textual-dark") == HIGH_CONTRAST


async def _welcome(pilot: Pilot[int]) -> None:
    await pilot.pause()


async def _question(pilot: Pilot[int]) -> None:
    await pilot.press("1", "2")


async def _outcome(pilot: Pilot[int]) -> None:
    await pilot.press("1", "2", "1")


async def _safeguarding(pilot: Pilot[int]) -> None:
    screen = pilot.app.screen
    words = screen.query_one("#own-words-input")
    words.value = "i want to end my life"  # type: ignore[attr-defined]
    words.focus()
    await pilot.press("enter")


async def _typing(pilot: Pilot[int]) -> None:
    await pilot.press(*"washing")


SCREENS: dict[str, Callable[[Pilot[int]], Awaitable[None]]] = {
    "welcome": _welcome,
    "question": _question,
    "outcome": _outcome,
    "safeguarding": _safeguarding,
    "suggestions": _typing,
}


def _is_text(character: str) -> bool:
    return character.isalnum()


@pytest.mark.parametrize("theme", [HIGH_CONTRAST, CALM])
@pytest.mark.parametrize("screen", [*SCREENS, "idle_warning", "staff_pin"])
async def test_every_letter_on_screen_meets_the_theme_contrast(
    make_app: Callable[..., NavigatorApp], clock: Clock, theme: str, screen: str
) -> None:
    app = make_app(kiosk=True, theme=theme)
    async with app.run_test(size=(100, 60)) as pilot:
        if screen == "idle_warning":
            await pilot.press("1")
            app.sweep_idle(clock.advance(100))
        elif screen == "staff_pin":
            await pilot.press("ctrl+f12")
        else:
            await SCREENS[screen](pilot)
        await pilot.pause()
        assert app.theme == theme
        cells = [cell for cell in screen_cells(app) if _is_text(cell.character)]
        assert len(cells) > 20
        worst = min(cells, key=lambda cell: contrast_ratio(cell.foreground, cell.background))
        ratio = contrast_ratio(worst.foreground, worst.background)
        assert ratio >= MINIMUM_CONTRAST[theme], (
            f"{worst.character!r} drawn {worst.foreground} on {worst.background}: {ratio:.2f}:1"
        )


async def test_colours_key_is_visible_and_works(make_app: Callable[..., NavigatorApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.theme == HIGH_CONTRAST
        await pilot.press("f5")
        assert app.theme == CALM
        nav = app.screen.query_one(NavBar)
        assert await pilot.click(nav, offset=nav.cell_region(nav.index_of("colours")).offset)
        assert app.theme == HIGH_CONTRAST
