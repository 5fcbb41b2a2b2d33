"""Fixtures for the manager's review: a small real knowledge base and known sessions in a real
database (SQLite, and PostgreSQL when NAVIGATOR_TEST_POSTGRES_URL is set).

The known sessions are stored once per test module and engine: the review only reads them.
PostgreSQL databases come from the records tests' helpers (a fresh database, dropped after).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from navigator.kb import KnowledgeBase
from navigator.records.database import make_engine, upgrade
from navigator.records.reports.review import Review
from tests.manager.known_data import TODAY, known_sessions, store, write_knowledge
from tests.records.conftest import throwaway_postgres


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return write_knowledge(tmp_path_factory.mktemp("knowledge"))


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def known_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database for this module, on each engine in turn."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('records') / 'navigator.sqlite3'}"
        return
    with throwaway_postgres("navigator_m") as url:
        yield url


@pytest.fixture(scope="module")
def review(known_database_url: str, knowledge: KnowledgeBase) -> Iterator[Review]:
    """A review of the known sessions, with today fixed so content health is exact."""
    engine = make_engine(known_database_url, writing=True)
    upgrade(engine)
    store(engine, known_sessions(knowledge.content_hash))
    try:
        yield Review(engine=engine, knowledge=knowledge, threshold=5, today=lambda: TODAY)
    finally:
        engine.dispose()


def sqlite_review(folder: Path, knowledge: KnowledgeBase) -> Review:
    """A review of the known sessions in a fresh SQLite file (for app and command tests)."""
    engine = make_engine(f"sqlite:///{folder / 'navigator.sqlite3'}", writing=True)
    upgrade(engine)
    store(engine, known_sessions(knowledge.content_hash))
    return Review(engine=engine, knowledge=knowledge, threshold=5, today=lambda: TODAY)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty, upgraded records database for this test only, on each engine in turn (the
    PostgreSQL one skips without NAVIGATOR_TEST_POSTGRES_URL)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'navigator.sqlite3'}", writing=True)
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    with throwaway_postgres("navigator_f") as url:
        engine = make_engine(url, writing=True)
        upgrade(engine)
        try:
            yield engine
        finally:
            engine.dispose()
