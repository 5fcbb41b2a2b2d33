"""Several councils in one database: a pack counts only the sites it is given (`--site`).

Counted against plain SQL on the same SQLite file, before any protection, so the
figures are exact: every session and every unmet need at the chosen site, and
none from the others.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from navigator.interop.evidence.coding import count_coded
from navigator.interop.evidence.periods import parse_period
from navigator.interop.evidence.publishing import load_knowledge
from navigator.records.database import make_engine
from tests.conftest import DEMO_KNOWLEDGE
from tests.evidence.conftest import Place


def hand_counts(database: Path, period_name: str, site: str | None) -> tuple[int, int]:
    """Sessions, and sessions with unmet need, in the period (at `site` if given)."""
    period = parse_period(period_name)
    bounds = (f"{period.start} 00:00:00", f"{period.end_exclusive} 00:00:00")
    where = "s.started_at >= ? AND s.started_at < ?" + (" AND s.site = ?" if site else "")
    parameters = (*bounds, site) if site else bounds
    with sqlite3.connect(database) as connection:
        (sessions,) = connection.execute(
            f"SELECT count(*) FROM sessions s WHERE {where}", parameters
        ).fetchone()
        (unmet,) = connection.execute(
            "SELECT count(DISTINCT u.session_id) FROM unmet_needs u "
            f"JOIN sessions s ON s.id = u.session_id WHERE {where}",
            parameters,
        ).fetchone()
    return int(sessions), int(unmet)


def test_a_pack_counts_only_its_own_sites(councils: Place) -> None:
    database = councils.folder / "northbrook.sqlite3"
    _, codes = load_knowledge(DEMO_KNOWLEDGE)
    council = codes.councils["northbrook"]
    period = parse_period(councils.period)
    with sqlite3.connect(database) as connection:
        sites = [row[0] for row in connection.execute("SELECT DISTINCT site FROM sessions")]
    assert len(sites) > 1, "the demo has several sites, so leaving some out shows"
    engine = make_engine(f"sqlite:///{database}")
    try:
        everything = count_coded(engine, codes, council, period)
        one = count_coded(engine, codes, council, period, sites=[sites[0]])
    finally:
        engine.dispose()
    assert sum(everything.sessions.values()) == hand_counts(database, councils.period, None)[0]
    sessions, unmet = hand_counts(database, councils.period, sites[0])
    assert 0 < sessions < sum(everything.sessions.values())
    assert sum(one.sessions.values()) == sessions
    assert {site for site, _ in one.coverage} == {sites[0]}
    # A session counts once per cell (ward, need, reason code, channel), so at least once.
    assert unmet > 0
    assert unmet <= sum(one.unmet.values()) < sum(everything.unmet.values())
