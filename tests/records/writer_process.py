"""A front end in its own process, for the durability tests (run with `python -m`).

It submits whole sessions to a `RecordWriter` and, after each session is
committed to the outbox, appends that session's event ids to `--ledger`. The
ledger is therefore the list of events the writer promised to keep; a test may
kill this process at any moment and then check that every one of them arrives
exactly once.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from navigator.records.writer import RecordWriter, WriterOptions
from tests.records.conversations import Conversation


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--outbox", type=Path, required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--ledger", type=Path, required=True)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--close-timeout", type=float, default=60.0)
    arguments = parser.parse_args()

    options = WriterOptions(
        batch_size=arguments.batch_size, retry_first=0.05, retry_max=0.5, idle_poll=0.05
    )
    writer = RecordWriter(arguments.outbox, arguments.url, options)
    with arguments.ledger.open("a", encoding="utf-8") as ledger:
        for _ in range(arguments.sessions):
            events = Conversation().whole()
            for event in events:
                writer.submit(event)
            if not writer.wait_durable(timeout=30):
                print("outbox did not take the events", file=sys.stderr)
                return 1
            ledger.write("".join(f"{event.event_id}\n" for event in events))
            ledger.flush()
            os.fsync(ledger.fileno())
    status = writer.close(timeout=arguments.close_timeout)
    print(f"backlog={status.backlog} problem={status.problem.kind if status.problem else None}")
    return 0 if status.backlog == 0 else 3


if __name__ == "__main__":
    sys.exit(main())
