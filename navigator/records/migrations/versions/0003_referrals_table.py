"""Referrals: the anonymous status of each warm referral an advocate sent (issue 20).

Ids, the random reply code, the service's answer and when it came; never the
resident's name, contact details or note, which went to the service only.

Revision ID: 0003_referrals
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_referrals"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "referrals",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("service_id", sa.String(length=80), nullable=False),
        sa.Column("need_id", sa.String(length=80), nullable=True),
        sa.Column("topic_id", sa.String(length=80), nullable=True),
        sa.Column("node_id", sa.String(length=80), nullable=True),
        sa.Column("delivery", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="sent", nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_referrals_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "sequence", name=op.f("pk_referrals")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_referrals_code", "referrals", ["code"], unique=True)
    op.create_index("ix_referrals_service_id_at", "referrals", ["service_id", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_referrals_service_id_at", table_name="referrals")
    op.drop_index("ix_referrals_code", table_name="referrals")
    op.drop_table("referrals")
