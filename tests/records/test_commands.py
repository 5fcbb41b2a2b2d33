"""`navigator db upgrade|status`, `purge` and `demo-data`, run as a person would."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from navigator.cli import main
from navigator.records.outbox import Outbox
from navigator.records.writer import RecordWriter, WriterOptions
from tests.records.conversations import Conversation
from tests.records.small_kb import write_small_kb


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every command reads settings from this test's folders only."""
    data = tmp_path / "data"
    monkeypatch.setenv("NAVIGATOR_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("NAVIGATOR_DATA_DIR", str(data))
    monkeypatch.delenv("NAVIGATOR_DATABASE_URL", raising=False)
    return data


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_db_upgrade_creates_the_file_and_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new" / "folder" / "records.sqlite3"
    status, out, _ = run(capsys, "db", "upgrade", "--db", str(path))
    assert status == 0 and "up to date" in out
    with sqlite3.connect(path) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"sessions", "steps", "unmet_needs", "alembic_version"} <= tables


def test_db_upgrade_on_a_damaged_file_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "records.sqlite3"
    path.write_bytes(b"not a database at all" * 200)
    status, _, err = run(capsys, "db", "upgrade", "--db", str(path))
    assert status == 1
    assert "damaged" in err and "Traceback" not in err


def test_db_status_shows_the_backlog_and_the_last_copy(
    tmp_path: Path, own_settings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main_db = tmp_path / "records.sqlite3"
    outbox = own_settings / "outbox.sqlite3"
    status, out, _ = run(capsys, "db", "status", "--db", str(main_db))
    assert status == 0 and "nothing recorded" in out and "not created yet" in out

    with RecordWriter(outbox, f"sqlite:///{main_db}") as writer:
        writer.submit(Conversation().started())
        assert writer.flush(timeout=10)
    waiting = Outbox(outbox)
    waiting.append(
        [
            {
                "event_id": "e1",
                "session_id": "s1",
                "sequence": 0,
                "kind": "x",
                "at": "2025-01-01T00:00:00+00:00",
            }
        ]
    )
    waiting.close()
    status, out, _ = run(capsys, "db", "status", "--db", str(main_db))
    assert status == 0
    assert "waiting to be copied: 1 event\n" in out
    assert f"{dt.datetime.now(dt.UTC):%Y-%m-%d}" in out and "never" not in out
    assert "reachable, schema" in out


def test_db_status_without_a_server_says_it_cannot_be_reached(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NAVIGATOR_DATABASE_URL", "postgresql+psycopg://kiosk:s3cret@127.0.0.1:9/x")
    status, out, _ = run(capsys, "db", "status")
    assert status == 1
    assert "cannot be reached" in out
    assert "s3cret" not in out


def test_purge_says_how_many_it_removed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "records.sqlite3"
    options = WriterOptions(idle_poll=0.05)
    with RecordWriter(tmp_path / "outbox.sqlite3", f"sqlite:///{path}", options) as writer:
        for days in (1, 400, 900, 1000):
            start = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
            for event in Conversation(start=start).whole():
                writer.submit(event)
        assert writer.flush(timeout=10)
    status, out, _ = run(capsys, "purge", "--older-than", "24m", "--db", str(path))
    assert status == 0 and out.startswith("Removed 2 sessions that started before")
    status, out, _ = run(capsys, "purge", "--db", str(path))  # the default: 24 months
    assert status == 0 and out.startswith("Removed 0 sessions")
    status, out, _ = run(capsys, "purge", "--older-than", "1y", "--db", str(path))
    assert status == 0 and out.startswith("Removed 1 session that")


def test_purge_refuses_a_period_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "purge", "--older-than", "soon", "--db", str(tmp_path / "x"))
    assert status == 2 and "24m" in err


def test_demo_data_fills_a_database_with_a_progress_bar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    knowledge = write_small_kb(tmp_path / "kb")
    path = tmp_path / "demo.sqlite3"
    status, out, err = run(
        capsys,
        "demo-data",
        "--sessions",
        "1500",
        "--seed",
        "2",
        "--kb",
        str(knowledge),
        "--db",
        str(path),
    )
    assert status == 0
    assert "Added 1,500 made-up sessions" in out
    assert "100%" in err and "1,500 of 1,500 sessions" in err
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM sessions").fetchone() == (1500,)


def test_demo_data_refuses_a_knowledge_base_with_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    knowledge = tmp_path / "kb"
    knowledge.mkdir()
    (knowledge / "bad.yaml").write_text("topics:\n  - id: Not An Id\n", encoding="utf-8")
    status, _, err = run(capsys, "demo-data", "--kb", str(knowledge), "--db", str(tmp_path / "d"))
    assert status == 2 and "navigator validate" in err
