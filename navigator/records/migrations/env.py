"""Alembic environment: migrations run against the records tables' metadata.

`navigator db upgrade` passes an open connection in `config.attributes`; the
alembic command line (for writing new revisions) uses `sqlalchemy.url` or
NAVIGATOR_DATABASE_URL instead.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from navigator.records.database import make_engine
from navigator.records.models import METADATA


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=METADATA,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url") or os.environ.get(
        "NAVIGATOR_DATABASE_URL"
    )
    if not url:
        raise SystemExit("set sqlalchemy.url or NAVIGATOR_DATABASE_URL to run migrations")
    engine = make_engine(url, writing=True)
    with engine.begin() as connection:
        _run(connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run against a database")
run_migrations_online()
