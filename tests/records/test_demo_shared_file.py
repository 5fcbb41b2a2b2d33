"""`demo-data` into a SQLite file that another process has open (a dashboard, a report).

Reported from the reports bench: with a connection left open on the file, `demo-data`
failed at once with "database is locked", because leaving WAL for its fast load
needs the file to itself. Another program holding the records open is normal (a
manager's dashboard), so the load must share the file, not fail.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from navigator.kb import KnowledgeBase, load
from navigator.records.database import connected
from navigator.records.demo import fill
from tests.records.small_kb import write_small_kb

END = dt.date(2025, 6, 30)

READER = """
import sys
from sqlalchemy import text
from navigator.records.database import make_engine

engine = make_engine(sys.argv[1])  # how the dashboard opens the records
connection = engine.connect()
count = connection.execute(text("SELECT count(*) FROM sessions")).scalar()
connection.rollback()  # like a dashboard between two refreshes: open, no transaction
print(count, flush=True)
sys.stdin.readline()  # keep the file open until the test is done
count = connection.execute(text("SELECT count(*) FROM sessions")).scalar()
print(count, flush=True)
"""


@pytest.fixture
def small_kb(tmp_path: Path) -> KnowledgeBase:
    result = load(write_small_kb(tmp_path / "kb"))
    assert result.ok, result.diagnostics
    return result.knowledge


@pytest.fixture
def url(tmp_path: Path, small_kb: KnowledgeBase) -> str:
    url = f"sqlite:///{tmp_path / 'records.sqlite3'}"
    fill(url, small_kb, 200, seed=1, end=END)
    return url


@pytest.fixture
def reader(url: str) -> Iterator[subprocess.Popen[str]]:
    """Another process with the records file open, as a dashboard would have."""
    process = subprocess.Popen(
        [sys.executable, "-c", READER, url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "200"  # it has the file open now
        yield process
    finally:
        process.kill()
        process.wait()


def test_demo_data_while_another_process_has_the_file_open(
    url: str, small_kb: KnowledgeBase, reader: subprocess.Popen[str]
) -> None:
    result = fill(url, small_kb, 300, seed=2, end=END, chunk=100)
    assert result.sessions == 300
    with connected(url) as engine, engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM sessions")).scalar() == 500
        days = connection.execute(text("SELECT sum(sessions) FROM session_days WHERE grain = 0"))
        assert days.scalar() == 500  # the summary triggers kept up with the load
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    out, _ = reader.communicate("\n", timeout=60)
    assert out.strip() == "500"  # the other process sees the new sessions
