"""`navigator chat --plain`: the code shown with the results, typed in a later run, joins its
pathway. The real command in a child process, on a SQLite file and on PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from navigator.records.database import connected
from tests.plain.test_plain_chat import chat
from tests.records.conftest import throwaway_postgres

pytestmark = pytest.mark.timeout(180)

CODE = re.compile(r"Follow-up code: ([A-Z]{4}-[0-9]{4})")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'records.sqlite3'}"
        return
    with throwaway_postgres("navigator_plain_followup") as url:
        yield url


def rows(url: str, sql: str) -> list[tuple[object, ...]]:
    with connected(url) as engine, engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def test_a_code_from_one_run_joins_its_pathway_in_the_next(
    test_kb_dir: Path, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NAVIGATOR_DATABASE_URL", database_url)
    first = chat(test_kb_dir, b"2\n1\n", tmp_path)
    assert first.returncode == 0, first.stderr
    found = CODE.search(first.stdout)
    assert found is not None, first.stdout
    pathway = rows(database_url, "SELECT session_id FROM followup_codes")
    assert len(pathway) == 1

    later = chat(test_kb_dir, f"{found.group(1).lower()}\n2\n5\n".encode(), tmp_path)
    assert later.returncode == 0, later.stderr
    assert "Did you contact the service" in later.stdout
    assert "Thank you. What you told us is kept without your name" in later.stdout
    sql = "SELECT session_id, contacted, helped, reason FROM followup_answers"
    stored = rows(database_url, sql)
    assert stored == [(pathway[0][0], False, None, "not_right")]
    # A visit that only answered the follow-up is not a session that gave up at the welcome.
    assert rows(database_url, "SELECT id FROM sessions") == pathway

    unknown = chat(test_kb_dir, b"NNNN-4444\n2\n", tmp_path)
    assert "could not find that code" in unknown.stdout
    assert "Traceback" not in unknown.stderr
