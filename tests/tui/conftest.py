"""Fixtures for the resident app's tests: a real knowledge base on disk, the real app."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from navigator.config import Settings
from navigator.engine.events import Event
from navigator.kb import KnowledgeBase, load
from navigator.tui.app import AppConfig, KioskApp, NavigatorApp
from navigator.tui.kiosk.pin import hash_pin

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TEST_KB = HERE / "data" / "kb"
MESSAGES = REPO / "knowledge" / "messages"
STAFF_PIN = "480213"


@pytest.fixture(scope="session")
def test_kb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test borough, with the real app and engine messages copied beside it."""
    root = tmp_path_factory.mktemp("kb")
    shutil.copytree(TEST_KB, root, dirs_exist_ok=True)
    shutil.copytree(MESSAGES, root / "messages")
    return root


@pytest.fixture(scope="session")
def test_kb(test_kb_dir: Path) -> KnowledgeBase:
    result = load(test_kb_dir)
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.knowledge


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        config_dir=tmp_path / "config",
        site="test-library",
        print_command=f"sh -c 'cat > {tmp_path / 'printed.txt'}'",
        idle_timeout_seconds=90,
        idle_warning_seconds=30,
    )


class Clock:
    """A clock the tests move by hand: the idle guard is never slept on."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def events() -> list[Event]:
    return []


@pytest.fixture
def make_app(
    settings: Settings, test_kb: KnowledgeBase, events: list[Event], clock: Clock
) -> Iterator[Callable[..., NavigatorApp]]:
    """Build the resident app (or, with kiosk=True, the kiosk) on the test borough."""

    def build(*, kiosk: bool = False, **changes: object) -> NavigatorApp:
        options: dict[str, object] = {
            "settings": settings,
            "knowledge": test_kb,
            "channel": "kiosk" if kiosk else "resident",
            "listeners": (events.append,),
            "record": False,
            "clock": clock,
            "idle": kiosk,
        }
        options.update(changes)
        config = AppConfig(**options)  # type: ignore[arg-type]
        if kiosk:
            return KioskApp(config, hash_pin(STAFF_PIN))
        return NavigatorApp(config)

    yield build


def kinds(events: list[Event]) -> list[str]:
    return [event.kind for event in events]
