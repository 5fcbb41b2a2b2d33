"""Shared fixtures: real YAML on disk, real databases, the real app."""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from textual import constants
from textual.widgets import Input, TextArea

from navigator.config import Settings
from navigator.engine.events import Event
from navigator.kb import KnowledgeBase
from tests.pty_terminal import Terminal, opened_terminals
from tests.support.clock import Clock
from tests.support.kb import copy_test_borough, load_ok

if TYPE_CHECKING:
    from navigator.tui.app import AppConfig

REPO = Path(__file__).resolve().parent.parent
WALL_CLOCK = dt.datetime(2026, 12, 2, 11, 0)
"""A Wednesday morning: what the apps under test take "now" to be, so cards say the same."""
DEMO_KNOWLEDGE = REPO / "knowledge"

# Property tests judge behaviour, not speed: on a loaded two-core CI machine, generation
# and each example can be slow, and a deadline or "too slow" health check would make
# the suite fail for reasons that say nothing about Navigator.
hypothesis_settings.register_profile(
    "navigator",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
hypothesis_settings.load_profile("navigator")


@pytest.fixture
def demo_knowledge_dir() -> Path:
    return DEMO_KNOWLEDGE


@pytest.fixture(scope="session")
def demo_kb() -> KnowledgeBase:
    """The demo knowledge base (knowledge/), loaded once; it must load cleanly."""
    return load_ok(DEMO_KNOWLEDGE)


@pytest.fixture(scope="session")
def test_kb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test borough (tests/support/data/kb) with the real messages, shared read-only."""
    return copy_test_borough(tmp_path_factory.mktemp("kb"))


@pytest.fixture(scope="session")
def test_kb(test_kb_dir: Path) -> KnowledgeBase:
    return load_ok(test_kb_dir)


@pytest.fixture
def site() -> str:
    """The site the app says it runs at; a folder's conftest may name another."""
    return "test-library"


@pytest.fixture
def settings(tmp_path: Path, site: str) -> Settings:
    """Settings with every folder in this test's own temp folder and printing to a file."""
    return Settings(
        data_dir=tmp_path / "data",
        config_dir=tmp_path / "config",
        site=site,
        print_command=f"sh -c 'cat > {tmp_path / 'printed.txt'}'",
        idle_timeout_seconds=90,
        idle_warning_seconds=30,
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def events() -> list[Event]:
    """Every event the app hands its listeners, in order (what the records store would get)."""
    return []


@pytest.fixture
def app_config(
    settings: Settings, test_kb: KnowledgeBase, events: list[Event]
) -> Callable[..., AppConfig]:
    """Build an app's config on the test borough; records off; keyword arguments override.

    The app is imported only when a test builds one, so the knowledge and records
    tests never load the front end.
    """

    def build(**changes: object) -> AppConfig:
        from navigator.tui.app import AppConfig

        options: dict[str, object] = {
            "settings": settings,
            "knowledge": test_kb,
            "listeners": (events.append,),
            "record": False,
            "wall_clock": lambda: WALL_CLOCK,
        }
        options.update(changes)
        return AppConfig(**options)  # type: ignore[arg-type]

    return build


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests (Textual's `run_test`) each in a fresh event loop.

    This keeps the suite free of an async plugin: each test gets its own loop,
    as `asyncio.run` gives, and nothing leaks between tests.
    """
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True


@pytest.fixture(autouse=True)
def _steady_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """No blinking cursors and no animations, so what is on screen does not depend on timing."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)
    monkeypatch.setattr(constants, "TEXTUAL_ANIMATIONS", "none")


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    """Programs a test starts in pseudo-terminals, each closed when the test ends."""
    with opened_terminals() as opened:
        yield opened
