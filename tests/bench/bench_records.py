"""The record writer at speed: submit latency, and events per second into SQLite and PostgreSQL.

For each engine (SQLite in a temporary folder; PostgreSQL when `--postgres URL`
is given or NAVIGATOR_TEST_POSTGRES_URL is set) this measures, in one run:

- **submit latency**: what a front end waits for per event (`RecordWriter.submit`),
  median, 99th percentile and worst, against the alternative design of
  committing each event to the outbox on the interface thread;
- **1 writer**: events per second from the first submit until `flush()` says every
  event is in the main database (scrubbing, the durable outbox, the batched copy);
- **20 writers**: twenty processes, each with its own outbox, submitting at once;
  events per second over the time from the first process starting to submit
  until the last has flushed (their start-up is not counted);
- **baseline**: the same number of rows (the `events` receipts) written with raw
  `sqlite3` `executemany` in one transaction, or psycopg `COPY`, in the same run.

Run: .venv/bin/python tests/bench/bench_records.py [--events N] [--postgres URL]
     [--writers 20] [--per-writer N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from navigator.records.outbox import Outbox  # noqa: E402
from navigator.records.payloads import to_payload  # noqa: E402
from navigator.records.writer import RecordWriter, WriterOptions  # noqa: E402
from tests.records.conversations import Conversation  # noqa: E402

OPTIONS = WriterOptions(idle_poll=0.05, retry_first=0.05)


def events(count: int) -> list:  # type: ignore[type-arg]
    """Whole sessions (11 events each, every kind, some free text) up to `count` events."""
    made: list = []  # type: ignore[type-arg]
    while len(made) < count:
        made += Conversation(start=dt.datetime.now(dt.UTC)).whole()
    return made[:count]


def submit_latency(url: str, count: int, folder: Path) -> dict[str, float]:
    """Microseconds per `submit`, and per synchronous durable outbox write for comparison."""
    batch = events(count)
    writer = RecordWriter(folder / "latency-outbox.sqlite3", url, OPTIONS)
    times = []
    for event in batch:
        started = time.perf_counter_ns()
        writer.submit(event)
        times.append(time.perf_counter_ns() - started)
        if len(times) % 50 == 0:
            time.sleep(0.001)  # a front end does other things between events
    writer.flush(timeout=120)
    writer.close()
    synchronous = []
    with Outbox(folder / "synchronous-outbox.sqlite3") as outbox:
        for event in batch[: min(count, 2000)]:
            started = time.perf_counter_ns()
            outbox.append([to_payload(event)])
            synchronous.append(time.perf_counter_ns() - started)
    times.sort()
    synchronous.sort()
    return {
        "median_us": times[len(times) // 2] / 1000,
        "p99_us": times[int(len(times) * 0.99)] / 1000,
        "max_us": times[-1] / 1000,
        "sync_median_us": synchronous[len(synchronous) // 2] / 1000,
        "sync_p99_us": synchronous[int(len(synchronous) * 0.99)] / 1000,
    }


def warmed_up(outbox: Path, url: str) -> RecordWriter:
    """A writer whose copier has loaded SQLAlchemy and connected (start-up is not measured)."""
    writer = RecordWriter(outbox, url, OPTIONS)
    for event in events(11):
        writer.submit(event)
    if not writer.flush(timeout=120):
        raise SystemExit(f"warm-up flush timed out: {writer.status()}")
    return writer


def one_writer(url: str, count: int, folder: Path) -> float:
    batch = events(count)
    writer = warmed_up(folder / f"one-{uuid.uuid4().hex}.sqlite3", url)
    started = time.perf_counter()
    for event in batch:
        writer.submit(event)
    if not writer.flush(timeout=600):
        raise SystemExit(f"flush timed out: {writer.status()}")
    seconds = time.perf_counter() - started
    writer.close()
    return count / seconds


def child(url: str, count: int, outbox: Path) -> None:
    """One of the concurrent writers: make events, say ready, wait for go, submit, flush."""
    batch = events(count)
    writer = warmed_up(outbox, url)
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.time()
    for event in batch:
        writer.submit(event)
    ok = writer.flush(timeout=600)
    print(json.dumps({"start": started, "end": time.time(), "ok": ok}), flush=True)
    writer.close()


def many_writers(url: str, writers: int, per_writer: int, folder: Path) -> float:
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--child",
                url,
                "--per-writer",
                str(per_writer),
                "--outbox",
                str(folder / f"many-{n}.sqlite3"),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for n in range(writers)
    ]
    for process in processes:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in processes:
        assert process.stdout is not None
        results.append(json.loads(process.stdout.readline()))
        process.wait()
    if not all(result["ok"] for result in results):
        raise SystemExit("a writer did not flush in time")
    seconds = max(r["end"] for r in results) - min(r["start"] for r in results)
    return writers * per_writer / seconds


def baseline(url: str, count: int, folder: Path) -> float:
    """Raw driver: the receipts rows for `count` events, in one transaction."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    session = str(uuid.uuid4())
    rows = [(str(uuid.uuid4()), session, n, "answer_given", now, now) for n in range(count)]
    if url.startswith("sqlite"):
        import sqlite3

        path = folder / "baseline.sqlite3"
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute(
            "CREATE TABLE events (event_id TEXT PRIMARY KEY, session_id TEXT, sequence INT, "
            "kind TEXT, at TEXT, received_at TEXT) WITHOUT ROWID"
        )
        started = time.perf_counter()
        connection.execute("BEGIN")
        connection.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)", rows)
        connection.execute("COMMIT")
        seconds = time.perf_counter() - started
        connection.close()
        return count / seconds
    import psycopg
    from sqlalchemy import make_url

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as connection:
        connection.execute(
            "CREATE TEMPORARY TABLE bench_events (event_id TEXT PRIMARY KEY, session_id TEXT, "
            "sequence INT, kind TEXT, at TIMESTAMPTZ, received_at TIMESTAMPTZ)"
        )
        started = time.perf_counter()
        with connection.cursor() as cursor, cursor.copy("COPY bench_events FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        connection.commit()
        return count / (time.perf_counter() - started)


def fresh_postgres(base: str) -> str:
    import psycopg
    from sqlalchemy import make_url

    name = f"navigator_bench_{uuid.uuid4().hex[:8]}"
    admin = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def drop_postgres(url: str, base: str) -> None:
    import psycopg
    from sqlalchemy import make_url

    admin = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def bench(engine: str, url: str, arguments: argparse.Namespace, folder: Path) -> None:
    print(f"\n## {engine}")
    latency = submit_latency(url, arguments.events, folder)
    print(
        f"submit latency: median {latency['median_us']:.1f} µs, p99 {latency['p99_us']:.1f} µs, "
        f"worst {latency['max_us']:.0f} µs  |  committing each event on the interface thread "
        f"instead: median {latency['sync_median_us']:.0f} µs, p99 {latency['sync_p99_us']:.0f} µs "
        f"({latency['sync_median_us'] / latency['median_us']:.0f}x the median)"
    )
    raw = baseline(url, arguments.events, folder)
    single = one_writer(url, arguments.events, folder)
    total = arguments.writers * arguments.per_writer
    concurrent = many_writers(url, arguments.writers, arguments.per_writer, folder)
    label = "executemany" if engine == "SQLite" else "COPY"
    print(f"1 writer:   {single:>9,.0f} events/s ({arguments.events:,} events)")
    print(f"{arguments.writers} writers: {concurrent:>9,.0f} events/s ({total:,} events)")
    print(f"raw {label}: {raw:>9,.0f} rows/s ({arguments.events:,} rows, one transaction)")
    writers = arguments.writers
    print(f"raw / 1 writer: {raw / single:.0f}x, raw / {writers} writers: {raw / concurrent:.0f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--per-writer", type=int, default=2_000)
    parser.add_argument("--postgres", default=os.environ.get("NAVIGATOR_TEST_POSTGRES_URL"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--outbox", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child, arguments.per_writer, arguments.outbox)
        return 0
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="bench-records-") as temporary:
        folder = Path(temporary)
        bench("SQLite", f"sqlite:///{folder / 'main.sqlite3'}", arguments, folder)
        if arguments.postgres:
            url = fresh_postgres(arguments.postgres)
            try:
                bench("PostgreSQL", url, arguments, folder)
            finally:
                drop_postgres(url, arguments.postgres)
        else:
            print("\n(PostgreSQL skipped: give --postgres URL or set NAVIGATOR_TEST_POSTGRES_URL)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
