"""The line at the top saying where the person is: the topic and which step."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from navigator.tui.widgets._css import css_beside


class ProgressLine(Static):
    """Set `words` (already worded by the host) to change what it says."""

    DEFAULT_CSS = css_beside(__file__)

    words: reactive[str] = reactive("")

    def watch_words(self, words: str) -> None:
        self.update(Content(words))
