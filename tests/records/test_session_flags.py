"""The overview's session flags agree with the child tables, however the events arrive.

`sessions.reached_services`, `has_unmet` and `has_safeguarding` repeat what
`outcomes`, `unmet_needs` and `safeguarding_shown` say, so the managers' first
view need not read those tables. These tests hold the two to each other: after
a copy in shuffled batches with duplicates, and after migration 0002 backfills
a database filled under schema 0001.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from navigator.engine import events as ev
from navigator.records.database import (
    alembic_config,
    connected,
    current_revision,
    head_revision,
    upgrade,
)
from navigator.records.payloads import to_payload
from navigator.records.store import store_payloads
from tests.records.conversations import Conversation

RECEIVED = dt.datetime(2025, 3, 4, 12, 0, tzinfo=dt.UTC)

FLAGS_FROM_CHILDREN = """
    SELECT s.id,
      s.reached_services,
      EXISTS (SELECT 1 FROM outcomes o WHERE o.session_id = s.id AND o.offered > 0),
      s.has_unmet,
      EXISTS (SELECT 1 FROM unmet_needs u WHERE u.session_id = s.id),
      s.has_safeguarding,
      EXISTS (SELECT 1 FROM safeguarding_shown g WHERE g.session_id = s.id)
    FROM sessions s"""


def nothing_offered(conversation: Conversation) -> ev.Event:
    """An outcome where no service fitted: shown, but the person reached no service."""
    return ev.OutcomeShown(
        **conversation.next(),
        topic_id="carers",
        need_id="carers-support",
        node_id="carers-outcome",
        results=(ev.ServiceResult(service_id="carers-hub", fit="ineligible", failed_rule="age"),),
    )


def sessions_of_every_kind() -> tuple[list[ev.Event], dict[str, tuple[bool, bool, bool]]]:
    """Events of sessions covering each flag alone, all, and none; with the flags expected."""
    events: list[ev.Event] = []
    expected: dict[str, tuple[bool, bool, bool]] = {}

    def add(flags: tuple[bool, bool, bool], *parts: str) -> None:
        c = Conversation()
        session = [c.started(), c.topic()]
        for part in parts:
            if part == "offered":
                session.append(c.outcome())
            elif part == "none offered":
                session.append(nothing_offered(c))
            elif part == "unmet":
                session.append(c.unmet())
            elif part == "safeguarding":
                session.append(c.safeguarding())
        session.append(c.ended(reached_outcome="offered" in parts or "none offered" in parts))
        events.extend(session)
        expected[c.session_id] = flags

    add((True, True, True), "offered", "unmet", "safeguarding")
    add((True, False, False), "offered")
    add((False, True, False), "none offered", "unmet")
    add((False, False, False), "none offered")
    add((False, True, False), "unmet", "unmet")
    add((False, False, True), "safeguarding")
    add((False, False, False))
    return events, expected


def flags(engine: Engine) -> dict[str, tuple[bool, bool, bool]]:
    """Each session's flags, after checking them against its child rows."""
    with engine.connect() as connection:
        rows = connection.execute(text(FLAGS_FROM_CHILDREN)).all()
    found = {}
    for session_id, services, any_offered, unmet, any_unmet, safeguarding, any_shown in rows:
        assert (bool(services), bool(unmet), bool(safeguarding)) == (
            bool(any_offered),
            bool(any_unmet),
            bool(any_shown),
        ), session_id
        found[str(session_id)] = (bool(services), bool(unmet), bool(safeguarding))
    return found


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    with connected(database_url, writing=True) as engine:
        upgrade(engine)
        yield engine


def store_in_batches(engine: Engine, events: list[ev.Event], size: int) -> None:
    for start in range(0, len(events), size):
        with engine.begin() as connection:
            batch = [to_payload(event) for event in events[start : start + size]]
            store_payloads(connection, batch, RECEIVED)


def test_flags_follow_the_child_rows_whatever_the_order_and_repeats(engine: Engine) -> None:
    events, expected = sessions_of_every_kind()
    # Backwards first, so every child row arrives before its session's start and end ...
    store_in_batches(engine, events[::-1], size=2)
    assert flags(engine) == expected
    # ... then again, shuffled, half of it twice: nothing may change.
    rng = random.Random(7)
    again = events + rng.sample(events, len(events) // 2)
    rng.shuffle(again)
    store_in_batches(engine, again, size=5)
    assert flags(engine) == expected


def test_flags_are_set_when_the_start_arrives_after_the_child(engine: Engine) -> None:
    """The start upserts the session row that the child's stub made; it must not clear flags."""
    c = Conversation()
    started, unmet, shown, ended = c.started(), c.unmet(), c.safeguarding(), c.ended()
    for batch in ([unmet], [shown], [started], [ended]):
        store_in_batches(engine, batch, size=1)
    assert flags(engine) == {c.session_id: (False, True, True)}


# --- Migration 0002 ---------------------------------------------------------------------

SCHEMA_0001_ROWS = [
    "INSERT INTO sessions (id, channel, site, content_hash, language, started_at, "
    "reached_outcome, received_at) VALUES "
    "('s-all', 'kiosk', 'hub', '', 'en', :at, TRUE, :at), "
    "('s-none-offered', 'kiosk', 'hub', '', 'en', :at, TRUE, :at), "
    "('s-unmet', 'web', 'web', '', 'en', :at, FALSE, :at), "
    "('s-nothing', 'web', 'web', '', 'en', :at, FALSE, :at)",
    "INSERT INTO outcomes (session_id, sequence, at, topic_id, need_id, node_id, offered) "
    "VALUES ('s-all', 2, :at, 't', 'n', 'o', 2), ('s-none-offered', 2, :at, 't', 'n', 'o', 0)",
    "INSERT INTO unmet_needs (session_id, sequence, at, reason, recorded_by) "
    "VALUES ('s-all', 3, :at, 'no_service', 'engine'), "
    "('s-unmet', 1, :at, 'unmatched', 'engine'), ('s-unmet', 2, :at, 'unmatched', 'engine')",
    "INSERT INTO safeguarding_shown (session_id, sequence, at, crisis_kind) "
    "VALUES ('s-all', 4, :at, 'self-harm')",
]


def test_migration_0002_backfills_the_flags_of_existing_sessions(database_url: str) -> None:
    from alembic import command

    config = alembic_config()
    with connected(database_url, writing=True) as engine:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0001")
            for sql in SCHEMA_0001_ROWS:
                connection.execute(text(sql), {"at": RECEIVED})
        upgrade(engine)
        with engine.connect() as connection:
            assert current_revision(connection) == head_revision()  # 0002 and any after it
        assert flags(engine) == {
            "s-all": (True, True, True),
            "s-none-offered": (False, False, False),
            "s-unmet": (False, True, False),
            "s-nothing": (False, False, False),
        }
        # New sessions start with every flag down, from the store or from plain SQL.
        c = Conversation()
        store_in_batches(engine, [c.started()], size=1)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO sessions (id, channel, site, content_hash, language, "
                    "started_at, reached_outcome, received_at) "
                    "VALUES ('s-plain', 'web', 'web', '', 'en', :at, FALSE, :at)"
                ),
                {"at": RECEIVED},
            )
        after = flags(engine)
        assert after[c.session_id] == after["s-plain"] == (False, False, False)
