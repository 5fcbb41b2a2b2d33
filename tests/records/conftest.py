"""Real databases for the records tests: a SQLite file, and PostgreSQL when one is running.

Each PostgreSQL test gets its own freshly created database, dropped afterwards,
so tests are isolated and can run in parallel (pytest-xdist).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url

POSTGRES_ENV = "NAVIGATOR_TEST_POSTGRES_URL"
HOW_TO_START = (
    f"PostgreSQL tests need a server: set {POSTGRES_ENV}, or start a throwaway one with "
    "`source .ci/postgres.sh && start_postgres`"
)


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def _admin_conninfo(url: str) -> str:
    parsed = make_url(url)
    return (
        make_url(url)
        .set(drivername="postgresql", database=parsed.database)
        .render_as_string(hide_password=False)
    )


@contextmanager
def throwaway_postgres(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database named `{prefix}_...`, dropped afterwards.

    Skips the calling test (with how to start a server) when none is configured.
    """
    base = postgres_url()
    if base is None:
        pytest.skip(HOW_TO_START)
    name = f"{prefix}_{uuid.uuid4().hex[:16]}"
    admin = _admin_conninfo(base)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for this test only."""
    with throwaway_postgres("navigator_t") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The main records database, on each engine in turn (a fresh one per test)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'records' / 'navigator.sqlite3'}"
    url: str = request.getfixturevalue("fresh_postgres_url")
    return url
