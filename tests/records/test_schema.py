"""The migrations build exactly the tables the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from navigator.records.database import (
    SCHEMA_HEAD,
    connected,
    current_revision,
    ensure_schema,
    head_revision,
    sqlite_file,
    upgrade,
)
from navigator.records.models import METADATA


def test_migrated_schema_equals_the_models(database_url: str) -> None:
    with connected(database_url, writing=True) as engine:
        upgrade(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "target_metadata": METADATA}
            )
            differences = compare_metadata(context, METADATA)
            assert differences == []
            assert current_revision(connection) == head_revision()
            tables = set(inspect(connection).get_table_names())
    assert set(METADATA.tables) <= tables


def test_upgrade_twice_changes_nothing(database_url: str) -> None:
    with connected(database_url, writing=True) as engine:
        upgrade(engine)
        upgrade(engine)
        ensure_schema(engine)
        with engine.connect() as connection:
            assert current_revision(connection) == head_revision()


def test_fresh_sqlite_file_and_folder_are_created_on_first_use(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'not' / 'yet' / 'there.sqlite3'}"
    with connected(url, writing=True) as engine:
        ensure_schema(engine)
        with engine.connect() as connection:
            mode = connection.execute(text("PRAGMA journal_mode")).scalar()
            keys = connection.execute(text("PRAGMA foreign_keys")).scalar()
            assert current_revision(connection) == head_revision()
    path = sqlite_file(url)
    assert path is not None and path.is_file()
    assert mode == "wal"
    assert keys == 1


def test_the_schema_head_constant_is_alembics_head() -> None:
    """The writer checks the schema without loading Alembic, against this constant."""
    assert head_revision() == SCHEMA_HEAD


def test_sqlite_tables_are_stored_without_rowid(tmp_path: Path) -> None:
    with connected(f"sqlite:///{tmp_path / 'x.sqlite3'}", writing=True) as engine:
        upgrade(engine)
        with engine.connect() as connection:
            ddl = connection.execute(text("SELECT sql FROM sqlite_master WHERE name = 'steps'"))
            assert "WITHOUT ROWID" in ddl.scalar_one()
