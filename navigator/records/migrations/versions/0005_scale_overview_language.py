"""Sessions: the overview's covering index holds `language` too.

The overview tab shows sessions by language beside the headline and the weekly trend,
and since this revision both come from one grouped query (by week and language). With
`language` in `ix_sessions_started_at_overview`, that query stays one index-only range
scan on both engines; without it, every session of the period was read from the table
(at 1,000,000 sessions the first view went over its 1 s aim on SQLite: docs/performance.md).

Revision ID: 0005_scale
Revises: 0004_followup
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005_scale"
down_revision: str | None = "0004_followup"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ["started_at", "reached_outcome", "end_how", "reached_services", "has_unmet",
          "has_safeguarding"]  # fmt: skip
INDEX = "ix_sessions_started_at_overview"


def upgrade() -> None:
    op.drop_index(INDEX, table_name="sessions")
    op.create_index(INDEX, "sessions", [*BEFORE, "language"], unique=False)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="sessions")
    op.create_index(INDEX, "sessions", BEFORE, unique=False)
