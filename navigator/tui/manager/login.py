"""The password prompt in front of the dashboard.

Nothing behind it runs until the password is right: the dashboard screen,
and every query, are created only after this screen is dismissed with True.
After `MAX_ATTEMPTS` wrong passwords the app closes, so nobody sits guessing.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from navigator.records.reports.access import PasswordHash, check_password

MAX_ATTEMPTS = 5


class LoginScreen(Screen[bool]):
    """Dismissed with True for the right password, False after too many wrong ones."""

    CSS_PATH = Path(__file__).with_name("login.tcss")

    def __init__(self, stored: PasswordHash) -> None:
        super().__init__()
        self.stored = stored
        self.attempts = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="login-panel"):
            yield Static("Unmet need review", id="login-heading")
            yield Static("Enter the managers' password.", id="login-prompt")
            yield Input(password=True, id="login-password", placeholder="Password")
            yield Static("", id="login-problem")

    def on_mount(self) -> None:
        self.query_one("#login-password", Input).focus()

    @on(Input.Submitted, "#login-password")
    def check(self, event: Input.Submitted) -> None:
        event.stop()
        attempt = event.value
        event.input.value = ""
        if check_password(self.stored, attempt):
            self.dismiss(True)
            return
        self.attempts += 1
        left = MAX_ATTEMPTS - self.attempts
        if left <= 0:
            self.dismiss(False)
            return
        self.query_one("#login-problem", Static).update(
            f"That password is not right. {left} {'try' if left == 1 else 'tries'} left."
        )
