"""The active offer of languages on the first screen: "English  Cymraeg", each named in itself.

The Welsh Language Standards ask that Welsh is offered actively, before the
person has to look for it, and in the council's order (Welsh first in Wales).
The row shows only on the welcome; a press posts `LanguageOffer.Chosen` up to
the screen, which asks the conversation to carry on in that language.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message

from navigator.engine.views import LanguageChoice
from navigator.tui.widgets._css import css_beside
from navigator.tui.widgets.plain_button import PlainButton


class LanguageOffer(Horizontal):
    """One button per language; the one in use is marked and cannot be pressed."""

    DEFAULT_CSS = css_beside(__file__)

    class Chosen(Message):
        """The person pressed a language."""

        def __init__(self, code: str) -> None:
            super().__init__()
            self.code = code

    def __init__(self, languages: tuple[LanguageChoice, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.languages = languages
        self.display = len(languages) > 1

    def compose(self) -> ComposeResult:
        for language in self.languages:
            button = PlainButton(language.own_name, id=f"language-{language.code}")
            button.disabled = language.current
            button.set_class(language.current, "-current")
            yield button

    @on(PlainButton.Pressed)
    def _pressed(self, event: PlainButton.Pressed) -> None:
        event.stop()
        code = (event.button.id or "").removeprefix("language-")
        self.post_message(self.Chosen(code))
