"""The app's two colour themes and the contrast arithmetic that keeps them readable.

No built-in Textual theme is high-contrast, so Navigator registers its own.
The kiosk theme is the default everywhere: pure white and yellow on black,
with every text colour at least 7:1 against its background (WCAG AAA). The
calmer theme is for people who find that glare tiring; it still meets 4.5:1
(WCAG AA). Text is never drawn at partial opacity (`text_alpha=1.0`), because
Textual's default 87% text would quietly lower the contrast.

Nothing here says anything by colour alone: every state that has a colour
(closed, waiting list, a warning) also has words.
"""

from __future__ import annotations

import re

from textual.theme import Theme

HIGH_CONTRAST = "navigator-high-contrast"
CALM = "navigator-calm"

HIGH_CONTRAST_THEME = Theme(
    name=HIGH_CONTRAST,
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFB000",
    error="#FF8080",
    success="#7CFF7C",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#000000",
    dark=True,
    text_alpha=1.0,
    variables={
        "text-muted": "#FFFFFF",
        "footer-background": "#000000",
        "input-selection-background": "#FFFF00",
        "input-selection-foreground": "#000000",
        "input-cursor-background": "#FFFF00",
        "input-cursor-foreground": "#000000",
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#FFFF00",
        "scrollbar": "#FFFFFF",
        "scrollbar-hover": "#FFFF00",
        "scrollbar-active": "#FFFF00",
        "scrollbar-background": "#000000",
        "scrollbar-background-hover": "#000000",
        "scrollbar-background-active": "#000000",
        "button-focus-text-style": "bold",
        "border-blurred": "#FFFFFF",
    },
)
"""Black, white and yellow: the kiosk default, at least 7:1 everywhere text appears."""

CALM_THEME = Theme(
    name=CALM,
    primary="#9FD3FF",
    secondary="#C8B6FF",
    accent="#FFD27F",
    warning="#FFD27F",
    error="#FFB3B3",
    success="#A8E6A8",
    foreground="#F2F2F2",
    background="#1B2631",
    surface="#1B2631",
    panel="#1B2631",
    boost="#1B2631",
    dark=True,
    text_alpha=1.0,
    variables={
        "text-muted": "#F2F2F2",
        "footer-background": "#1B2631",
        "input-selection-background": "#9FD3FF",
        "input-selection-foreground": "#1B2631",
        "input-cursor-background": "#9FD3FF",
        "input-cursor-foreground": "#1B2631",
        "block-cursor-foreground": "#1B2631",
        "block-cursor-background": "#9FD3FF",
        "scrollbar": "#F2F2F2",
        "scrollbar-hover": "#9FD3FF",
        "scrollbar-active": "#9FD3FF",
        "scrollbar-background": "#1B2631",
        "scrollbar-background-hover": "#1B2631",
        "scrollbar-background-active": "#1B2631",
        "button-focus-text-style": "bold",
        "border-blurred": "#F2F2F2",
    },
)
"""Softer colours on dark blue-grey, still at least 4.5:1."""

THEMES: tuple[Theme, ...] = (HIGH_CONTRAST_THEME, CALM_THEME)

MINIMUM_CONTRAST: dict[str, float] = {HIGH_CONTRAST: 7.0, CALM: 4.5}
"""The contrast each theme promises, checked on the rendered screen by the tests."""

_HEX = re.compile(r"#?([0-9a-fA-F]{6})")


def next_theme(current: str) -> str:
    """The theme the "colours" key switches to."""
    names = [theme.name for theme in THEMES]
    index = names.index(current) if current in names else -1
    return names[(index + 1) % len(names)]


def relative_luminance(red: int, green: int, blue: int) -> float:
    """WCAG 2 relative luminance of an sRGB colour given as 0-255 channels."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast_ratio(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio between two colours, from 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(*first), relative_luminance(*second)))[::-1]
    return (lighter + 0.05) / (darker + 0.05)


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """'#FFD27F' -> (255, 210, 127)."""
    match = _HEX.fullmatch(colour.strip())
    if match is None:
        raise ValueError(f"'{colour}' is not a colour written as #RRGGBB")
    digits = match.group(1)
    red, green, blue = (int(digits[index : index + 2], 16) for index in (0, 2, 4))
    return red, green, blue
