"""Several councils in one database: a pack counts only the sites it is given (`--site`).

Counted against plain SQL on the same SQLite file, before any protection, so the
figures are exact: every session and every unmet need at the chosen site, and
none from the others.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from navigator.cli import main
from navigator.interop.evidence.coding import CodedCounts, count_coded
from navigator.interop.evidence.periods import parse_period
from navigator.interop.evidence.publishing import load_knowledge
from navigator.records.database import make_engine
from tests.conftest import DEMO_KNOWLEDGE
from tests.evidence.conftest import SESSIONS, Place, environment
from tests.records.conftest import throwaway_postgres


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


def summed_by_site(engine: Engine, council: str, period_name: str) -> tuple[CodedCounts, Cells]:
    """The whole database's counts, and the same cells summed over one count per site.

    Each session is at one site, so every cell of distinct sessions is the sum of its
    sites' cells: the per-site queries (reached from each site's sessions, by primary key)
    must add up to the whole-database queries (reached through the time indexes) exactly.
    """
    _, codes = load_knowledge(DEMO_KNOWLEDGE)
    period = parse_period(period_name)
    with engine.connect() as connection:
        sites = connection.execute(text("SELECT DISTINCT site FROM sessions")).scalars().all()
    assert len(sites) > 1
    whole = count_coded(engine, codes, codes.councils[council], period)
    summed: Cells = {"unmet": Counter(), "asked": Counter(), "sessions": Counter()}
    for site in sites:
        one = count_coded(engine, codes, codes.councils[council], period, sites=[site])
        for name in summed:
            summed[name].update(getattr(one, name))
    everywhere = count_coded(engine, codes, codes.councils[council], period, sites=sites)
    for name in summed:
        assert dict(getattr(everywhere, name)) == dict(getattr(whole, name)), name
    return whole, summed


Cells = dict[str, Counter[Any]]


def assert_same_cells(whole: CodedCounts, summed: Cells) -> None:
    for name, cells in summed.items():
        assert dict(getattr(whole, name)) == {k: v for k, v in cells.items() if v}, name
    assert sum(whole.unmet.values()) > 0 and sum(whole.asked.values()) > 0


def test_per_site_counts_add_up_to_the_whole_database_on_sqlite(councils: Place) -> None:
    engine = make_engine(f"sqlite:///{councils.folder / 'riverford.sqlite3'}")
    try:
        assert_same_cells(*summed_by_site(engine, "riverford", councils.period))
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_per_site_counts_add_up_to_the_whole_database_on_postgresql(councils: Place) -> None:
    """On PostgreSQL the per-site queries take another plan (JOIN LATERAL); the cells are the
    same as the whole-database queries', and the same as SQLite's for the same demo data."""
    council = "eastmoor"
    sqlite = make_engine(f"sqlite:///{councils.folder / f'{council}.sqlite3'}")
    try:
        _, codes = load_knowledge(DEMO_KNOWLEDGE)
        on_sqlite = count_coded(
            sqlite, codes, codes.councils[council], parse_period(councils.period)
        )
    finally:
        sqlite.dispose()
    with throwaway_postgres("navigator_s") as url, pytest.MonkeyPatch.context() as monkeypatch:
        environment(monkeypatch, councils.folder, "nhs-digital")
        monkeypatch.setenv("NAVIGATOR_DATABASE_URL", url)
        made = ["--kb", str(DEMO_KNOWLEDGE), "demo-data", "--council", council]
        assert main([*made, "--sessions", str(SESSIONS[council])]) == 0
        engine = make_engine(url)
        try:
            whole, summed = summed_by_site(engine, council, councils.period)
        finally:
            engine.dispose()
    assert_same_cells(whole, summed)
    for name in ("unmet", "asked", "sessions", "coverage"):
        assert dict(getattr(whole, name)) == dict(getattr(on_sqlite, name)), name


def test_the_knowledge_cache_serves_the_same_knowledge_and_codes(tmp_path: Path) -> None:
    """`publish --site` run once per council reads the knowledge base from the app's cache
    after the first: the same knowledge (by content hash and needs) and the same codes."""
    fresh, codes = load_knowledge(DEMO_KNOWLEDGE)
    cache = tmp_path / "cache"
    for _ in range(2):  # a miss that writes the cache, then a hit
        cached, cached_codes = load_knowledge(DEMO_KNOWLEDGE, cache)
        assert cached.content_hash == fresh.content_hash
        assert sorted(cached.needs) == sorted(fresh.needs)
        assert cached_codes == codes
    assert list(cache.glob("knowledge-*.pickle"))
