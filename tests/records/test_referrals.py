"""Referrals in the records (issue 20): ids and a status, the answer by reply code.

On SQLite and PostgreSQL (`database_url`). The message itself, with the
resident's details, is tested in tests/advocate/test_referral.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from navigator.cli import main
from navigator.engine import events as ev
from navigator.engine.referral import AnswerProblem, ParsedAnswer, new_code, parse_answer
from navigator.kb import KnowledgeBase
from navigator.records.database import connected, upgrade
from navigator.records.payloads import to_payload
from navigator.records.referrals import store_answer
from navigator.records.reports.review import Review
from navigator.records.reports.tables import Filters, Period
from navigator.records.store import store_payloads
from tests.support.reports import shown

SENT = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)
ANSWERED = dt.datetime(2026, 3, 5, 16, 30, tzinfo=dt.UTC)
SESSION = "0d4e1b7a-6a53-4d43-9a39-4f3c2b1f7a10"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    with connected(database_url, writing=True) as engine:
        upgrade(engine)
        yield engine


def referral(code: str, sequence: int = 1) -> ev.ReferralSent:
    return ev.ReferralSent(
        session_id=SESSION,
        sequence=sequence,
        at=SENT,
        service_id="home-help",
        need_id="care",
        code=code,
        delivery="email",
        topic_id="help-at-home",
        node_id="care-result",
    )


def stored(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                text(
                    "SELECT code, service_id, need_id, delivery, status, reason, "
                    "answered_at IS NOT NULL FROM referrals ORDER BY sequence"
                )
            )
        ]


def advocate_session(session: str, at: dt.datetime) -> ev.SessionStarted:
    """The start of an advocate's session at the market hall, where referrals are sent from."""
    return ev.SessionStarted(
        session_id=session,
        sequence=0,
        at=at,
        channel="advocate",
        site="market-hall",
        content_hash="x",
    )


def test_a_referral_is_stored_as_ids_and_answered_by_its_code(engine: Engine) -> None:
    code = new_code()
    started = advocate_session(SESSION, SENT)
    payloads = [to_payload(started), to_payload(referral(code))]
    with engine.begin() as connection:
        store_payloads(connection, payloads, SENT)
        store_payloads(connection, payloads, SENT)  # a retry changes nothing
    assert stored(engine) == [(code, "home-help", "care", "email", "sent", None, False)]

    answer = store_answer(engine, parse_answer(f"{code} declined no capacity"), ANSWERED)
    assert (answer.status, answer.service_id, answer.previous) == ("stored", "home-help", "sent")
    assert stored(engine) == [(code, "home-help", "care", "email", "declined", "no_capacity", True)]
    again = store_answer(engine, ParsedAnswer(code, "accepted", None), ANSWERED)
    assert (again.status, again.previous) == ("replaced", "declined")
    assert stored(engine)[0][4:6] == ("accepted", None)


def test_an_unknown_code_changes_nothing(engine: Engine) -> None:
    answer = store_answer(engine, ParsedAnswer("BCDF-GHJK", "accepted", None), ANSWERED)
    assert answer.status == "unknown_code"
    assert stored(engine) == []


def test_a_code_that_is_not_a_code_is_never_stored() -> None:
    payload = to_payload(referral("jo.bloggs@example.com"))
    assert payload["code"] == "unknown"


@pytest.mark.parametrize(
    ("reply", "answer", "reason"),
    [
        ("BCDF-GHJK accepted", "accepted", None),
        ("bcdf-ghjk Accepted, thanks", "accepted", None),
        ("> BCDF-GHJK declined not eligible", "declined", "not_eligible"),
        ("BCDF-GHJK declined out-of-area", "declined", "out_of_area"),
        ("BCDF-GHJK declined declined by person", "declined", "declined_by_person"),
        ("BCDF-GHJK declined", "declined", "other"),
        ("BCDF-GHJK declined because we are closing", "declined", "other"),
        (
            "Hello,\n\nthanks for this.\nBCDF-GHJK declined no capacity\n-- \nJo",
            "declined",
            "no_capacity",
        ),
    ],
)
def test_replies_are_read(reply: str, answer: str, reason: str | None) -> None:
    parsed = parse_answer(reply)
    assert (parsed.code, parsed.answer, parsed.reason) == ("BCDF-GHJK", answer, reason)


def test_an_unreadable_reply_says_how_to_write_one() -> None:
    with pytest.raises(AnswerProblem, match="declined no capacity"):
        parse_answer("yes we can help")


def test_codes_are_random_and_readable() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 9 and code[4] == "-" for code in codes)


# --- The managers' figures on known data --------------------------------------------------


def _refer(engine: Engine, index: int, service: str, answer: str | None, reason: str = "") -> None:
    """One session with one referral to `service`, answered two days later (or not yet)."""
    session = f"{index:08d}-0000-4000-8000-000000000000"
    at = SENT + dt.timedelta(hours=index)
    code = new_code()
    started = advocate_session(session, at)
    sent = ev.ReferralSent(
        session_id=session,
        sequence=1,
        at=at,
        service_id=service,
        need_id="care",
        code=code,
        delivery="email",
    )
    with engine.begin() as connection:
        store_payloads(connection, [to_payload(started), to_payload(sent)], at)
    if answer is not None:
        parsed = parse_answer(f"{code} {answer} {reason}")
        store_answer(engine, parsed, at + dt.timedelta(days=2))


def test_the_services_tab_shows_referrals_acceptance_time_and_reasons(
    engine: Engine, test_kb: KnowledgeBase
) -> None:
    plan = (
        [("home-help", "accepted", "")] * 15
        + [("home-help", "declined", "no capacity")] * 10
        + [("home-help", None, "")] * 5
        + [("day-centre", "accepted", ""), ("day-centre", "declined", "out of area")]
    )
    for index, (service, answer, reason) in enumerate(plan):
        _refer(engine, index, service, answer, reason)
    review = Review(engine=engine, knowledge=test_kb, threshold=5)
    filters = Filters(Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)))
    [table] = [t for t in review.section("services", filters) if t.key == "referrals"]
    home, day = shown(table)
    assert home == ["Testborough Home Help", "30", "15", "10", "5", "60.0", "2.0", "No capacity 10"]
    assert day[0] == "Riverside Day Centre"
    assert day[1:6] == ["<5", "<5", "<5", "0", "[c]"]  # 3 sent, 1 accepted, 2 declined
    assert day[6] == ""  # fewer than 5 answered: no time to answer


def test_the_command_reads_a_saved_reply_and_says_what_it_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "records.sqlite3"
    with connected(f"sqlite:///{database}", writing=True) as engine:
        upgrade(engine)
        _refer(engine, 1, "home-help", None)
        with engine.connect() as connection:
            code = connection.execute(text("SELECT code FROM referrals")).scalar_one()
    reply = tmp_path / "reply.eml"
    reply.write_text(f"Subject: Re: referral\n\nHello,\n> {code} declined Not eligible\nJo\n")
    assert main(["referral", "--reply", str(reply), "--db", str(database)]) == 0
    said = capsys.readouterr().out
    assert f"referral {code} to home-help: declined (not eligible)" in said
    assert main(["referral", "BCDF-GHJK", "accepted", "--db", str(database)]) == 1
    assert "no referral has the code BCDF-GHJK" in capsys.readouterr().err
    assert main(["referral", "we can help", "--db", str(database)]) == 2
    assert "write the reply code" in capsys.readouterr().err
    assert main(["referral", "--reply", str(tmp_path / "missing"), "--db", str(database)]) == 2


def test_hidden_rows_are_not_ranked_by_their_hidden_counts(
    engine: Engine, test_kb: KnowledgeBase
) -> None:
    """Issue 16's rule: "<5" rows in the order of their true counts would rank what is hidden.

    Home help has 4 referrals and the day centre 1: both read "<5", so they are listed by
    title (Riverside before Testborough), not most referred first.
    """
    plan = [("home-help", "accepted", "")] * 4 + [("day-centre", "accepted", "")]
    for index, (service, answer, reason) in enumerate(plan):
        _refer(engine, index, service, answer, reason)
    review = Review(engine=engine, knowledge=test_kb, threshold=5)
    filters = Filters(Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)))
    [table] = [t for t in review.section("services", filters) if t.key == "referrals"]
    rows = shown(table)
    assert [row[0] for row in rows] == ["Riverside Day Centre", "Testborough Home Help"]
    assert [row[1] for row in rows] == ["<5", "<5"]
