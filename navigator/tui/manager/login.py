"""The password prompt in front of the dashboard.

Nothing behind it runs until the password is right: the dashboard screen,
and every query, are created only after this screen is dismissed with True.
Wrong passwords are counted in a file (`navigator.attempts`), shared with
`navigator report`: after 3 in a row each try waits, twice as long each time,
and after 10 the review locks for 15 minutes; no password is checked until
the wait is over. After `MAX_ATTEMPTS` tries the app closes, so nobody sits
guessing.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from navigator.attempts import Attempts
from navigator.records.reports.access import PasswordHash, PasswordProblem, check_password

MAX_ATTEMPTS = 5


class LoginScreen(Screen[bool]):
    """Dismissed with True for the right password, False after too many wrong ones."""

    CSS_PATH = Path(__file__).with_name("login.tcss")

    def __init__(self, stored: PasswordHash, attempts: Attempts) -> None:
        super().__init__()
        self.stored = stored
        self.counted = attempts
        self.attempts = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="login-panel"):
            yield Static("Unmet need review", id="login-heading")
            yield Static("Enter the managers' password.", id="login-prompt")
            yield Input(password=True, id="login-password", placeholder="Password")
            yield Static("", id="login-problem")

    def on_mount(self) -> None:
        self.query_one("#login-password", Input).focus()
        door = self.counted.door()
        if not door.is_open:
            self._say(door.describe("The review"))

    @on(Input.Submitted, "#login-password")
    def check(self, event: Input.Submitted) -> None:
        event.stop()
        attempt = event.value
        event.input.value = ""
        door = self.counted.door()
        if door.is_open:  # otherwise not even the right password until the wait is over
            try:
                right = check_password(self.stored, attempt)
            except PasswordProblem as problem:
                self.app.exit(2, message=f"navigator manager: {problem}")
                return
            if right:
                self.counted.succeeded()
                self.dismiss(True)
                return
            door = self.counted.failed()
        self.attempts += 1
        left = MAX_ATTEMPTS - self.attempts
        if left <= 0:
            self.dismiss(False)
            return
        wrong = f"That password is not right. {left} {'try' if left == 1 else 'tries'} left."
        self._say(door.describe("The review") if not door.is_open else wrong)

    def _say(self, words: str) -> None:
        self.query_one("#login-problem", Static).update(words)
