"""Never lose a record: killed writers, twenty writers at once, a database server that goes away.

These use real processes and real servers. "Exactly once" is checked against
the ledger each writer process keeps of the events it was promised would be
kept (see `writer_process.py`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from navigator.records.database import connected
from navigator.records.writer import RecordWriter, WriterOptions
from tests.conftest import REPO
from tests.records.conversations import Conversation
from tests.records.pg_cluster import private_cluster
from tests.support.waiting import wait_for

pytestmark = pytest.mark.slow

FAST = WriterOptions(retry_first=0.05, retry_max=0.5, idle_poll=0.05, busy_timeout=2.0)


def writer_process(
    outbox: Path,
    url: str,
    ledger: Path,
    sessions: int,
    batch_size: int = 500,
    close_timeout: float = 60.0,
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable, "-m", "tests.records.writer_process",
            "--outbox", str(outbox), "--url", url, "--ledger", str(ledger),
            "--sessions", str(sessions), "--batch-size", str(batch_size),
            "--close-timeout", str(close_timeout),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip


def receipts(engine: Engine) -> Counter[str]:
    with engine.connect() as connection:
        return Counter(row[0] for row in connection.execute(text("SELECT event_id FROM events")))


def promised(*ledgers: Path) -> list[str]:
    ids: list[str] = []
    for ledger in ledgers:
        if ledger.exists():
            ids += ledger.read_text(encoding="utf-8").split()
    return ids


def assert_exactly_once(engine: Engine, expected: list[str]) -> None:
    stored = receipts(engine)
    assert len(set(expected)) == len(expected)
    missing = set(expected) - set(stored)
    assert not missing, f"{len(missing)} promised events never arrived"
    duplicated = [event_id for event_id, count in stored.items() if count > 1]
    assert not duplicated
    with engine.connect() as connection:
        steps = connection.execute(text("SELECT count(*) FROM steps")).scalar_one()
        distinct_steps = connection.execute(
            text("SELECT count(*) FROM (SELECT DISTINCT session_id, sequence FROM steps) AS s")
        ).scalar_one()
        assert steps == distinct_steps
        if engine.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_a_writer_killed_mid_batch_loses_nothing_and_duplicates_nothing(
    database_url: str, tmp_path: Path
) -> None:
    outbox, ledger = tmp_path / "outbox.sqlite3", tmp_path / "ledger.txt"
    child = writer_process(outbox, database_url, ledger, sessions=400, batch_size=37)
    try:
        with connected(database_url) as engine:

            def copying_has_begun() -> bool:
                if child.poll() is not None:
                    raise AssertionError(f"writer ended early: {child.communicate()}")
                try:
                    return len(receipts(engine)) > 200 and len(promised(ledger)) > 300
                except Exception:  # the tables are made by the writer's first copy
                    return False

            wait_for(copying_has_begun, 60)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    expected = promised(ledger)
    with connected(database_url) as engine:
        arrived_before_restart = len(receipts(engine))
    assert arrived_before_restart < 400 * 11, "killed too late to test anything"

    with RecordWriter(outbox, database_url, FAST) as restarted:
        assert restarted.flush(timeout=60)
    with connected(database_url) as engine:
        assert_exactly_once(engine, expected)


@pytest.mark.timeout(900)
def test_twenty_writer_processes_at_once(database_url: str, tmp_path: Path) -> None:
    """Twenty Python processes cost about 20 CPU-seconds to start here: generous timeouts,
    since a busy machine only makes this slow, and "slow" is not what is being tested."""
    children, ledgers = [], []
    for number in range(20):
        ledger = tmp_path / f"ledger-{number}.txt"
        ledgers.append(ledger)
        children.append(
            writer_process(
                tmp_path / f"outbox-{number}.sqlite3",
                database_url,
                ledger,
                sessions=15,
                batch_size=40,
                close_timeout=300,
            )
        )
    for child in children:
        out, err = child.communicate(timeout=400)
        assert child.returncode == 0, (out, err)
        assert "backlog=0" in out
    expected = promised(*ledgers)
    assert len(expected) == 20 * 15 * 11
    with connected(database_url) as engine:
        assert_exactly_once(engine, expected)
        assert len(receipts(engine)) == len(expected)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM sessions")).scalar_one() == 300


def test_the_server_stops_mid_session_and_the_backlog_arrives_once_it_returns(
    tmp_path: Path,
) -> None:
    with private_cluster() as cluster:
        conversation = Conversation()
        events = conversation.whole()
        writer = RecordWriter(tmp_path / "outbox.sqlite3", cluster.url, FAST)
        try:
            for event in events[:4]:
                writer.submit(event)
            assert writer.flush(timeout=30)

            cluster.stop()
            for event in events[4:]:
                writer.submit(event)
            assert writer.wait_durable(timeout=10)
            wait_for(lambda: writer.status().problem is not None, seconds=30)
            status = writer.status()
            assert status.problem is not None and status.problem.kind == "unreachable"
            assert status.backlog == len(events) - 4

            cluster.start()
            assert writer.flush(timeout=60)
            assert writer.status().problem is None
        finally:
            writer.close(timeout=10)
        with connected(cluster.url) as engine:
            assert_exactly_once(engine, [event.event_id for event in events])
            with engine.connect() as connection:
                ended = connection.execute(text("SELECT end_how FROM sessions")).scalar_one()
        assert ended == "finished"
