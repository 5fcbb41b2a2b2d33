"""`session_days`: the managers' overview per day, kept by triggers on `sessions`, backfilled.

The first view over a whole region read every session of the last 13 weeks (about
1,050,000 of 10,000,000 in one PostgreSQL database: 1.9 s on a quiet machine, 4.4 s under
load). It now reads these daily rows instead (see `navigator.records.models.SessionDay`).

The rows are kept by the database, not by Python: a trigger on `sessions` adds what each
inserted row counts, subtracts what each deleted row counted, and moves an updated row's
counts, in the transaction that changed `sessions`. So every path that writes or deletes
sessions (the store, purging, scrubbing, the demo generator, plain SQL, a restore that
inserts rows) keeps them exact, with no refresh job and no stale "today". On PostgreSQL the
triggers run once per statement over its transition tables (a bulk copy of a million rows
adds grouped rows, not a million single updates), and each upsert takes its rows in key
order. On SQLite (one writer at a time) they run per row.

Revision ID: 0006_summary
Revises: 0005_scale
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_summary"
down_revision: str | None = "0005_scale"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "session_days"
KEYS = ("grain", "day", "site", "channel", "topic", "language")
COUNTS = ("sessions", "reached_services", "unmet", "safeguarding", "gave_up")
GAVE_UP = "('abandoned', 'timed_out')"
"""`queries.GAVE_UP_HOW`, frozen here as this revision saw it."""

# --- PostgreSQL: one function, three statement triggers over transition tables ----------


def _pg_rows(source: str, sign: int) -> str:
    """What each row of `source` (a transition table) counts, as the overview counts it."""
    return f"""SELECT (r.started_at AT TIME ZONE 'UTC')::date AS day, r.site, r.channel,
               coalesce(r.topic_id, '') AS topic, r.language, {sign} AS sign,
               (r.reached_services IS TRUE)::int AS reached_services,
               (r.has_unmet IS TRUE)::int AS unmet,
               (r.has_safeguarding IS TRUE)::int AS safeguarding,
               (r.reached_outcome IS FALSE AND (r.end_how IN {GAVE_UP} OR r.end_how IS NULL))::int
                 AS gave_up
        FROM {source} AS r"""


def _pg_apply(changes: str) -> str:
    """Add `changes` (rows with a sign) to both grains, in key order, skipping nets of 0."""
    sums = ", ".join(f"sum(c.sign * c.{name})" for name in COUNTS[1:])
    nonzero = " OR ".join(f"sum(c.sign * c.{name}) <> 0" for name in COUNTS[1:])
    updates = ", ".join(f"{name} = d.{name} + EXCLUDED.{name}" for name in COUNTS)
    return f"""
    INSERT INTO {TABLE} AS d ({", ".join(KEYS + COUNTS)})
    SELECT g.grain, c.day, c.site,
           CASE WHEN g.grain = 0 THEN c.channel ELSE '' END,
           CASE WHEN g.grain = 0 THEN c.topic ELSE '' END,
           c.language, sum(c.sign), {sums}
    FROM ({changes}) AS c CROSS JOIN (VALUES (0), (1)) AS g(grain)
    GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(c.sign) <> 0 OR {nonzero}
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ({", ".join(KEYS)}) DO UPDATE SET {updates};"""


PG_FUNCTION = f"""
CREATE FUNCTION session_days_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_pg_apply(_pg_rows("new_rows", 1))}
  ELSIF TG_OP = 'DELETE' THEN
    {_pg_apply(_pg_rows("old_rows", -1))}
  ELSIF TG_OP = 'UPDATE' THEN
    {_pg_apply(_pg_rows("new_rows", 1) + " UNION ALL " + _pg_rows("old_rows", -1))}
  ELSE
    DELETE FROM {TABLE};
  END IF;
  RETURN NULL;
END $$"""

PG_TRIGGERS = (
    "CREATE TRIGGER session_days_insert AFTER INSERT ON sessions REFERENCING NEW TABLE AS "
    "new_rows FOR EACH STATEMENT EXECUTE FUNCTION session_days_change()",
    "CREATE TRIGGER session_days_update AFTER UPDATE ON sessions REFERENCING OLD TABLE AS "
    "old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION session_days_change()",
    "CREATE TRIGGER session_days_delete AFTER DELETE ON sessions REFERENCING OLD TABLE AS "
    "old_rows FOR EACH STATEMENT EXECUTE FUNCTION session_days_change()",
    "CREATE TRIGGER session_days_truncate AFTER TRUNCATE ON sessions "
    "FOR EACH STATEMENT EXECUTE FUNCTION session_days_change()",
)

# --- SQLite: row triggers (one writer at a time) -------------------------------------------


def _sqlite_apply(row: str, sign: int) -> str:
    """Add what `row` (NEW or OLD) counts, times `sign`, to its rows of both grains."""
    day = f"date({row}.started_at)"
    counts = (
        f"{sign}, {sign} * ({row}.reached_services IS 1), {sign} * ({row}.has_unmet IS 1), "
        f"{sign} * ({row}.has_safeguarding IS 1), {sign} * ({row}.reached_outcome IS 0 AND "
        f"({row}.end_how IN {GAVE_UP} OR {row}.end_how IS NULL))"
    )
    updates = ", ".join(f"{name} = {name} + excluded.{name}" for name in COUNTS)
    return (
        f"INSERT INTO {TABLE} ({', '.join(KEYS + COUNTS)}) VALUES "
        f"(0, {day}, {row}.site, {row}.channel, coalesce({row}.topic_id, ''), {row}.language, "
        f"{counts}), (1, {day}, {row}.site, '', '', {row}.language, {counts}) "
        f"ON CONFLICT ({', '.join(KEYS)}) DO UPDATE SET {updates};"
    )


WATCHED = ("started_at", "site", "channel", "topic_id", "language", "reached_outcome",
           "end_how", "reached_services", "has_unmet", "has_safeguarding")  # fmt: skip
"""The columns of `sessions` the rows depend on: an update that changes none of them (the
store setting a flag already set, `ended_at`, `need_id`) leaves the summary alone."""

SQLITE_TRIGGERS = (
    f"CREATE TRIGGER session_days_insert AFTER INSERT ON sessions BEGIN "
    f"{_sqlite_apply('NEW', 1)} END",
    f"CREATE TRIGGER session_days_delete AFTER DELETE ON sessions BEGIN "
    f"{_sqlite_apply('OLD', -1)} END",
    f"CREATE TRIGGER session_days_update AFTER UPDATE ON sessions WHEN "
    + " OR ".join(f"OLD.{name} IS NOT NEW.{name}" for name in WATCHED)
    + f" BEGIN {_sqlite_apply('OLD', -1)} {_sqlite_apply('NEW', 1)} END",
)

# --- Backfill: the finest grain from sessions, the coarse one from it ------------------------

DAY = {"postgresql": "(started_at AT TIME ZONE 'UTC')::date", "sqlite": "date(started_at)"}
TRUE, FALSE = {"postgresql": "TRUE", "sqlite": "1"}, {"postgresql": "FALSE", "sqlite": "0"}


def _backfill(dialect: str) -> tuple[str, str]:
    def flag(condition: str) -> str:
        return f"sum(CASE WHEN {condition} THEN 1 ELSE 0 END)"

    is_true, is_false = TRUE[dialect], FALSE[dialect]
    finest = f"""
        INSERT INTO {TABLE} ({", ".join(KEYS + COUNTS)})
        SELECT 0, {DAY[dialect]}, site, channel, coalesce(topic_id, ''), language, count(*),
               {flag(f"reached_services IS {is_true}")}, {flag(f"has_unmet IS {is_true}")},
               {flag(f"has_safeguarding IS {is_true}")},
               {flag(f"reached_outcome IS {is_false} AND (end_how IN {GAVE_UP} OR end_how IS NULL)")}
        FROM sessions GROUP BY 2, 3, 4, 5, 6"""
    coarse = f"""
        INSERT INTO {TABLE} ({", ".join(KEYS + COUNTS)})
        SELECT 1, day, site, '', '', language, {", ".join(f"sum({name})" for name in COUNTS)}
        FROM {TABLE} WHERE grain = 0 GROUP BY day, site, language"""
    return finest, coarse


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        TABLE,
        sa.Column("grain", sa.SmallInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("site", sa.String(length=80), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("topic", sa.String(length=80), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
        sa.PrimaryKeyConstraint(*KEYS, name=op.f("pk_session_days")),
        sqlite_with_rowid=False,
    )
    # Triggers first, then the backfill, in one transaction: on PostgreSQL the trigger takes
    # a lock that holds writers off until commit, so no session is counted twice or missed.
    if dialect == "postgresql":
        op.execute(PG_FUNCTION)
        for statement in PG_TRIGGERS:
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    for statement in _backfill(dialect):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name in ("insert", "update", "delete", "truncate"):
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS session_days_{name} ON sessions")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS session_days_{name}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS session_days_change()")
    op.drop_table(TABLE)
