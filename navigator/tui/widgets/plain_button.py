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


class PlainButton(Button, inherit_css=False):
    """A `Button` styled by `plain_button.tcss` alone.

    Its style sets everything the first screen needs from Textual's button
    style (`line-pad`, `pointer`), so Textual's (sixty rules, most for
    variants this app never uses) is not parsed before the first question.
    """

    DEFAULT_CSS = css_beside(__file__)

    def watch_flat(self, flat: bool) -> None:
        """Set the style classes without restyling a button that is not on screen yet.

        Textual's own watcher restyles the whole button when it is created, and
        mounting styles it again: with two dozen buttons on the first screen that
        was a noticeable share of the start. Once mounted, styles update as usual.
        """
        mounted = self.is_mounted
        self.set_class(flat, "-style-flat", update=mounted)
        self.set_class(not flat, "-style-default", update=mounted)
