"""Shared fixtures: real YAML on disk, real databases, the real app."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from textual import constants
from textual.widgets import Input, TextArea

REPO = Path(__file__).resolve().parent.parent
DEMO_KNOWLEDGE = REPO / "knowledge"

# Property tests judge behaviour, not speed: on a loaded two-core CI machine, generation
# and each example can be slow, and a deadline or "too slow" health check would make
# the suite fail for reasons that say nothing about Navigator.
settings.register_profile(
    "navigator",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("navigator")


@pytest.fixture
def demo_knowledge_dir() -> Path:
    return DEMO_KNOWLEDGE


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
