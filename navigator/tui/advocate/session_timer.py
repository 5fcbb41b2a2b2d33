"""How long this drop-in session has run, in the advocate's header.

Advocates pace a session by the queue behind the resident; the timer starts
with the screen (a new resident, a new screen) and counts whole minutes, read
from the app's clock so tests can move time on. It sits at the right-hand
end of the line saying where the conversation is (the `ProgressLine`, under
the tools bar), without taking a row of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content
from textual.widgets import Static

from navigator.tui.advocate.text import AdvocateMsg, AdvocateText
from navigator.tui.widgets._css import css_beside
from navigator.tui.widgets.progress_line import ProgressLine

TICK_SECONDS = 5.0
"""How often the timer looks at the clock (it shows whole minutes)."""


class SessionTimer(Static):
    """ "Session: 12 min", from when the screen was made."""

    DEFAULT_CSS = css_beside(__file__)

    def __init__(
        self, text: AdvocateText, clock: Callable[[], float], *, id: str | None = None
    ) -> None:
        super().__init__("", id=id)
        self.text = text
        self.clock = clock
        self.started = clock()

    @property
    def minutes(self) -> int:
        return max(0, int((self.clock() - self.started) // 60))

    def on_mount(self) -> None:
        self.tick()
        self.call_after_refresh(self.tick)  # once the header's place is known
        self.set_interval(TICK_SECONDS, self.tick)

    def tick(self) -> None:
        """Redraw the minutes, and keep the timer at the right-hand end of the progress line."""
        words = self.text(AdvocateMsg.SESSION_TIME, minutes=self.minutes)
        self.update(Content(words))
        width = len(words) + 2
        self.styles.width = width
        if self.parent is None:
            return
        lines = self.screen.query(ProgressLine)
        top = lines.first().region.y if lines else 0
        self.styles.offset = (max(0, self.screen.size.width - width), top)
