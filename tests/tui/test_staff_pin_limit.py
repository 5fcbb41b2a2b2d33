"""The staff PIN cannot be guessed: waits that double after 3 wrong PINs, a lockout after 10.

The real kiosk app under Pilot, with the clock moved by hand and wrong PINs
counted in a real file in the test's data folder; a "restart" is a new app
reading the same file.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from navigator.attempts import Attempts
from navigator.config import Settings
from navigator.tui.app import STAFF_EXIT_KEY, KioskApp
from navigator.tui.kiosk.pin import attempts_path, hash_pin
from navigator.tui.screens.staff_exit import StaffExitScreen
from tests.support.clock import Clock
from tests.tui.conftest import STAFF_PIN
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(120)

SIZE = (100, 45)
WRONG = "111222"


@pytest.fixture
def wall() -> Clock:
    return Clock()


@pytest.fixture
def make_kiosk(
    app_config: Callable[..., object], settings: Settings, wall: Clock
) -> Callable[[], KioskApp]:
    def build() -> KioskApp:
        config = app_config(channel="kiosk", idle=True)
        attempts = Attempts(attempts_path(settings.data_dir), clock=wall)
        return KioskApp(config, hash_pin(STAFF_PIN), attempts)  # type: ignore[arg-type]

    return build


async def type_pin(pilot: object, pin: str) -> None:
    await pilot.press(*pin, "enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_waits_double_after_three_wrong_pins_and_the_right_pin_waits_too(
    make_kiosk: Callable[[], KioskApp], wall: Clock
) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(STAFF_EXIT_KEY)
        await pilot.pause()
        for _ in range(3):
            await type_pin(pilot, WRONG)
        assert "Wait 2 seconds" in flat(screen_text(app))

        await type_pin(pilot, STAFF_PIN)  # too soon: not even checked
        assert not app.staff_exited
        assert "Wait 2 seconds" in flat(screen_text(app))

        wall.advance(2)
        await type_pin(pilot, WRONG)  # the fourth wrong one: the wait doubles
        assert "Wait 4 seconds" in flat(screen_text(app))
        wall.advance(4)
        await type_pin(pilot, WRONG)
        assert "Wait 8 seconds" in flat(screen_text(app))

        wall.advance(8)
        await type_pin(pilot, STAFF_PIN)
    assert app.staff_exited


async def test_ten_wrong_pins_lock_staff_exit_for_15_minutes_across_a_restart(
    make_kiosk: Callable[[], KioskApp], wall: Clock, settings: Settings
) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(STAFF_EXIT_KEY)
        await pilot.pause()
        for _ in range(10):
            await type_pin(pilot, WRONG)
            wall.advance(600)  # each wait is over before the next try
        wall.advance(-600)
        said = flat(screen_text(app))
        assert "staff exit is locked for 15 more minutes" in said
        assert "carries on for residents" in said
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StaffExitScreen)  # residents carry on
        await pilot.press("1")
        await pilot.pause()
        assert not app._exit

    counted = attempts_path(settings.data_dir)
    assert stat.S_IMODE(counted.stat().st_mode) == 0o600
    assert not list(counted.parent.glob(".attempts-*"))  # written by replacing, nothing left

    wall.advance(14 * 60)
    restarted = make_kiosk()
    async with restarted.run_test(size=SIZE) as pilot:
        await pilot.press(STAFF_EXIT_KEY)
        await pilot.pause()
        assert "locked for 1 more minute." in flat(screen_text(restarted))
        await type_pin(pilot, STAFF_PIN)
        assert not restarted.staff_exited
        wall.advance(61)
        await type_pin(pilot, STAFF_PIN)
    assert restarted.staff_exited
    assert not counted.exists()  # the right PIN starts the count again


def test_a_damaged_count_is_a_lockout_not_a_reset(tmp_path: Path, wall: Clock) -> None:
    path = tmp_path / "kiosk-pin.attempts"
    path.write_text("{not json", encoding="utf-8")
    assert Attempts(path, clock=lambda: path.stat().st_mtime + 1).door().state == "locked"
