"""Storing events: every table filled from a real conversation, idempotently, privately."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from navigator.engine import events as ev
from navigator.records.database import connected, upgrade
from navigator.records.payloads import REMOVED, to_payload
from navigator.records.store import store_payloads
from tests.records.conversations import Conversation, event_counts

RECEIVED = dt.datetime(2025, 3, 4, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    with connected(database_url, writing=True) as engine:
        upgrade(engine)
        yield engine


def store(engine: Engine, events: list[ev.Event]) -> None:
    with engine.begin() as connection:
        store_payloads(connection, [to_payload(event) for event in events], RECEIVED)


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def test_a_whole_conversation_fills_every_table(engine: Engine) -> None:
    conversation = Conversation()
    store(engine, conversation.whole())
    session = conversation.session_id

    [(channel, site, topic, need, how, last, reached)] = rows(
        engine,
        "SELECT channel, site, topic_id, need_id, end_how, last_node_id, reached_outcome "
        "FROM sessions",
    )
    assert (channel, site, topic, need) == ("kiosk", "central-library", "carers", "carers-support")
    assert (how, last, bool(reached)) == ("finished", "carers-outcome", True)
    assert rows(
        engine, "SELECT kind, node_id, option_id, to_node_id FROM steps ORDER BY sequence"
    ) == [
        ("topic", None, None, None),
        ("answer", "carers-start", "an-adult", None),
        ("back", "carers-age", None, "carers-start"),
        ("answer", "carers-start", "a-child", None),
    ]
    assert rows(engine, "SELECT node_id, offered FROM outcomes") == [("carers-outcome", 2)]
    assert rows(
        engine, "SELECT service_id, fit, failed_rule FROM outcome_services ORDER BY service_id"
    ) == [
        ("carers-hub", "offered", None),
        ("respite-beds", "waiting_list", None),
        ("young-carers", "ineligible", "age_band"),
    ]
    assert rows(engine, "SELECT need_id, reason, text FROM unmet_needs") == [
        ("carers-support", "no_service", "nothing for dads, ring me on [phone]")
    ]
    assert rows(engine, "SELECT postcode_district, age_band, household FROM contexts") == [
        ("NB3", "65-plus", None)
    ]
    assert rows(engine, "SELECT crisis_kind FROM safeguarding_shown") == [("self-harm",)]
    assert [bool(helped) for (helped,) in rows(engine, "SELECT helped FROM feedback")] == [False]
    counts = event_counts(engine)
    assert counts["receipts"] == counts["distinct"] == 11
    assert rows(engine, "SELECT DISTINCT session_id FROM events") == [(session,)]


def test_storing_the_same_events_again_changes_nothing(engine: Engine) -> None:
    events = Conversation().whole()
    store(engine, events)
    before = event_counts(engine)
    store(engine, events)
    store(engine, events[3:7])
    assert event_counts(engine) == before
    assert rows(engine, "SELECT count(*) FROM outcome_services") == [(3,)]


def test_events_may_arrive_in_any_order_and_any_batch(engine: Engine) -> None:
    conversation = Conversation()
    events = conversation.whole()
    store(engine, events[5:])  # the end first: the session is made as a stub
    [(channel,)] = rows(engine, "SELECT channel FROM sessions")
    assert channel == "unknown"
    store(engine, events[:5])
    [(channel, topic, started)] = rows(engine, "SELECT channel, topic_id, started_at FROM sessions")
    assert (channel, topic) == ("kiosk", "carers")
    assert str(started).startswith("2025-03-04 10:00:00")
    assert event_counts(engine)["receipts"] == 11


def test_the_first_topic_chosen_is_the_sessions_topic(engine: Engine) -> None:
    conversation = Conversation()
    start, first, second = (
        conversation.started(),
        conversation.topic("money", "money-advice"),
        conversation.topic("carers", "carers-support"),
    )
    store(engine, [start, second])
    store(engine, [first])
    assert rows(engine, "SELECT topic_id, need_id FROM sessions") == [("money", "money-advice")]


def test_context_given_in_parts_is_merged(engine: Engine) -> None:
    conversation = Conversation()
    store(engine, [conversation.started(), conversation.context(postcode="ls6 2ab")])
    store(
        engine,
        [conversation.context(age_band="18-24"), conversation.context(household="Lives-Alone")],
    )
    assert rows(engine, "SELECT postcode_district, age_band, household FROM contexts") == [
        ("LS6", "18-24", "lives-alone")
    ]


def test_times_come_back_in_utc(engine: Engine) -> None:
    conversation = Conversation(
        start=dt.datetime(2025, 6, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    )
    store(engine, [conversation.started()])
    from sqlmodel import Session as OrmSession
    from sqlmodel import select

    from navigator.records.models import Session

    with OrmSession(engine) as orm:
        session = orm.exec(select(Session)).one()
    assert session.started_at == dt.datetime(2025, 6, 1, 8, 30, tzinfo=dt.UTC)
    assert session.started_at.tzinfo is not None
    assert session.received_at == RECEIVED


def test_nothing_identifying_gets_past_the_allow_list() -> None:
    """Free text in an id field, a full postcode, a made-up age band: none is kept."""
    conversation = Conversation()
    answer = ev.AnswerGiven(
        **conversation.next(),
        topic_id="carers",
        node_id="carers-start",
        option_id="call 07700900123",
    )
    context = ev.ContextGiven(
        **conversation.next(), postcode_district="NB3 4QT", age_band="born 1/2/1950", household="x"
    )
    unmet = ev.UnmetNeed(
        **conversation.next(), need_id=None, reason="unmatched", text="QQ 12 34 56 C help"
    )
    answer_payload, context_payload, unmet_payload = (
        to_payload(answer),
        to_payload(context),
        to_payload(unmet),
    )
    assert answer_payload["option_id"] == REMOVED
    assert context_payload["postcode_district"] == "NB3"
    assert context_payload["age_band"] == REMOVED
    assert unmet_payload["text"] == "[ni-number] help"
    for payload in (answer_payload, context_payload, unmet_payload):
        written = json.dumps(payload)
        assert "07700900123" not in written and "4QT" not in written and "1950" not in written


def test_a_malformed_session_id_is_refused() -> None:
    event = ev.SessionEnded(session_id="Jane Smith, 14 Elm Road", sequence=1, how="finished")
    with pytest.raises(ValueError, match="not a session or event id"):
        to_payload(event)
