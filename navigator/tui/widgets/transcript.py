"""The conversation so far: Navigator's words and the person's answers, newest at the bottom.

One `Static` per message in an anchored `VerticalScroll`, so the newest line
stays in view until the person scrolls back to read; new results are the
exception, shown from their heading (`show_from`). Each message starts
with who said it ("Navigator", "You") so nothing depends on colour. Very
long conversations keep only their last `limit` messages: mounting
thousands of widgets would slow every keypress.
"""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from navigator.tui.widgets._css import css_beside

Speaker = Literal["navigator", "person", "note"]


class ChatMessage(Static):
    """One message. Its text is never read as markup: people type square brackets too."""

    def __init__(self, speaker: Speaker, label: str, text: str) -> None:
        body = Text()
        if label:
            body.append(f"{label}: ", style="bold")
        body.append(text)
        super().__init__(body, markup=False, classes=f"message -{speaker}")
        self.speaker: Speaker = speaker
        self.plain = text


class Transcript(VerticalScroll, can_focus=False):
    """The scrolling conversation. `say()` adds a message; `wipe()` forgets everything."""

    DEFAULT_CSS = css_beside(__file__)

    def __init__(
        self,
        *,
        limit: int = 200,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.limit = limit

    def on_mount(self) -> None:
        self.anchor()

    def say(self, speaker: Speaker, text: str, label: str = "") -> ChatMessage:
        """Add a message at the bottom, dropping the oldest beyond the limit."""
        message = ChatMessage(speaker, label, text)
        self.append(message)
        return message

    def append(self, widget: Widget) -> None:
        """Add any widget (a results block, say) as the newest entry."""
        self.mount(widget)
        self._trim()
        self.anchor()

    def show_from(self, widget: Widget) -> None:
        """Scroll so `widget` is at the top (results are read from their heading down).

        Done after the next refresh, once the new messages have their size;
        the anchor is released so they are not pulled to the bottom again.
        """

        def scroll() -> None:
            if widget.is_attached:
                self.release_anchor()
                self.scroll_to_widget(widget, top=True, animate=False, immediate=True)

        self.call_after_refresh(scroll)

    def wipe(self) -> None:
        """Remove every message: nothing of one person is left for the next."""
        self.remove_children()

    @property
    def messages(self) -> list[ChatMessage]:
        return list(self.query_children(ChatMessage))

    def _trim(self) -> None:
        excess = len(self.children) - self.limit
        if excess > 0:
            for old in list(self.children)[:excess]:
                old.remove()
