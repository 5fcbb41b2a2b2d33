"""Sessions: `reached_services`, `has_unmet`, `has_safeguarding` flags and a covering index
for the managers' overview, backfilled from the child tables.

The overview counted each flag with an `EXISTS` probe per session into
`outcomes`, `unmet_needs` and `safeguarding_shown`; at a million sessions on
PostgreSQL that took seconds. With the flags on `sessions` and
`ix_sessions_started_at_overview` (which starts with `started_at`, so it also
replaces `ix_sessions_started_at`), the overview reads one index range.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FLAGS = ("reached_services", "has_unmet", "has_safeguarding")
OVERVIEW_COLUMNS = ["started_at", "reached_outcome", "end_how", *FLAGS]

BACKFILL = {
    "reached_services": (
        "EXISTS (SELECT 1 FROM outcomes o WHERE o.session_id = sessions.id AND o.offered > 0)"
    ),
    "has_unmet": "EXISTS (SELECT 1 FROM unmet_needs u WHERE u.session_id = sessions.id)",
    "has_safeguarding": (
        "EXISTS (SELECT 1 FROM safeguarding_shown g WHERE g.session_id = sessions.id)"
    ),
}
"""Each flag as the child tables say it: the same test the overview used to make per session."""


def upgrade() -> None:
    # The server default fills the existing rows (no table rewrite on PostgreSQL 11+).
    with op.batch_alter_table("sessions", recreate="never") as batch:
        for name in FLAGS:
            batch.add_column(
                sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false())
            )
    for name, condition in BACKFILL.items():
        op.execute(f"UPDATE sessions SET {name} = TRUE WHERE {condition}")
    op.drop_index("ix_sessions_started_at", table_name="sessions")
    op.create_index("ix_sessions_started_at_overview", "sessions", OVERVIEW_COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index("ix_sessions_started_at_overview", table_name="sessions")
    op.create_index("ix_sessions_started_at", "sessions", ["started_at"], unique=False)
    with op.batch_alter_table("sessions") as batch:
        for name in FLAGS:
            batch.drop_column(name)
