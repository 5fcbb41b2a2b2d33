"""The app's one button style: clear words, high contrast, focus shown by inverting colours.

Textual's default button draws half-block borders in shades of the surface
colour, which blur at a kiosk's contrast. `PlainButton` takes the theme's
foreground and background only, shows focus by swapping them (a change of
lightness, not just hue), and shows "disabled" with a strike-through as well
as in words, so no state depends on colour alone. Add the class `-big` for a
three-row button with a frame (the one thing to press on a screen).
"""

from __future__ import annotations

from textual.widgets import Button

from navigator.tui.widgets._css import css_beside


class PlainButton(Button):
    DEFAULT_CSS = css_beside(__file__)
