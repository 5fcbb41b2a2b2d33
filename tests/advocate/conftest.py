"""Fixtures for advocate mode's tests: a small knowledge base on disk, the real app."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from navigator.config import Settings
from navigator.engine.events import Event
from navigator.kb import KnowledgeBase, load
from navigator.tui.advocate.app import AdvocateApp
from navigator.tui.app import AppConfig
from navigator.tui.theme import CALM

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TEST_KB = HERE / "data" / "kb"
MESSAGES = REPO / "knowledge" / "messages"
TODAY = dt.date(2026, 3, 3)
SITE = "market-hall"


@pytest.fixture(scope="session")
def advocate_kb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test borough, with the real engine, app and advocate words copied beside it."""
    root = tmp_path_factory.mktemp("advocate-kb")
    shutil.copytree(TEST_KB, root, dirs_exist_ok=True)
    shutil.copytree(MESSAGES, root / "messages")
    return root


@pytest.fixture(scope="session")
def advocate_kb(advocate_kb_dir: Path) -> KnowledgeBase:
    result = load(advocate_kb_dir)
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.knowledge


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        config_dir=tmp_path / "config",
        site=SITE,
        print_command=f"sh -c 'cat > {tmp_path / 'printed.txt'}'",
    )


@pytest.fixture
def events() -> list[Event]:
    return []


@pytest.fixture
def make_app(
    settings: Settings, advocate_kb: KnowledgeBase, events: list[Event], tmp_path: Path
) -> Callable[..., AdvocateApp]:
    """Build advocate mode on the test borough; records off unless `record=True`."""

    def build(**changes: object) -> AdvocateApp:
        options: dict[str, object] = {
            "settings": settings,
            "knowledge": advocate_kb,
            "channel": "advocate",
            "listeners": (events.append,),
            "record": False,
            "theme": CALM,
        }
        options.update(changes)
        config = AppConfig(**options)  # type: ignore[arg-type]
        return AdvocateApp(config, today=lambda: TODAY, home=tmp_path)

    return build
