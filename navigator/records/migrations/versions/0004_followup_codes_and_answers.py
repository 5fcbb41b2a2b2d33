"""Follow-up: `followup_codes` (a code's hash per pathway) and `followup_answers` ("Did you
get help?", kept against that pathway).

Revision ID: 0004_followup
Revises: 0003_referrals
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0004_followup"
down_revision: str | None = "0003_referrals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "followup_codes",
        sa.Column("session_id", sa.String(64), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name="fk_followup_codes_session_id_sessions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name="pk_followup_codes"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_followup_codes_code_hash", "followup_codes", ["code_hash"], unique=True)
    op.create_index("ix_followup_codes_issued_at", "followup_codes", ["issued_at"])
    op.create_table(
        "followup_answers",
        sa.Column("session_id", sa.String(64), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("contacted", sa.Boolean(), nullable=False),
        sa.Column("helped", sa.String(16), nullable=True),
        sa.Column("reason", sa.String(80), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name="fk_followup_answers_session_id_sessions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name="pk_followup_answers"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_followup_answers_answered_at", "followup_answers", ["answered_at"])


def downgrade() -> None:
    op.drop_table("followup_answers")
    op.drop_table("followup_codes")
