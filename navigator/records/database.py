"""Connecting to the main records database (SQLite or PostgreSQL) and keeping its schema current.

SQLite is set up for a single machine that must not lose anything: WAL (readers
never block the writer), `synchronous=FULL` (a commit survives power loss, so
deleting from the outbox after it is safe), foreign keys on, and a busy
timeout. Writers begin with `BEGIN IMMEDIATE`, which takes the write lock at
the start, so two processes never deadlock upgrading a read lock, and which
makes DDL transactional, so a migration either happens or does not.

PostgreSQL is used as is; migrations take an advisory lock so twenty kiosks
starting at once against a fresh server create the schema once.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.engine import URL

from navigator.records.files import owner_only_file

if TYPE_CHECKING:
    from alembic.config import Config

SCHEMA_HEAD = "0006_summary"
"""The newest migration's revision. A test checks it against Alembic's own head."""

MIGRATIONS_LOCK = 4_242_001
"""PostgreSQL advisory lock id held while migrating."""


class SchemaNotCurrent(Exception):
    """The main database's schema is older or newer than this version of Navigator."""


def display_url(url: str | URL) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def sqlite_file(url: str | URL) -> Path | None:
    """The file of a SQLite URL, or None for another engine or an in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def make_engine(
    url: str | URL,
    *,
    writing: bool = False,
    busy_timeout: float = 5.0,
    sqlite_pragmas: Mapping[str, str | int] | None = None,
    connect_timeout: int = 5,
) -> Engine:
    """An engine for the main database.

    `writing=True` makes SQLite transactions `BEGIN IMMEDIATE` (the writer wants
    the lock from the start); readers such as reports leave it False.
    `sqlite_pragmas` are applied to every new SQLite connection after the
    defaults (tests use `max_page_count` to fill the disk).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, writing, busy_timeout, dict(sqlite_pragmas or {}))
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = connect_timeout
    return create_engine(
        parsed, pool_pre_ping=True, pool_size=2, max_overflow=2, connect_args=connect_args
    )


def _create_private(path: Path) -> None:
    """Create the records file readable by its owner only (0600), like the PIN file.

    SQLite would create it with the process's umask (often world-readable);
    an empty file is a valid empty database, and SQLite gives its journal
    files the same permissions. An existing file is left as it is.
    """
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _sqlite_engine(
    url: URL, writing: bool, busy_timeout: float, pragmas: dict[str, str | int]
) -> Engine:
    path = sqlite_file(url)
    if path is not None and writing:
        owner_only_file(path)
    elif path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        _create_private(path)
    engine = create_engine(url, connect_args={"timeout": busy_timeout})
    begin = "BEGIN IMMEDIATE" if writing else "BEGIN"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        settings: dict[str, str | int] = {
            "busy_timeout": int(busy_timeout * 1000),
            "journal_mode": "WAL",
            "synchronous": "FULL",
            "foreign_keys": "ON",
        }
        settings.update(pragmas)
        for name, value in settings.items():
            dbapi_connection.execute(f"PRAGMA {name}={value}")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql(begin)

    return engine


# --- Migrations ------------------------------------------------------------------------


def alembic_config() -> Config:
    """Alembic's settings, pointing at the migrations inside the package."""
    from alembic.config import Config

    config = Config()
    location = resources.files("navigator.records") / "migrations"
    config.set_main_option("script_location", str(location))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise SchemaNotCurrent("the package has no migrations")
    return head


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Apply every migration not yet applied, in one transaction."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATIONS_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def ensure_schema(engine: Engine) -> None:
    """Make the schema current where that is safe; otherwise say what to run.

    A SQLite file belongs to this machine, so it is upgraded. A PostgreSQL
    database is shared, so only an empty one is set up here; an older schema
    there is a job for `navigator db upgrade`, run once by whoever looks after it.
    """
    if _recorded_revision(engine) == SCHEMA_HEAD:
        return  # the usual case, answered without loading Alembic
    head = head_revision()
    with engine.connect() as connection:
        revision = current_revision(connection)
        empty = not inspect(connection).get_table_names()
    if revision == head:
        return
    if engine.dialect.name == "sqlite" or (revision is None and empty):
        upgrade(engine)
        return
    raise SchemaNotCurrent(
        f"the records database {display_url(engine.url)} is at schema {revision or 'none'}, "
        f"this version of Navigator needs {head}: run `navigator db upgrade`"
    )


def _recorded_revision(engine: Engine) -> str | None:
    """The revision in `alembic_version`, or None where there is no such table yet."""
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect() as connection:
            version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError as error:
        if "alembic_version" in str(error.orig):  # no such table / relation does not exist
            return None
        raise
    return None if version is None else str(version)


@contextmanager
def connected(url: str | URL, **options: Any) -> Iterator[Engine]:
    """An engine that is disposed of afterwards (for commands and tests)."""
    engine = make_engine(url, **options)
    try:
        yield engine
    finally:
        engine.dispose()
