"""Records: every table (sessions, steps, outcomes, unmet needs, safeguarding, feedback,
context, event receipts) with the indexes the manager's reports use.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("site", sa.String(length=80), nullable=False),
        sa.Column("content_hash", sa.String(length=128), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_how", sa.String(length=16), nullable=True),
        sa.Column("last_node_id", sa.String(length=80), nullable=True),
        sa.Column("reached_outcome", sa.Boolean(), nullable=False),
        sa.Column("topic_id", sa.String(length=80), nullable=True),
        sa.Column("need_id", sa.String(length=80), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_sessions_channel_started_at", "sessions", ["channel", "started_at"], unique=False
    )
    op.create_index("ix_sessions_site_started_at", "sessions", ["site", "started_at"], unique=False)
    op.create_index("ix_sessions_started_at", "sessions", ["started_at"], unique=False)
    op.create_index(
        "ix_sessions_topic_id_started_at", "sessions", ["topic_id", "started_at"], unique=False
    )

    op.create_table(
        "contexts",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("postcode_district", sa.String(length=8), nullable=True),
        sa.Column("age_band", sa.String(length=40), nullable=True),
        sa.Column("household", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_contexts_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_contexts")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_contexts_postcode_district", "contexts", ["postcode_district"], unique=False
    )

    op.create_table(
        "events",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_events_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_events")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_events_received_at", "events", ["received_at"], unique=False)
    op.create_index("ix_events_session_id", "events", ["session_id"], unique=False)

    op.create_table(
        "feedback",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("node_id", sa.String(length=80), nullable=False),
        sa.Column("helped", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_feedback_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "sequence", name=op.f("pk_feedback")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_feedback_at", "feedback", ["at"], unique=False)
    op.create_index("ix_feedback_node_id", "feedback", ["node_id"], unique=False)

    op.create_table(
        "outcome_services",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fit", sa.String(length=16), nullable=False),
        sa.Column("failed_rule", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_outcome_services_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "session_id", "sequence", "service_id", name=op.f("pk_outcome_services")
        ),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_outcome_services_fit_at", "outcome_services", ["fit", "at"], unique=False)
    op.create_index(
        "ix_outcome_services_service_id_at", "outcome_services", ["service_id", "at"], unique=False
    )

    op.create_table(
        "outcomes",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("topic_id", sa.String(length=80), nullable=False),
        sa.Column("need_id", sa.String(length=80), nullable=False),
        sa.Column("node_id", sa.String(length=80), nullable=False),
        sa.Column("offered", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_outcomes_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "sequence", name=op.f("pk_outcomes")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_outcomes_at", "outcomes", ["at"], unique=False)
    op.create_index("ix_outcomes_node_id", "outcomes", ["node_id"], unique=False)
    op.create_index("ix_outcomes_topic_id_at", "outcomes", ["topic_id", "at"], unique=False)

    op.create_table(
        "safeguarding_shown",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("crisis_kind", sa.String(length=80), nullable=False),
        sa.Column("node_id", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_safeguarding_shown_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "sequence", name=op.f("pk_safeguarding_shown")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_safeguarding_shown_at", "safeguarding_shown", ["at"], unique=False)
    op.create_index(
        "ix_safeguarding_shown_crisis_kind_at",
        "safeguarding_shown",
        ["crisis_kind", "at"],
        unique=False,
    )

    op.create_table(
        "steps",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("topic_id", sa.String(length=80), nullable=True),
        sa.Column("need_id", sa.String(length=80), nullable=True),
        sa.Column("node_id", sa.String(length=80), nullable=True),
        sa.Column("option_id", sa.String(length=80), nullable=True),
        sa.Column("to_node_id", sa.String(length=80), nullable=True),
        sa.Column("via", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_steps_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "sequence", name=op.f("pk_steps")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_steps_at", "steps", ["at"], unique=False)
    op.create_index("ix_steps_topic_id_node_id", "steps", ["topic_id", "node_id"], unique=False)

    op.create_table(
        "unmet_needs",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("need_id", sa.String(length=80), nullable=True),
        sa.Column("reason", sa.String(length=80), nullable=False),
        sa.Column("topic_id", sa.String(length=80), nullable=True),
        sa.Column("node_id", sa.String(length=80), nullable=True),
        sa.Column("recorded_by", sa.String(length=16), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_unmet_needs_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "sequence", name=op.f("pk_unmet_needs")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_unmet_needs_at", "unmet_needs", ["at"], unique=False)
    op.create_index("ix_unmet_needs_need_id_at", "unmet_needs", ["need_id", "at"], unique=False)
    op.create_index("ix_unmet_needs_reason_at", "unmet_needs", ["reason", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_unmet_needs_reason_at", table_name="unmet_needs")
    op.drop_index("ix_unmet_needs_need_id_at", table_name="unmet_needs")
    op.drop_index("ix_unmet_needs_at", table_name="unmet_needs")

    op.drop_table("unmet_needs")
    op.drop_index("ix_steps_topic_id_node_id", table_name="steps")
    op.drop_index("ix_steps_at", table_name="steps")

    op.drop_table("steps")
    op.drop_index("ix_safeguarding_shown_crisis_kind_at", table_name="safeguarding_shown")
    op.drop_index("ix_safeguarding_shown_at", table_name="safeguarding_shown")

    op.drop_table("safeguarding_shown")
    op.drop_index("ix_outcomes_topic_id_at", table_name="outcomes")
    op.drop_index("ix_outcomes_node_id", table_name="outcomes")
    op.drop_index("ix_outcomes_at", table_name="outcomes")

    op.drop_table("outcomes")
    op.drop_index("ix_outcome_services_service_id_at", table_name="outcome_services")
    op.drop_index("ix_outcome_services_fit_at", table_name="outcome_services")

    op.drop_table("outcome_services")
    op.drop_index("ix_feedback_node_id", table_name="feedback")
    op.drop_index("ix_feedback_at", table_name="feedback")

    op.drop_table("feedback")
    op.drop_index("ix_events_session_id", table_name="events")
    op.drop_index("ix_events_received_at", table_name="events")

    op.drop_table("events")
    op.drop_index("ix_contexts_postcode_district", table_name="contexts")

    op.drop_table("contexts")
    op.drop_index("ix_sessions_topic_id_started_at", table_name="sessions")
    op.drop_index("ix_sessions_started_at", table_name="sessions")
    op.drop_index("ix_sessions_site_started_at", table_name="sessions")
    op.drop_index("ix_sessions_channel_started_at", table_name="sessions")

    op.drop_table("sessions")
