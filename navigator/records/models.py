"""The records tables: what a conversation leaves behind, and nothing about who had it.

The columns are an allow-list. A session is a random id, where and how it
happened and when; steps are ids of questions and answers; outcomes are ids of
services and how each fitted; unmet needs are ids of needs and reasons, with
free text only after scrubbing; context is the postcode district, age band and
household type, only when the person agreed. There is no name, no address, no
full postcode and no free text anywhere else.

Child rows are keyed by `(session_id, sequence)`: an event's place in its
session. Storing the same event twice (a retry after a crash) hits that key
and is ignored, which is what makes the copy from the outbox idempotent. The
`events` table keeps a receipt per event id with the server's `received_at`,
since kiosk clocks are not trusted.

Timestamps are UTC. `UTCDateTime` stores them as UTC on both engines and hands
back aware datetimes, because SQLite has no time zones and SQLModel refuses
naive datetimes. On SQLite they are stored as text `YYYY-MM-DD HH:MM:SS.ffffff`,
which SQLite's date functions read, so reports can group by `strftime`.

Three booleans on `sessions` (`reached_services`, `has_unmet`,
`has_safeguarding`) repeat what the child tables say, so the managers' first
view is one range scan of `ix_sessions_started_at_overview` instead of three
probes per session (PostgreSQL at a million sessions took seconds). The store
sets them with `UPDATE ... SET flag = TRUE` in the same transaction as the
child row, which is idempotent and indifferent to the order events arrive in;
nothing ever clears them, since child rows only go when their session does.

Indexes follow the manager's reports: sessions by period, site, channel and
topic; unmet needs by need, reason and week; the funnel of questions per topic;
service pressure by service and period; and every child by session, for joins
and for purging.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    Date,
    Dialect,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    TypeDecorator,
    false,
)
from sqlalchemy.types import DateTime
from sqlmodel import Field, SQLModel

from navigator.records.payloads import ID_LENGTH, SESSION_ID_LENGTH, TEXT_LENGTH

WITHOUT_ROWID = {"sqlite_with_rowid": False}
"""SQLite: store rows in their primary key's B-tree. Rows are small and keyed by text
(`session_id, sequence`), so this saves a second index per table: about 20% faster inserts
and index builds (measured with `navigator demo-data`). PostgreSQL ignores it."""

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC datetime on every engine (SQLite keeps no zone, so it is added back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: records are stored in UTC")
        utc = value.astimezone(dt.UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw SQL results on SQLite
            value = dt.datetime.fromisoformat(value)
        result: dt.datetime = value
        if result.tzinfo is None:
            return result.replace(tzinfo=dt.UTC)
        return result.astimezone(dt.UTC)


def _id(*, nullable: bool = True, primary_key: bool = False) -> Any:
    return Field(
        default=None if nullable else ...,
        sa_type=String(ID_LENGTH),
        nullable=nullable,
        primary_key=primary_key,
    )


def _session_key() -> Any:
    return Field(
        sa_type=String(SESSION_ID_LENGTH),
        foreign_key="sessions.id",
        ondelete="CASCADE",
        primary_key=True,
    )


def _when() -> Any:
    return Field(sa_type=UTCDateTime, nullable=False)


def _flag() -> Any:
    """A session flag: down unless the store raises it. The server default lets migration 0002
    add the column to full tables, and lets plain SQL inserts leave it out."""
    return Field(default=False, sa_type=Boolean, sa_column_kwargs={"server_default": false()})


class RecordsTable(SQLModel):
    """Base for the records tables: their own metadata, so Alembic sees only these."""

    metadata: ClassVar[MetaData] = MetaData(naming_convention=NAMING_CONVENTION)


class Session(RecordsTable, table=True):
    """One conversation. `topic_id`/`need_id` are the first topic chosen, for quick grouping."""

    __tablename__ = "sessions"
    __table_args__ = (
        Index(
            "ix_sessions_started_at_overview",
            "started_at",
            "reached_outcome",
            "end_how",
            "reached_services",
            "has_unmet",
            "has_safeguarding",
            "language",
        ),
        Index("ix_sessions_site_started_at", "site", "started_at"),
        Index("ix_sessions_channel_started_at", "channel", "started_at"),
        Index("ix_sessions_topic_id_started_at", "topic_id", "started_at"),
        WITHOUT_ROWID,
    )

    id: str = Field(sa_type=String(SESSION_ID_LENGTH), primary_key=True)
    channel: str = Field(sa_type=String(16))
    site: str = Field(sa_type=String(ID_LENGTH))
    content_hash: str = Field(default="", sa_type=String(128))
    language: str = Field(default="en", sa_type=String(16))
    started_at: dt.datetime = _when()
    ended_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    end_how: str | None = Field(default=None, sa_type=String(16))
    """`finished`, `abandoned` or `timed_out`; None while the session is open (or never ended)."""
    last_node_id: str | None = _id()
    reached_outcome: bool = Field(default=False, sa_type=Boolean)
    reached_services: bool = _flag()
    """An outcome offered at least one service (offered or waiting list). Set by the store."""
    has_unmet: bool = _flag()
    """At least one `unmet_needs` row. Set by the store."""
    has_safeguarding: bool = _flag()
    """At least one `safeguarding_shown` row. Set by the store."""
    topic_id: str | None = _id()
    need_id: str | None = _id()
    received_at: dt.datetime = _when()


PERSON_ASKED_STEP = "person_asked"
"""The `steps.kind` of a request to talk to a person (see `Step`); the reports count these."""


class Step(RecordsTable, table=True):
    """One move in a conversation: a topic chosen, an answer, back, change, start again,
    or asking to talk to a person.

    `node_id` is the question answered (`answer`), the node left (`back`,
    `change`), where the person started again (`start_again`) or where they
    asked for a person (`person_asked`, None before a topic).
    """

    __tablename__ = "steps"
    __table_args__ = (
        Index("ix_steps_topic_id_node_id", "topic_id", "node_id"),
        Index("ix_steps_at", "at"),
        WITHOUT_ROWID,
    )

    session_id: str = _session_key()
    sequence: int = Field(sa_type=Integer, primary_key=True)
    at: dt.datetime = _when()
    kind: str = Field(sa_type=String(16))
    """`topic`, `answer`, `back`, `change`, `start_again` or `person_asked`."""
    topic_id: str | None = _id()
    need_id: str | None = _id()
    node_id: str | None = _id()
    option_id: str | None = _id()
    to_node_id: str | None = _id()
    via: str | None = Field(default=None, sa_type=String(16))


class OutcomeRecord(RecordsTable, table=True):
    """An outcome shown; `offered` counts the services that were offered or had a waiting list."""

    __tablename__ = "outcomes"
    __table_args__ = (
        Index("ix_outcomes_at", "at"),
        Index("ix_outcomes_topic_id_at", "topic_id", "at"),
        Index("ix_outcomes_node_id", "node_id"),
        WITHOUT_ROWID,
    )

    session_id: str = _session_key()
    sequence: int = Field(sa_type=Integer, primary_key=True)
    at: dt.datetime = _when()
    topic_id: str = _id(nullable=False)
    need_id: str = _id(nullable=False)
    node_id: str = _id(nullable=False)
    offered: int = Field(default=0, sa_type=Integer)


class OutcomeService(RecordsTable, table=True):
    """How one service of an outcome fitted: offered, waiting_list, closed, ineligible..."""

    __tablename__ = "outcome_services"
    __table_args__ = (
        Index("ix_outcome_services_service_id_at", "service_id", "at"),
        Index("ix_outcome_services_fit_at", "fit", "at"),
        WITHOUT_ROWID,
    )

    session_id: str = _session_key()
    sequence: int = Field(sa_type=Integer, primary_key=True)
    service_id: str = _id(nullable=False, primary_key=True)
    at: dt.datetime = _when()
    fit: str = Field(sa_type=String(16))
    failed_rule: str | None = _id()


class UnmetNeedRecord(RecordsTable, table=True):
    """A need that went unmet, and why. `text` is scrubbed before it is written anywhere."""

    __tablename__ = "unmet_needs"
    __table_args__ = (
        Index("ix_unmet_needs_at", "at"),
        Index("ix_unmet_needs_need_id_at", "need_id", "at"),
        Index("ix_unmet_needs_reason_at", "reason", "at"),
        WITHOUT_ROWID,
    )

    session_id: str = _session_key()
    sequence: int = Field(sa_type=Integer, primary_key=True)
    at: dt.datetime = _when()
    need_id: str | None = _id()
    reason: str = _id(nullable=False)
    topic_id: str | None = _id()
    node_id: str | None = _id()
    recorded_by: str = Field(default="engine", sa_type=String(16))
    text: str | None = Field(default=None, sa_type=String(TEXT_LENGTH))


class SafeguardingRecord(RecordsTable, table=True):
    """Crisis contacts were shown. The kind only; never what was said."""

    __tablename__ = "safeguarding_shown"
    __table_args__ = (
        Index("ix_safeguarding_shown_at", "at"),
        Index("ix_safeguarding_shown_crisis_kind_at", "crisis_kind", "at"),
        WITHOUT_ROWID,
    )

    session_id: str = _session_key()
    sequence: int = Field(sa_type=Integer, primary_key=True)
    at: dt.datetime = _when()
    crisis_kind: str = _id(nullable=False)
    node_id: str | None = _id()


class FeedbackRecord(RecordsTable, table=True):
    """The answer to "Did this help?" at an outcome."""

    __tablename__ = "feedback"
    __table_args__ = (
        Index("ix_feedback_at", "at"),
        Index("ix_feedback_node_id", "node_id"),
        WITHOUT_ROWID,
    )

    session_id: str = _session_key()
    sequence: int = Field(sa_type=Integer, primary_key=True)
    at: dt.datetime = _when()
    node_id: str = _id(nullable=False)
    helped: bool = Field(sa_type=Boolean)


class ContextRecord(RecordsTable, table=True):
    """Context the person agreed to give, one row per session, merged as it arrives."""

    __tablename__ = "contexts"
    __table_args__ = (Index("ix_contexts_postcode_district", "postcode_district"), WITHOUT_ROWID)

    session_id: str = Field(
        sa_type=String(SESSION_ID_LENGTH),
        foreign_key="sessions.id",
        ondelete="CASCADE",
        primary_key=True,
    )
    at: dt.datetime = _when()
    postcode_district: str | None = Field(default=None, sa_type=String(8))
    age_band: str | None = Field(default=None, sa_type=String(40))
    household: str | None = Field(default=None, sa_type=String(40))


class ReferralRecord(RecordsTable, table=True):
    """A warm referral an advocate sent, and the service's answer: ids and a status only.

    The resident's name, contact details and note went to the service and are never
    here. `code` is the random reply code the service answers with; `answered_at` is
    when Navigator was told, so reports can give the time to answer.
    """

    __tablename__ = "referrals"
    __table_args__ = (
        Index("ix_referrals_code", "code", unique=True),
        Index("ix_referrals_service_id_at", "service_id", "at"),
        WITHOUT_ROWID,
    )

    session_id: str = _session_key()
    sequence: int = Field(sa_type=Integer, primary_key=True)
    at: dt.datetime = _when()
    code: str = Field(sa_type=String(16))
    service_id: str = _id(nullable=False)
    need_id: str | None = _id()
    topic_id: str | None = _id()
    node_id: str | None = _id()
    delivery: str = Field(sa_type=String(16))
    status: str = Field(
        default="sent", sa_type=String(16), sa_column_kwargs={"server_default": "sent"}
    )
    """`sent` until the service answers `accepted` or `declined`."""
    reason: str | None = Field(default=None, sa_type=String(32))
    """For `declined`: one of `navigator.engine.referral.DECLINE_REASONS` (checked where
    the answer is stored, `navigator.records.referrals`)."""
    answered_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class FollowupCode(RecordsTable, table=True):
    """A follow-up code was put on this session's take-away: its hash and when it expires.

    One per session. The hash is of a random code, not of anything about the
    person; it lets a later "Did you get help?" find this pathway.
    """

    __tablename__ = "followup_codes"
    __table_args__ = (
        Index("ix_followup_codes_code_hash", "code_hash", unique=True),
        Index("ix_followup_codes_issued_at", "issued_at"),
        WITHOUT_ROWID,
    )

    session_id: str = Field(
        sa_type=String(SESSION_ID_LENGTH),
        foreign_key="sessions.id",
        ondelete="CASCADE",
        primary_key=True,
    )
    code_hash: str = Field(sa_type=String(64))
    issued_at: dt.datetime = _when()
    expires_at: dt.datetime = _when()


class FollowupAnswer(RecordsTable, table=True):
    """ "Did you get help?", answered weeks later with the code: kept against the pathway.

    `session_id` is the pathway that issued the code, not the session in which
    it was answered (that one is a session of its own, with only a receipt).
    One answer per pathway: the first kept, later ones ignored.
    """

    __tablename__ = "followup_answers"
    __table_args__ = (Index("ix_followup_answers_answered_at", "answered_at"), WITHOUT_ROWID)

    session_id: str = Field(
        sa_type=String(SESSION_ID_LENGTH),
        foreign_key="sessions.id",
        ondelete="CASCADE",
        primary_key=True,
    )
    answered_at: dt.datetime = _when()
    contacted: bool = Field(sa_type=Boolean)
    helped: str | None = Field(default=None, sa_type=String(16))
    """`yes`, `partly` or `no`; None when the service was not contacted."""
    reason: str | None = _id()
    """Why not (a `followup_reason_*` id); None when helped."""


class EventReceipt(RecordsTable, table=True):
    """One row per event stored from a writer: proof it arrived once, and when the server saw it.

    Not filled by `navigator demo-data`, which writes the tables above directly.
    """

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_session_id", "session_id"),
        Index("ix_events_received_at", "received_at"),
        WITHOUT_ROWID,
    )

    event_id: str = Field(sa_type=String(SESSION_ID_LENGTH), primary_key=True)
    session_id: str = Field(
        sa_type=String(SESSION_ID_LENGTH), foreign_key="sessions.id", ondelete="CASCADE"
    )
    sequence: int = Field(sa_type=Integer)
    kind: str = Field(sa_type=String(32))
    at: dt.datetime = _when()
    received_at: dt.datetime = _when()


class SessionDay(RecordsTable, table=True):
    """The managers' overview per day, site, channel, first topic and language, kept by the
    database itself: triggers on `sessions` (migration `0006_summary`) add each inserted
    session's counts, subtract each deleted one's, and move an updated one's, in the same
    transaction as the change to `sessions`, whichever path made it (the store, purging,
    scrubbing, the demo generator, plain SQL). So the first view over a whole region reads
    a few thousand rows instead of a million sessions, and its figures are the sessions'
    exactly (docs/performance.md, "Session 8").

    `grain` 0 rows have every dimension; `grain` 1 rows add up a day, site and language over
    every channel and topic (their `channel` and `topic` are ""), which is all the first
    view reads when no channel or topic is chosen. `topic` is "" for a session with no topic
    yet (SQL's NULL would not match itself in the primary key). Counts are additive: every
    figure counts sessions, each of which is in exactly one row of each grain. A row whose
    sessions went to 0 stays until purging tidies it; readers leave out groups of 0."""

    __tablename__ = "session_days"
    __table_args__ = (WITHOUT_ROWID,)

    grain: int = Field(sa_type=SmallInteger, primary_key=True)
    day: dt.date = Field(sa_type=Date, primary_key=True)
    site: str = Field(sa_type=String(ID_LENGTH), primary_key=True)
    channel: str = Field(sa_type=String(16), primary_key=True)
    topic: str = Field(sa_type=String(ID_LENGTH), primary_key=True)
    language: str = Field(sa_type=String(16), primary_key=True)
    sessions: int = Field(sa_type=Integer)
    reached_services: int = Field(sa_type=Integer)
    unmet: int = Field(sa_type=Integer)
    safeguarding: int = Field(sa_type=Integer)
    gave_up: int = Field(sa_type=Integer)


METADATA = RecordsTable.metadata

SESSION_CHILDREN = (
    Step,
    OutcomeRecord,
    OutcomeService,
    UnmetNeedRecord,
    SafeguardingRecord,
    FeedbackRecord,
    ContextRecord,
    ReferralRecord,
    FollowupCode,
    FollowupAnswer,
    EventReceipt,
)
"""Every table that hangs off a session, so purging and tests can walk them all."""

SESSION_CHILD_TABLES = tuple(str(model.__tablename__) for model in SESSION_CHILDREN)
