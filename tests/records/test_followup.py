"""Follow-up answers join their pathway, expire, leave nothing personal, and count exactly.

Real conversations on the test borough, stored in a real SQLite file and in
PostgreSQL (when a server is configured), looked up with `RecordedCodes`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from navigator.engine.conversation import Conversation
from navigator.engine.events import Event
from navigator.engine.followup import REASONS, FollowupFlow, code_hash
from navigator.engine.summary import build_summary
from navigator.kb.knowledge import KnowledgeBase
from navigator.records.database import connected, upgrade
from navigator.records.followup import RecordedCodes
from navigator.records.payloads import to_payload
from navigator.records.reports.groups.followup import followup_tables, rows_by_label
from navigator.records.reports.presets import preset
from navigator.records.reports.review import Review
from navigator.records.reports.suppression import Hidden
from navigator.records.reports.tables import Filters, Period
from navigator.records.store import store_payloads

VISIT = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
LATER = VISIT + dt.timedelta(weeks=4)


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    with connected(database_url, writing=True) as engine:
        upgrade(engine)
        yield engine


def store(engine: Engine, events: list[Event]) -> None:
    with engine.begin() as connection:
        store_payloads(connection, [to_payload(event) for event in events], VISIT)


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def journey(kb: KnowledgeBase, clock: Clock, picks: tuple[int, ...] = (2, 1)) -> Conversation:
    """A resident's journey to results whose summary (with its code) they take away."""
    talk = Conversation(kb, channel="kiosk", site="test-library", clock=clock)
    for pick in picks:
        talk.choose(pick)
    return talk


def take_away_code(talk: Conversation) -> str:
    summary = build_summary(talk, followup=True)
    assert summary.services, "the journey should reach services"
    code = summary.followup.split(": ", 1)[1].split(" ")[0]
    assert code in summary.plain_text() and code in summary.qr_text()
    return code


def answer(
    kb: KnowledgeBase, engine: Engine, clock: Clock, code: str, picks: tuple[int, ...]
) -> FollowupFlow:
    """Weeks later, at another kiosk: the code typed, the questions answered."""
    talk = Conversation(kb, channel="kiosk", site="market-hall", clock=clock)
    flow = FollowupFlow(talk, RecordedCodes(engine))
    flow.enter_code(code)
    for pick in picks:
        flow.choose(pick)
    talk.abandon()
    store(engine, talk.events)
    return flow


def test_a_code_from_a_journey_joins_its_pathway(test_kb: KnowledgeBase, engine: Engine) -> None:
    clock = Clock(VISIT)
    first = journey(test_kb, clock)
    code = take_away_code(first)
    first.finish()
    store(engine, first.events)
    clock.now = LATER
    flow = answer(test_kb, engine, clock, code.lower().replace("-", " "), (1, 3))
    assert flow.view.step == "why"
    flow.choose(REASONS.index("no_answer") + 1)
    store(engine, flow.conversation.events)
    assert rows(engine, "SELECT session_id, contacted, helped, reason FROM followup_answers") == [
        (first.session_id, True, "no", "no_answer")
    ]
    assert RecordedCodes(engine).status(code_hash(code), LATER) == "answered"
    again = answer(test_kb, engine, clock, code, (1, 1))  # a second go is thanked, not kept
    assert again.view.text == test_kb.message("followup_code_used")
    assert len(rows(engine, "SELECT * FROM followup_answers")) == 1


def test_a_code_expires_after_eight_weeks(test_kb: KnowledgeBase, engine: Engine) -> None:
    clock = Clock(VISIT)
    first = journey(test_kb, clock)
    code = take_away_code(first)
    first.finish()
    store(engine, first.events)
    codes = RecordedCodes(engine)
    assert codes.status(code_hash(code), VISIT + dt.timedelta(weeks=8)) == "open"
    clock.now = VISIT + dt.timedelta(weeks=8, minutes=1)
    flow = answer(test_kb, engine, clock, code, ())
    assert flow.view.step == "finished"
    assert flow.view.text == test_kb.message("followup_code_unknown")
    assert codes.status(code_hash(code), clock.now) == "expired"
    assert rows(engine, "SELECT * FROM followup_answers") == []


def test_an_answer_given_after_expiry_never_joins(test_kb: KnowledgeBase, engine: Engine) -> None:
    """Even if a kiosk asked while the code was open and sent the answer late."""
    clock = Clock(VISIT)
    first = journey(test_kb, clock)
    code = take_away_code(first)
    store(engine, first.events)
    clock.now = VISIT + dt.timedelta(weeks=8)
    talk = Conversation(test_kb, channel="kiosk", site="market-hall", clock=clock)
    flow = FollowupFlow(talk, RecordedCodes(engine))
    flow.enter_code(code)
    clock.now += dt.timedelta(hours=1)
    flow.choose(1)
    flow.choose(1)
    store(engine, talk.events)
    assert rows(engine, "SELECT * FROM followup_answers") == []


def test_no_personal_detail_in_any_database_file(
    test_kb: KnowledgeBase, database_url: str, engine: Engine, tmp_path: Path
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the files are PostgreSQL's own; the same rows are checked on SQLite")
    clock = Clock(VISIT)
    first = journey(test_kb, clock)
    code = take_away_code(first)
    first.say("my name is Bernadette Okonkwo, 07700 900123")
    store(engine, first.events)
    clock.now = LATER
    answer(test_kb, engine, clock, code, (2, 1))
    engine.dispose()
    files = sorted((tmp_path / "records").glob("navigator.sqlite3*"))
    raw = b"".join(path.read_bytes() for path in files)
    assert rows(engine, "SELECT contacted, reason FROM followup_answers") == [(False, REASONS[0])]
    for secret in (code, code.replace("-", ""), "Bernadette", "Okonkwo", "07700", "900123"):
        assert secret.encode() not in raw, secret
    assert code_hash(code).encode() in raw  # what is kept instead


def test_managers_figures_on_known_data(test_kb: KnowledgeBase, engine: Engine) -> None:
    """Twenty pathways given codes; sixteen answer: 6 helped, 3 partly, 3 not, 4 no contact."""
    why = {reason: REASONS.index(reason) + 1 for reason in REASONS}
    answers = [
        *[(1, 1)] * 6,
        *[(1, 2, why["waiting_list"])] * 3,
        *[(1, 3, why["no_answer"])] * 3,
        *[(2, why["too_hard"])] * 3,
        (2, why["other"]),
    ]
    clock = Clock(VISIT)
    codes = []
    for _ in range(20):
        talk = journey(test_kb, clock)
        codes.append(take_away_code(talk))
        store(engine, talk.events)
    clock.now = LATER
    for code, picks in zip(codes, answers, strict=False):
        answer(test_kb, engine, clock, code, picks)
    start, end = VISIT - dt.timedelta(days=1), VISIT + dt.timedelta(days=1)
    overview, by_need, by_service, reasons = followup_tables(
        engine, start, end, preset("threshold", threshold=3)
    )
    assert overview.rows == ((20, 16, 6, 3, 3, 4, 37.5),)
    assert "16 of 20 people given a follow-up code answered (80%)" in overview.note
    assert "not like those who did not" in overview.note
    assert rows_by_label(by_need) == {"money": ("money", 16, 6, 3, 3, 4, 37.5)}
    service_rows = rows_by_label(by_service)
    assert service_rows and all(row[1:] == (16, 6, 3, 3, 4, 37.5) for row in service_rows.values())
    assert {name: row[1] for name, row in rows_by_label(reasons).items()} == {
        "no_answer": 3,
        "too_hard": 3,
        "waiting_list": 3,
        "other": Hidden(3),
    }
    later = followup_tables(engine, end, end + dt.timedelta(days=7), preset("threshold", 3))
    assert later[0].rows[0][:2] == (0, 0)


def test_the_followup_tables_protect_small_numbers(test_kb: KnowledgeBase, engine: Engine) -> None:
    clock = Clock(VISIT)
    codes = []
    for _ in range(4):
        talk = journey(test_kb, clock)
        codes.append(take_away_code(talk))
        store(engine, talk.events)
    clock.now = LATER
    for code, picks in zip(codes, [(1, 1), (1, 1), (1, 1), (2, 1)], strict=False):
        answer(test_kb, engine, clock, code, picks)
    overview = followup_tables(
        engine, VISIT - dt.timedelta(days=1), VISIT + dt.timedelta(days=1), preset("threshold", 3)
    )[0]
    issued, answered, helped, partly, not_helped, not_contacted, _ = overview.rows[0]
    assert (issued, partly, not_helped, not_contacted) == (4, 0, 0, Hidden(3))
    secondary = [cell for cell in (answered, helped) if isinstance(cell, Hidden)]
    assert secondary and not secondary[0].primary  # so the one cannot be worked out
    assert "[c] of 4 people" in overview.note and " 4 of 4" not in overview.note


def test_the_dashboards_got_help_tab_shows_the_tables(
    test_kb: KnowledgeBase, engine: Engine
) -> None:
    clock = Clock(VISIT)
    for _ in range(3):
        talk = journey(test_kb, clock)
        code = take_away_code(talk)
        store(engine, talk.events)
        answer(test_kb, engine, clock, code, (1, 1))
    review = Review(engine=engine, knowledge=test_kb, threshold=3, today=lambda: VISIT.date())
    filters = Filters(Period(VISIT.date(), VISIT.date()))
    tables = review.section("followup", filters)
    assert [table.key for table in tables] == [
        "followup_overview",
        "followup_by_need",
        "followup_by_service",
        "followup_reasons",
    ]
    assert tables[0].rows == ((3, 3, 3, 0, 0, 0, 100.0),)


def test_a_managers_scope_counts_only_codes_given_at_its_sites(
    test_kb: KnowledgeBase, engine: Engine
) -> None:
    """Codes given at test-library (answered at market-hall) count for a scope of
    test-library exactly as for every site, and not at all for a scope of another site."""
    clock = Clock(VISIT)
    codes = []
    for _ in range(4):
        talk = journey(test_kb, clock)
        codes.append(take_away_code(talk))
        store(engine, talk.events)
    clock.now = LATER
    for code in codes[:3]:
        answer(test_kb, engine, clock, code, (1, 1))
    start, end = VISIT - dt.timedelta(days=1), VISIT + dt.timedelta(days=1)
    rule = preset("threshold", threshold=3)
    everywhere = followup_tables(engine, start, end, rule)
    assert everywhere[0].rows == ((4, 3, 3, 0, 0, 0, 100.0),)
    assert followup_tables(engine, start, end, rule, ("test-library", "x")) == everywhere
    elsewhere = followup_tables(engine, start, end, rule, ("market-hall",))
    assert elsewhere[0].rows[0][:2] == (0, 0)
