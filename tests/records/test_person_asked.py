"""Requests to talk to a person: stored as pathway steps, and counted for managers with suppression.

Real conversations on a small knowledge base on disk produce the events; they
are stored the way the writer stores them (`to_payload`, `store_payloads`)
in a real database (SQLite, and PostgreSQL when NAVIGATOR_TEST_POSTGRES_URL
is set), and the review reads them back.

The sessions, all on 2025-03-04 at one kiosk:

    A  7  carers: typed "human" at carers-who
    B  6  carers: child -> the unmet end, chose "Talk to a person" there
    C  3  carers: typed "human" at carers-who, carried on, asked again at the unmet end
    D  6  food: typed "talk to a person" at food-info
    E  2  typed "human" before choosing a topic
    F  4  carers: never asked

So, counting each session once where it first asked: carers-who 10, carers-child 6
(carers 16), food-info 6, before a topic 2; 24 in all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from navigator.engine.conversation import Conversation
from navigator.engine.events import PersonAsked
from navigator.kb import KnowledgeBase
from navigator.records.database import connected, upgrade
from navigator.records.demo import fill
from navigator.records.models import PERSON_ASKED_STEP, Step
from navigator.records.payloads import REMOVED, to_payload
from navigator.records.reports.export import to_csv, to_json
from navigator.records.reports.review import Review
from navigator.records.reports.tables import Filters, Period
from navigator.records.store import store_payloads
from tests.engine.conversation_kb import load_ok, write_conversation_kb
from tests.records.small_kb import NODE_IDS, write_small_kb
from tests.support.reports import shown

WHEN = dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC)
FILTERS = Filters(Period(dt.date(2025, 3, 3), dt.date(2025, 3, 16)))

Walk = Callable[[Conversation], None]


def asks_at_the_first_question(conversation: Conversation) -> None:
    conversation.choose("carers")
    conversation.say("human")


def asks_at_the_unmet_end(conversation: Conversation) -> None:
    conversation.choose("carers")
    conversation.choose("child")
    conversation.choose("talk_to_person")


def asks_twice(conversation: Conversation) -> None:
    asks_at_the_first_question(conversation)
    conversation.choose("carry_on")
    conversation.choose("child")
    conversation.choose("talk_to_person")


def asks_about_food(conversation: Conversation) -> None:
    conversation.choose("food")
    conversation.say("talk to a person")


def asks_before_a_topic(conversation: Conversation) -> None:
    conversation.say("human")


def never_asks(conversation: Conversation) -> None:
    conversation.choose("carers")
    conversation.choose("adult")


SESSIONS: list[tuple[Walk, int]] = [
    (asks_at_the_first_question, 7),
    (asks_at_the_unmet_end, 6),
    (asks_twice, 3),
    (asks_about_food, 6),
    (asks_before_a_topic, 2),
    (never_asks, 4),
]


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return load_ok(write_conversation_kb(tmp_path_factory.mktemp("kb")))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    with connected(database_url, writing=True) as engine:
        upgrade(engine)
        yield engine


def run_sessions(knowledge: KnowledgeBase, engine: Engine) -> list[PersonAsked]:
    """Run every session in the module docstring and store its events; return the requests."""
    payloads = []
    asked: list[PersonAsked] = []
    for walk, times in SESSIONS:
        for _ in range(times):
            conversation = Conversation(
                knowledge, channel="kiosk", site="central-library", clock=lambda: WHEN
            )
            walk(conversation)
            conversation.finish()
            asked += [e for e in conversation.events if isinstance(e, PersonAsked)]
            payloads += [to_payload(event) for event in conversation.events]
    with engine.begin() as connection:
        store_payloads(connection, payloads, WHEN)
    return asked


def test_each_request_is_stored_as_a_pathway_step(knowledge: KnowledgeBase, engine: Engine) -> None:
    asked = run_sessions(knowledge, engine)

    steps = Step.__table__  # type: ignore[attr-defined]
    with engine.connect() as connection:
        rows = connection.execute(
            select(steps.c.session_id, steps.c.topic_id, steps.c.node_id, steps.c.via)
            .where(steps.c.kind == PERSON_ASKED_STEP)
            .order_by(steps.c.session_id, steps.c.sequence)
        ).all()

    assert len(asked) == 7 + 6 + 2 * 3 + 6 + 2
    expected = sorted(
        ((e.session_id, e.topic_id, e.node_id, e.via) for e in asked),
        key=lambda row: row[0],
    )
    assert sorted((tuple(row) for row in rows), key=lambda row: row[0]) == expected
    assert {(row.topic_id, row.node_id, row.via) for row in rows} == {
        ("carers", "carers-who", "own_words"),
        ("carers", "carers-child", "button"),
        ("food", "food-info", "own_words"),
        (None, None, "own_words"),
    }


def test_storing_the_same_requests_again_changes_nothing(
    knowledge: KnowledgeBase, engine: Engine
) -> None:
    conversation = Conversation(knowledge, channel="kiosk", site="s", clock=lambda: WHEN)
    asks_at_the_unmet_end(conversation)
    payloads = [to_payload(event) for event in conversation.events]
    steps = Step.__table__  # type: ignore[attr-defined]
    counted = select(steps.c.sequence).where(steps.c.kind == PERSON_ASKED_STEP)

    for _ in range(2):
        with engine.begin() as connection:
            store_payloads(connection, payloads, WHEN)

    with engine.connect() as connection:
        assert len(connection.execute(counted).all()) == 1


def test_the_review_counts_sessions_where_they_first_asked_with_suppression(
    knowledge: KnowledgeBase, engine: Engine
) -> None:
    run_sessions(knowledge, engine)
    review = Review(engine=engine, knowledge=knowledge, threshold=5)

    report = review.report(FILTERS)

    # Before a topic: 2, hidden. Food's 6 is hidden too, else 24 - 16 - 6 = 2. Hidden rows
    # come last in order of their titles, never of their hidden counts.
    assert shown(report.table("asked_for_person_by_topic")) == [
        ["Looking after someone", "16"],
        ["Before choosing a topic", "<5"],
        ["Food", "[c]"],
        ["All who asked", "24"],
    ]
    assert shown(report.table("asked_for_person_by_place")) == [
        ["Looking after someone", "Who do you look after?", "10"],
        [
            "Looking after someone",
            "There is no group for parent carers here yet.",
            "6",
        ],
        ["Before choosing a topic", "Before choosing a topic", "<5"],
        ["Food", "Food banks give food for a few days.", "[c]"],
    ]


def test_the_figure_is_on_the_giving_up_tab_and_in_the_exports(
    knowledge: KnowledgeBase, engine: Engine
) -> None:
    run_sessions(knowledge, engine)
    review = Review(engine=engine, knowledge=knowledge, threshold=5)

    keys = [table.key for table in review.section("funnels", FILTERS)]
    report = review.report(FILTERS)

    assert keys[:3] == [
        "gave_up_by_topic",
        "asked_for_person_by_topic",
        "asked_for_person_by_place",
    ]
    assert "Where people asked to talk to a person, by topic" in to_csv(report)
    assert '"key": "asked_for_person_by_place"' in to_json(report)
    assert "Before choosing a topic,[c]" in to_csv(report)


def test_a_filter_and_an_empty_period_give_their_own_counts(
    knowledge: KnowledgeBase, engine: Engine
) -> None:
    run_sessions(knowledge, engine)
    review = Review(engine=engine, knowledge=knowledge, threshold=5)

    food = review.report(Filters(FILTERS.period, topic="food"))
    empty = review.report(Filters(FILTERS.period.previous))

    assert shown(food.table("asked_for_person_by_topic")) == [
        ["Food", "6"],
        ["All who asked", "6"],
    ]
    assert shown(empty.table("asked_for_person_by_topic")) == [["All who asked", "0"]]
    assert empty.table("asked_for_person_by_place").rows == ()


def test_a_value_that_is_not_an_id_is_never_stored() -> None:
    event = PersonAsked(
        session_id="s-1", sequence=3, topic_id="carers", node_id="call me 07700 900123"
    )

    payload = to_payload(event)

    assert {key: payload[key] for key in ("kind", "topic_id", "node_id", "via")} == {
        "kind": "person_asked",
        "topic_id": "carers",
        "node_id": REMOVED,
        "via": "button",
    }


def test_demo_data_asks_for_a_person_at_real_nodes_and_the_review_counts_them(
    tmp_path: Path,
) -> None:
    small = load_ok(write_small_kb(tmp_path / "kb"))
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    fill(url, small, 3000, seed=7, end=dt.date(2025, 6, 30), chunk=1000)
    steps = Step.__table__  # type: ignore[attr-defined]

    with connected(url) as engine:
        with engine.connect() as connection:
            rows = connection.execute(
                select(steps.c.node_id, steps.c.via).where(steps.c.kind == PERSON_ASKED_STEP)
            ).all()
        report = Review(engine=engine, knowledge=small, threshold=5).report(
            Filters(Period(dt.date(2024, 7, 1), dt.date(2025, 6, 30)))
        )

    assert rows, "some demo sessions ask for a person"
    assert {row.node_id for row in rows} <= NODE_IDS
    assert {row.via for row in rows} == {"button", "own_words"}
    total = report.table("asked_for_person_by_topic").row_for("All who asked")["count"]
    assert isinstance(total, int) and 0 < total <= len(rows)
