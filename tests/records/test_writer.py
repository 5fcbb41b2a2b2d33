"""The record writer: fast to hand events to, durable, and honest about trouble."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from navigator.config import Settings
from navigator.engine import events as ev
from navigator.records.database import connected, sqlite_file
from navigator.records.outbox import Outbox
from navigator.records.writer import RecordWriter, WriterOptions, WriterStatus, open_writer
from tests.records.conversations import Conversation, event_counts, many_events
from tests.support.waiting import wait_for

FAST = WriterOptions(retry_first=0.05, retry_max=0.2, busy_timeout=0.2, idle_poll=0.05)


def test_events_reach_the_main_database_exactly_once(database_url: str, tmp_path: Path) -> None:
    events = list(many_events(40))
    with RecordWriter(tmp_path / "outbox.sqlite3", database_url, FAST) as writer:
        for event in events:
            writer.submit(event)
        assert writer.flush(timeout=20)
        status = writer.status()
    assert status.backlog == 0 and status.problem is None and status.last_copy_at is not None
    with connected(database_url) as engine:
        counts = event_counts(engine)
    assert counts["receipts"] == counts["distinct"] == len(events)
    assert counts["sessions"] == counts["ended"] == 40
    with Outbox(tmp_path / "outbox.sqlite3") as outbox:
        assert outbox.backlog() == 0


def test_open_writer_uses_the_settings_paths(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    writer = open_writer(settings)
    writer.submit(Conversation().started())
    status = writer.close(timeout=10)
    assert status.backlog == 0 and status.problem is None
    assert settings.outbox_path.is_file() and settings.sqlite_path.is_file()
    with sqlite3.connect(settings.sqlite_path) as connection:
        assert connection.execute("SELECT count(*) FROM sessions").fetchone() == (1,)


def test_text_is_scrubbed_before_the_outbox(tmp_path: Path) -> None:
    """Even while the main database is unusable, the outbox holds no phone number."""
    main = tmp_path / "main.sqlite3"
    main.write_bytes(b"this is not a database" * 100)
    conversation = Conversation()
    writer = RecordWriter(tmp_path / "outbox.sqlite3", f"sqlite:///{main}", FAST)
    writer.submit(conversation.started())
    writer.submit(conversation.unmet(text="call me on 07700 900123 or jo@example.com"))
    assert writer.wait_durable(timeout=10)
    writer.close(timeout=0.5)
    raw = (tmp_path / "outbox.sqlite3").read_bytes()
    assert b"07700" not in raw and b"example.com" not in raw
    with Outbox(tmp_path / "outbox.sqlite3") as outbox:
        [item] = [p for p in outbox.peek(10) if p.payload["kind"] == "unmet_need"]
    assert item.payload["text"] == "call me on [phone] or [email]"


def test_submit_hands_over_without_waiting_for_the_disk(tmp_path: Path) -> None:
    """While the main database is locked, submit still returns and events pile up durably."""
    main = tmp_path / "main.sqlite3"
    writer = RecordWriter(tmp_path / "outbox.sqlite3", f"sqlite:///{main}", FAST)
    writer.submit(Conversation().started())
    assert writer.flush(timeout=10)
    blocker = sqlite3.connect(main, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        events = list(many_events(10))
        for event in events:
            writer.submit(event)
        assert writer.wait_durable(timeout=10)
        wait_for(lambda: writer.status().problem is not None)
        status = writer.status()
        assert status.problem is not None and status.problem.kind == "locked"
        assert status.backlog == len(events)
        assert "locked" in status.problem.message
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert writer.flush(timeout=10)
    assert writer.status().problem is None
    writer.close()
    with connected(f"sqlite:///{main}") as engine:
        assert event_counts(engine)["receipts"] == 61


def make_read_only(path: Path) -> str:
    """A URL to `path` that cannot be written: by permissions, or (as root) by SQLite itself."""
    path.chmod(0o444)
    if os.access(path, os.W_OK):  # root ignores permissions
        return f"sqlite:///file:{path}?mode=ro&uri=true"
    return f"sqlite:///{path}"


def _kept_and_then_copied(
    tmp_path: Path,
    breaking: Callable[[Path], str],
    repairing: Callable[[Path], None],
    expected_kind: str,
) -> WriterStatus:
    """Record a session, break the main database, record more, repair, and count."""
    main = tmp_path / "main.sqlite3"
    outbox = tmp_path / "outbox.sqlite3"
    first = list(many_events(3))
    with RecordWriter(outbox, f"sqlite:///{main}", FAST) as writer:
        for event in first:
            writer.submit(event)
        assert writer.flush(timeout=10)
    broken_url = breaking(main)
    second = list(many_events(5))
    writer = RecordWriter(outbox, broken_url, FAST)
    for event in second:
        writer.submit(event)
    assert writer.wait_durable(timeout=10)
    wait_for(lambda: writer.status().problem is not None)
    status = writer.close(timeout=0.3)
    assert status.problem is not None and status.problem.kind == expected_kind, status.problem
    assert status.backlog == len(second)
    repairing(main)
    with RecordWriter(outbox, f"sqlite:///{main}", FAST) as writer:
        assert writer.flush(timeout=10)
        final = writer.status()
    with connected(f"sqlite:///{main}") as engine:
        counts = event_counts(engine)
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert counts["receipts"] == counts["distinct"] == len(first) + len(second)
    return final


def test_a_read_only_database_keeps_records_in_the_outbox(tmp_path: Path) -> None:
    final = _kept_and_then_copied(
        tmp_path, make_read_only, lambda main: main.chmod(0o644), "read_only"
    )
    assert final.problem is None


def test_a_corrupt_database_keeps_records_in_the_outbox(tmp_path: Path) -> None:
    saved: dict[str, bytes] = {}

    def corrupt(main: Path) -> str:
        for suffix in ("", "-wal", "-shm"):
            part = main.with_name(main.name + suffix)
            if part.exists():
                saved[suffix] = part.read_bytes()
        main.write_bytes(b"\0garbage" * 4096)
        return f"sqlite:///{main}"

    def restore(main: Path) -> None:
        # Atomically: the broken writer's copier may still be trying the file as we restore.
        for suffix, content in saved.items():
            temporary = main.with_name(main.name + suffix + ".restoring")
            temporary.write_bytes(content)
            temporary.replace(main.with_name(main.name + suffix))

    final = _kept_and_then_copied(tmp_path, corrupt, restore, "corrupt")
    assert final.problem is None


def test_a_full_disk_keeps_records_in_the_outbox(tmp_path: Path) -> None:
    main = tmp_path / "main.sqlite3"
    with RecordWriter(tmp_path / "outbox.sqlite3", f"sqlite:///{main}", FAST) as writer:
        writer.submit(Conversation().started())
        assert writer.flush(timeout=10)
    with sqlite3.connect(main) as connection:
        (pages,) = connection.execute("PRAGMA page_count").fetchone()
    full = WriterOptions(
        retry_first=0.05,
        retry_max=0.2,
        busy_timeout=0.2,
        idle_poll=0.05,
        sqlite_pragmas={"max_page_count": pages},
    )
    events = list(many_events(200))
    writer = RecordWriter(tmp_path / "outbox.sqlite3", f"sqlite:///{main}", full)
    for event in events:
        writer.submit(event)
    assert writer.wait_durable(timeout=10)
    wait_for(lambda: writer.status().problem is not None)
    status = writer.close(timeout=0.3)
    assert status.problem is not None and status.problem.kind == "full"
    assert status.backlog == len(events)
    assert "full" in status.problem.message
    with RecordWriter(tmp_path / "outbox.sqlite3", f"sqlite:///{main}", FAST) as writer:
        assert writer.flush(timeout=10)
    with connected(f"sqlite:///{main}") as engine:
        assert event_counts(engine)["receipts"] == len(events) + 1


def test_an_unreachable_server_is_reported_and_the_backlog_waits(tmp_path: Path) -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:9/nothing"  # the discard port: refused
    writer = RecordWriter(tmp_path / "outbox.sqlite3", url, FAST)
    for event in many_events(2):
        writer.submit(event)
    assert writer.wait_durable(timeout=10)
    wait_for(lambda: writer.status().problem is not None)
    status = writer.close(timeout=0.3)
    assert status.problem is not None and status.problem.kind == "unreachable"
    assert status.backlog == 12
    assert "nobody@127.0.0.1" not in status.problem.message


def test_a_broken_outbox_folder_is_reported_and_events_wait_in_memory(tmp_path: Path) -> None:
    blocked = tmp_path / "data"
    blocked.write_text("a file where the folder should be")
    main = tmp_path / "main.sqlite3"
    writer = RecordWriter(blocked / "outbox.sqlite3", f"sqlite:///{main}", FAST)
    writer.submit(Conversation().started())
    wait_for(lambda: writer.status().problem is not None)
    status = writer.status()
    assert status.problem is not None and status.problem.kind == "outbox"
    assert status.in_memory == 1
    blocked.unlink()
    assert writer.flush(timeout=10)
    writer.close()
    with connected(f"sqlite:///{main}") as engine:
        assert event_counts(engine)["sessions"] == 1


def test_status_survives_in_the_outbox_for_other_processes(tmp_path: Path) -> None:
    main = tmp_path / "main.sqlite3"
    with RecordWriter(tmp_path / "outbox.sqlite3", f"sqlite:///{main}", FAST) as writer:
        writer.submit(Conversation().started())
        assert writer.flush(timeout=10)
    with Outbox(tmp_path / "outbox.sqlite3") as outbox:
        last = outbox.get_meta("last_copy_at")
    assert last is not None
    assert dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(last) < dt.timedelta(minutes=5)
    assert sqlite_file(f"sqlite:///{main}") == main


def test_no_read_api_for_front_ends() -> None:
    """The writer offers nothing that returns a record: records go in, never back out."""
    public = {name for name in dir(RecordWriter) if not name.startswith("_")}
    assert public == {"submit", "status", "wait_durable", "flush", "close"}


@pytest.mark.parametrize("size", [1, 7])
def test_small_batches_still_copy_everything(tmp_path: Path, size: int) -> None:
    main = tmp_path / "main.sqlite3"
    options = WriterOptions(batch_size=size, retry_first=0.05, idle_poll=0.05)
    events = list(many_events(5))
    with RecordWriter(tmp_path / "outbox.sqlite3", f"sqlite:///{main}", options) as writer:
        for event in events:
            writer.submit(event)
        assert writer.flush(timeout=10)
    with connected(f"sqlite:///{main}") as engine:
        assert event_counts(engine)["receipts"] == len(events)


def test_an_event_the_database_refuses_is_set_aside_and_the_rest_arrive(
    database_url: str, tmp_path: Path
) -> None:
    good = list(many_events(3))
    outbox_path = tmp_path / "outbox.sqlite3"
    with Outbox(outbox_path) as outbox:
        from navigator.records.payloads import to_payload

        payloads = [to_payload(event) for event in good]
        broken = dict(to_payload(Conversation().unmet()), reason=None)  # NOT NULL in the table
        outbox.append([*payloads[:5], broken, *payloads[5:]])
    with RecordWriter(outbox_path, database_url, FAST) as writer:
        assert writer.flush(timeout=20)
        status = writer.status()
    assert status.rejected == 1 and status.backlog == 0
    assert status.problem is not None and status.problem.kind == "refused"
    with connected(database_url) as engine:
        assert event_counts(engine)["receipts"] == len(good)
    with Outbox(outbox_path) as outbox:
        assert outbox.rejected() == 1


def test_events_after_close_are_counted_as_dropped_not_lost_silently(tmp_path: Path) -> None:
    writer = RecordWriter(tmp_path / "outbox.sqlite3", f"sqlite:///{tmp_path / 'm.sqlite3'}", FAST)
    writer.submit(Conversation().started())
    writer.close(timeout=10)
    writer.submit(Conversation().started())
    assert writer.status().dropped == 1


def test_a_malformed_event_is_dropped_and_the_writer_carries_on(tmp_path: Path) -> None:
    main = tmp_path / "m.sqlite3"
    writer = RecordWriter(tmp_path / "outbox.sqlite3", f"sqlite:///{main}", FAST)
    broken = ev.SessionEnded(session_id="s-1", sequence=1, how="finished", at="yesterday")  # type: ignore[arg-type]
    writer.submit(broken)
    writer.submit(Conversation().started())
    assert writer.flush(timeout=10)
    status = writer.close()
    assert status.dropped == 1 and status.problem is None
    with connected(f"sqlite:///{main}") as engine:
        assert event_counts(engine)["sessions"] == 1
