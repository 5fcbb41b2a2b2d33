"""`PlainButton` does not inherit Textual's button style, and looks the same when that arrives.

The resident app's first screen has only plain buttons, so Textual's own
button style (sixty rules) is not parsed before the first question. Later
screens (staff exit, QR code, the advocate's) use Textual's `Button`, which
loads that style into the same stylesheet: the plain buttons must not change.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Button

from navigator.tui.app import NavigatorApp
from navigator.tui.widgets.plain_button import PlainButton


async def test_textual_button_style_is_not_loaded_for_the_first_screen(
    make_app: Callable[..., NavigatorApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        sources = {name for _, name in app.stylesheet.source}
        assert "PlainButton.DEFAULT_CSS" in sources
        assert "Button.DEFAULT_CSS" not in sources


async def test_plain_buttons_look_the_same_once_textual_button_style_is_loaded(
    make_app: Callable[..., NavigatorApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        focused = PlainButton("Focused", id="focused")
        await app.screen.mount_all(
            [
                focused,
                PlainButton("Plain", id="plain"),
                PlainButton("Struck out", id="disabled", disabled=True),
                PlainButton("Big", id="big", classes="-big"),
            ]
        )
        focused.focus()
        await pilot.pause()

        def computed() -> list[tuple[str, str]]:
            return [(str(button.id), button.styles.css) for button in app.screen.query(PlainButton)]

        before = computed()
        assert {"focused", "plain", "disabled", "big", "own-words-send"} <= {id for id, _ in before}
        assert "Button.DEFAULT_CSS" not in {name for _, name in app.stylesheet.source}
        await app.screen.mount(Button("Textual's own"))
        await pilot.pause()
        assert "Button.DEFAULT_CSS" in {name for _, name in app.stylesheet.source}
        assert computed() == before
