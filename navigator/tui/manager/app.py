"""`ManagerApp`: the password prompt, then the dashboard. A separate App from every other mode.

The kiosk, resident and advocate apps have no way here: this class is only
created by `navigator manager`, and `navigator serve` does not offer it.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App

from navigator.attempts import Attempts
from navigator.records.reports.access import PasswordHash
from navigator.records.reports.review import Review, ReviewProblem
from navigator.tui.manager.compare import PackSources
from navigator.tui.manager.dashboard import DashboardScreen
from navigator.tui.manager.login import LoginScreen
from navigator.tui.theme import CALM, CALM_THEME, HIGH_CONTRAST_THEME

ReviewFactory = Callable[[], Review]


class ManagerApp(App[int]):
    """Exits with 0 after a session, 1 after too many wrong passwords, 2 when the records
    cannot be read (with the reason as the exit message)."""

    TITLE = "Unmet need review"

    def __init__(
        self,
        stored: PasswordHash,
        open_review: ReviewFactory,
        attempts: Attempts,
        packs: PackSources | None = None,
    ) -> None:
        super().__init__()
        self.packs = packs
        """Published packs for "Compare places" (read only once the password is right)."""
        self.stored = stored
        self.attempts = attempts
        """Wrong passwords, counted in a file shared with `navigator report`."""
        self.open_review = open_review
        """Called only after the password is right: nothing touches the records before."""

    def on_mount(self) -> None:
        for theme in (CALM_THEME, HIGH_CONTRAST_THEME):
            self.register_theme(theme)
        self.theme = CALM  # the team's readable theme; ctrl+p offers the high-contrast one
        self.push_screen(LoginScreen(self.stored, self.attempts), self._logged_in)

    def _logged_in(self, ok: bool | None) -> None:
        if not ok:
            self.exit(1, message="Too many wrong passwords. The review stays closed.")
            return
        try:
            review = self.open_review()
        except ReviewProblem as problem:
            self.exit(2, message=f"navigator manager: {problem}")
            return
        self.push_screen(DashboardScreen(review, self.packs))
