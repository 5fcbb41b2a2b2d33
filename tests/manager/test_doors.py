"""The managers' password cannot be guessed, skipped, or spilled; records files are private.

Run as the user runs them: `navigator ...` in a subprocess, with its own
config and data folders, on a real SQLite file holding known sessions.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import time
from pathlib import Path

import pytest

from navigator.attempts import Attempts, Policy
from navigator.kb import KnowledgeBase
from navigator.records.reports.access import (
    PasswordHash,
    attempts_path,
    password_path,
    set_password,
)
from navigator.tui.manager.app import ManagerApp
from tests.manager.conftest import sqlite_review
from tests.pty_terminal import run_navigator
from tests.support.clock import Clock

pytestmark = pytest.mark.timeout(180)

PASSWORD = "correct horse battery"
PERIOD = ["--from", "2025-03-03", "--to", "2025-03-16"]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "LC_ALL"}
    environment = {name: value for name, value in os.environ.items() if name in keep}
    environment.update(
        {
            "NAVIGATOR_CONFIG": str(tmp_path / "no-config.toml"),
            "NAVIGATOR_CONFIG_DIR": str(tmp_path / "config"),
            "NAVIGATOR_DATA_DIR": str(tmp_path / "data"),
        }
    )
    return environment


def navigator(
    *arguments: str, env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return run_navigator(*arguments, env=env, stdin=stdin, timeout=120)


@pytest.fixture
def records(tmp_path: Path, knowledge: KnowledgeBase) -> list[str]:
    review = sqlite_review(tmp_path, knowledge)
    review.engine.dispose()
    return ["--db", str(tmp_path / "navigator.sqlite3"), "--kb", str(knowledge.root)]


def secret_file(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text + "\n", encoding="utf-8")
    path.chmod(mode)
    return path


# --- Weak passwords ------------------------------------------------------------------


@pytest.mark.parametrize(
    "weak",
    [
        "aaaaaaaaaa",
        "1234567890",
        "password12",
        " " * 10,
        "aaaaaaaaaaaa",
        "123456789012",
        "password1234",
        " " * 12,
        "Password2024!",
        "qwertyuiop123",
        "!!letmein123!!",
    ],
)
def test_weak_passwords_are_refused_at_set_password(weak: str, env: dict[str, str]) -> None:
    finished = navigator("manager", "set-password", env=env, stdin=weak + "\n")

    assert finished.returncode == 1, finished.stdout
    assert "Nothing was changed" in finished.stderr
    if weak.strip():
        assert weak not in finished.stderr + finished.stdout
    assert not (Path(env["NAVIGATOR_CONFIG_DIR"]) / "manager-password").exists()


def test_a_good_password_is_taken(env: dict[str, str]) -> None:
    finished = navigator("manager", "set-password", env=env, stdin="plum Orchard ladder\n")
    assert finished.returncode == 0, finished.stderr


def test_the_common_passwords_list_ships_inside_the_package() -> None:
    from navigator.records.reports.access import COMMON_PASSWORDS, common_passwords

    assert COMMON_PASSWORDS.is_relative_to(Path(__file__).resolve().parents[2] / "navigator")
    assert {"password", "qwerty", "letmein", "123456789"} <= common_passwords()


# --- Damaged password files -----------------------------------------------------------

DAMAGED = [
    "scrypt$3$8$1$c2FsdHNhbHRzYWx0$ZGlnZXN0ZGlnZXN0ZGlnZXN0ZGlnZXN0ZGlnZXN0",
    "scrypt$16384$8$1$!!not base64!!$@@@",
    "scrypt$16384$8$1$c2FsdHNhbHRzYWx0$ZGln",
    "scrypt$1073741824$8$1$c2FsdHNhbHRzYWx0$ZGlnZXN0ZGlnZXN0ZGlnZXN0ZGlnZXN0ZGlnZXN0",
]


@pytest.mark.parametrize("line", DAMAGED)
def test_a_damaged_hash_is_explained_never_echoing_the_password(
    line: str, env: dict[str, str], tmp_path: Path, records: list[str]
) -> None:
    config = Path(env["NAVIGATOR_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    password_path(config).write_text(line + "\n", encoding="ascii")
    typed = secret_file(tmp_path / "typed.txt", "my secret typed password")

    for finished in (
        navigator("report", *PERIOD, *records, "--password-file", str(typed), env=env),
        navigator("manager", env=env),
    ):
        said = finished.stdout + finished.stderr
        assert finished.returncode == 2, said
        assert "damaged" in said and "navigator manager set-password" in said
        assert "my secret typed password" not in said
        assert "Traceback" not in said


async def test_a_hash_scrypt_cannot_take_closes_the_login_without_the_password(
    tmp_path: Path,
) -> None:
    """A hash built with bad parameters some other way: the login says so, never crashes."""
    stored = PasswordHash(3, 8, 1, b"saltsaltsalt", b"d" * 32)
    app = ManagerApp(stored, lambda: pytest.fail("opened"), Attempts(tmp_path / "attempts"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"my secret typed password", "enter")
        await pilot.pause()
    assert app.return_value == 2


# --- `navigator report` asks for the password ----------------------------------------------


@pytest.fixture
def password_set(env: dict[str, str]) -> None:
    set_password(Path(env["NAVIGATOR_CONFIG_DIR"]), PASSWORD)


def test_report_refuses_without_the_password(
    env: dict[str, str], records: list[str], password_set: None
) -> None:
    finished = navigator("report", *PERIOD, *records, "--format", "csv", env=env)

    assert finished.returncode == 2
    assert finished.stdout == ""
    assert "needs the managers' password" in finished.stderr
    assert "--password-file" in finished.stderr


def test_report_refuses_when_no_password_is_set(
    env: dict[str, str], records: list[str], tmp_path: Path
) -> None:
    typed = secret_file(tmp_path / "typed.txt", PASSWORD)
    finished = navigator("report", *PERIOD, *records, "--password-file", str(typed), env=env)
    assert finished.returncode == 2 and finished.stdout == ""
    assert "navigator manager set-password" in finished.stderr


def test_report_reads_the_password_from_an_owner_only_file(
    env: dict[str, str], records: list[str], password_set: None, tmp_path: Path
) -> None:
    typed = secret_file(tmp_path / "typed.txt", PASSWORD)
    by_flag = navigator("report", *PERIOD, *records, "--password-file", str(typed), env=env)
    by_environment = navigator(
        "report", *PERIOD, *records, env={**env, "NAVIGATOR_MANAGER_PASSWORD_FILE": str(typed)}
    )

    for finished in (by_flag, by_environment):
        assert finished.returncode == 0, finished.stderr
        assert finished.stdout.strip()


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_password_file_others_can_read_is_refused(
    mode: int, env: dict[str, str], records: list[str], password_set: None, tmp_path: Path
) -> None:
    typed = secret_file(tmp_path / "typed.txt", PASSWORD, mode)
    finished = navigator("report", *PERIOD, *records, "--password-file", str(typed), env=env)
    assert finished.returncode == 2 and finished.stdout == ""
    assert f"chmod 600 {typed}" in finished.stderr
    assert PASSWORD not in finished.stderr


def test_wrong_passwords_make_the_report_wait_even_for_the_right_one(
    env: dict[str, str],
    records: list[str],
    password_set: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """In this process, so the tries come faster than the 2 seconds a subprocess takes to start.

    The wait is timed on the wall clock, which a command cannot be handed: how long the
    next call takes to start on a busy machine must not decide what it says. So the third
    wrong try is dated ahead (as after a clock set back, which waits no longer than the
    policy's 2 s from now), then back past the wait, rather than racing or sleeping.
    """
    from navigator.cli import main

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    wrong = secret_file(tmp_path / "wrong.txt", "not the password at all")
    right = secret_file(tmp_path / "right.txt", PASSWORD)
    for _ in range(3):
        assert main(["report", *PERIOD, *records, "--password-file", str(wrong)]) == 1
        said = capsys.readouterr()
        assert "not right" in said.err and said.out == ""
    counted = attempts_path(Path(env["NAVIGATOR_DATA_DIR"]))
    assert json.loads(counted.read_text(encoding="utf-8"))["failures"] == 3

    _date_last_try(counted, time.time() + 3600)
    assert main(["report", *PERIOD, *records, "--password-file", str(right)]) == 1

    said = capsys.readouterr()
    assert "wait 2 seconds" in said.err and said.out == ""
    _date_last_try(counted, time.time() - 2.1)
    assert main(["report", *PERIOD, *records, "--password-file", str(right)]) == 0
    assert capsys.readouterr().out.strip()
    assert not attempts_path(Path(env["NAVIGATOR_DATA_DIR"])).exists()


def _date_last_try(counted: Path, when: float) -> None:
    """Set when the last wrong try counted in `counted` was made, keeping the count."""
    data = json.loads(counted.read_text(encoding="utf-8"))
    counted.write_text(json.dumps({**data, "last": when}), encoding="utf-8")


def test_a_lockout_written_by_another_process_closes_the_dashboard_and_report(
    env: dict[str, str], records: list[str], password_set: None, tmp_path: Path
) -> None:
    counted = attempts_path(Path(env["NAVIGATOR_DATA_DIR"]))
    counted.parent.mkdir(parents=True, exist_ok=True)
    counted.write_text(json.dumps({"failures": 10, "last": time.time()}), encoding="utf-8")
    right = secret_file(tmp_path / "right.txt", PASSWORD)

    dashboard = navigator("manager", env=env)
    report = navigator("report", *PERIOD, *records, "--password-file", str(right), env=env)

    for finished in (dashboard, report):
        assert finished.returncode == 1
        assert "locked for 15 more minutes" in finished.stderr


def test_the_policy_doubles_then_locks_for_15_minutes(tmp_path: Path) -> None:
    clock = Clock()
    attempts = Attempts(tmp_path / "count", clock=clock)
    waits = []
    for _ in range(9):
        door = attempts.failed()
        waits.append(door.seconds)
        clock.advance(door.seconds)
    assert waits == [0, 0, 2, 4, 8, 16, 32, 64, 128]
    locked = attempts.failed()
    assert (locked.state, locked.seconds) == ("locked", Policy().lockout)
    clock.advance(14 * 60)
    assert Attempts(tmp_path / "count", clock=clock).door().state == "locked"  # a restart
    clock.advance(61)
    assert attempts.door().is_open
    assert attempts.failed().state == "locked"  # after a lockout, each wrong try locks again


# --- Records files ------------------------------------------------------------------------


def test_the_records_database_and_outbox_are_readable_by_their_owner_only(
    env: dict[str, str],
) -> None:
    finished = navigator("demo-data", "--sessions", "20", env=env)
    assert finished.returncode == 0, finished.stderr
    data = Path(env["NAVIGATOR_DATA_DIR"])
    made = [data / "navigator.sqlite3"]

    from navigator.records.outbox import Outbox

    Outbox(data / "outbox.sqlite3").close()  # as the app's relay opens it
    made.append(data / "outbox.sqlite3")
    for path in made:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for path in data.glob("*.sqlite3-*"):
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


async def test_the_login_screen_makes_wrong_passwords_wait(tmp_path: Path) -> None:
    """The dashboard's prompt, under Pilot, with the clock moved by hand."""
    from textual.widgets import Input, Static

    from navigator.records.reports.access import load_hash
    from navigator.records.reports.review import Review, ReviewProblem

    set_password(tmp_path / "config", PASSWORD)
    clock = Clock()
    opened: list[bool] = []

    def open_review() -> Review:
        opened.append(True)
        raise ReviewProblem("no records here")  # reached only with the right password

    app = ManagerApp(
        load_hash(tmp_path / "config"), open_review, Attempts(tmp_path / "count", clock=clock)
    )

    async def attempt(password: str) -> str:
        app.screen.query_one("#login-password", Input).value = password
        await pilot.press("enter")
        await pilot.pause()
        problem = app.screen.query("#login-problem")
        return str(problem.only_one(Static).render()) if problem else "(the prompt closed)"

    async with app.run_test(size=(100, 30)) as pilot:
        await attempt("wrong password one")
        await attempt("wrong password two")
        assert "wait 2 seconds" in await attempt("wrong password three")
        assert "wait 2 seconds" in await attempt(PASSWORD)  # even the right one waits
        assert opened == []
        clock.advance(2)
        await attempt(PASSWORD)
    assert opened == [True]
    assert app.return_value == 2
