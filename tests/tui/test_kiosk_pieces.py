"""The staff PIN file, the lock-down checks and the idle guard, on their own."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from navigator.tui.kiosk.idle import IdleGuard
from navigator.tui.kiosk.lockdown import WEB_DRIVER, lockdown_problems
from navigator.tui.kiosk.pin import (
    PinFileError,
    PinHash,
    hash_pin,
    load_pin,
    pin_path,
    pin_problem,
    save_pin,
)


def test_a_pin_is_stored_only_as_a_salted_hash(tmp_path: Path) -> None:
    path = save_pin(tmp_path, "480213")
    stored = path.read_text(encoding="ascii")
    assert "480213" not in stored
    assert stored.startswith("scrypt$")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = load_pin(tmp_path)
    assert loaded is not None
    assert loaded.matches("480213")
    assert not loaded.matches("480214")
    assert not loaded.matches("")


def test_the_same_pin_hashes_differently_each_time() -> None:
    first, second = hash_pin("480213"), hash_pin("480213")
    assert first.salt != second.salt and first.digest != second.digest
    assert PinHash.decode(first.encode()) == first


@pytest.mark.parametrize(
    ("pin", "why"),
    [
        ("12345", "at least 6"),
        ("123456", "too easy"),
        ("111111", "too easy"),
        ("654321", "too easy"),
        ("48a213", "digits only"),
        ("٤٨٠٢١٣", "digits only"),
        ("1" * 40, "at most"),
    ],
)
def test_weak_or_odd_pins_are_refused(pin: str, why: str, tmp_path: Path) -> None:
    problem = pin_problem(pin)
    assert problem is not None and why in problem
    with pytest.raises(ValueError, match=why):
        save_pin(tmp_path, pin)
    assert not pin_path(tmp_path).exists()


def test_no_pin_file_means_no_pin(tmp_path: Path) -> None:
    assert load_pin(tmp_path) is None


def test_a_damaged_pin_file_says_how_to_fix_it(tmp_path: Path) -> None:
    pin_path(tmp_path).write_text("not a hash\n", encoding="ascii")
    with pytest.raises(PinFileError, match="navigator kiosk set-pin"):
        load_pin(tmp_path)


def test_a_clean_environment_is_safe_for_a_kiosk() -> None:
    assert lockdown_problems({"HOME": "/home/kiosk", "TERM": "xterm"}) == []
    assert lockdown_problems({"TEXTUAL_DRIVER": WEB_DRIVER, "PYTHONBREAKPOINT": "0"}) == []


@pytest.mark.parametrize(
    "variable",
    [
        "TEXTUAL_ALLOW_SIGNALS",
        "TEXTUAL_SCREENSHOT",
        "TEXTUAL_LOG",
        "TEXTUAL_DEBUG",
        "TEXTUAL_PRESS",
        "NAVIGATOR_DEBUG",
    ],
)
def test_settings_that_undo_lockdown_are_named(variable: str) -> None:
    problems = lockdown_problems({variable: "1"})
    assert len(problems) == 1 and problems[0].startswith(variable)


def test_textual_developer_features_and_other_drivers_are_refused() -> None:
    problems = lockdown_problems({"TEXTUAL": "debug,devtools", "TEXTUAL_DRIVER": "my:Driver"})
    assert len(problems) == 3


def test_idle_guard_warns_then_expires() -> None:
    guard = IdleGuard(timeout_seconds=90, warning_seconds=30, now=0)
    guard.touch(0)
    assert guard.sweep(89.9).phase == "active"
    warning = guard.sweep(90)
    assert (warning.phase, warning.seconds_left) == ("warning", 30)
    assert guard.sweep(119.5).seconds_left == 1
    assert guard.sweep(120).phase == "expired"


def test_any_input_restarts_the_whole_timeout() -> None:
    guard = IdleGuard(timeout_seconds=90, warning_seconds=30, now=0)
    guard.touch(0)
    guard.touch(100)
    assert guard.sweep(189).phase == "active"


def test_a_disarmed_guard_never_expires_until_touched() -> None:
    guard = IdleGuard(timeout_seconds=90, warning_seconds=30, now=0)
    assert guard.sweep(10_000).phase == "active"
    guard.touch(10_000)
    guard.disarm(10_001)
    assert guard.sweep(99_999).phase == "active"


def test_idle_guard_refuses_nonsense_times() -> None:
    with pytest.raises(ValueError, match="more than 0"):
        IdleGuard(timeout_seconds=0, warning_seconds=30, now=0)
