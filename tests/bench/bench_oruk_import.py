"""Importing an ORUK feed: seconds for a Shropshire-sized feed, by how many fetches run at once.

Run from the repository root:

    .venv/bin/python tests/bench/bench_oruk_import.py [SERVICES] [DELAY_MS]

A fixture ORUK 3.0 feed of SERVICES services (default 1,000) is served on
127.0.0.1 by the tests' feed server, each answer held back DELAY_MS (default
20 ms) as a council's server over the internet would be. The import is timed
with 1 fetch at a time (the baseline) and with 4 and 8; figures are total
seconds, services a second, and the speed-up over the baseline. A second
import of the same feed is timed too (it fetches everything again; the
diff finds nothing changed). Each run imports into a fresh copy of the demo
knowledge base. The server runs in the same Python process, so it competes
with the import for the interpreter: real feeds on their own servers come
out faster, not slower.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from navigator.interop.oruk_import.fetch import Limits  # noqa: E402
from navigator.interop.oruk_import.run import run_import  # noqa: E402
from tests.interop.oruk_feeds import Feed, FeedServer, v3_service  # noqa: E402


class _SlowServer(FeedServer):
    """The fixture server, with every answer held back as a distant server's would be."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay

    def answer(self, handler: Any) -> None:
        time.sleep(self.delay)
        super().answer(handler)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    delay = (int(sys.argv[2]) if len(sys.argv) > 2 else 20) / 1000
    server = _SlowServer(delay)
    server.feeds["shire"] = Feed([v3_service(n) for n in range(1, count + 1)], page_size=50)
    print(f"{count} services, {delay * 1000:g} ms a response")
    baseline = None
    try:
        for concurrency in (1, 4, 8):
            with tempfile.TemporaryDirectory() as folder:
                kb = Path(folder) / "knowledge"
                skip = shutil.ignore_patterns("transcripts")
                shutil.copytree(REPO / "knowledge", kb, ignore=skip)
                limits = Limits(concurrency=concurrency)
                started = time.perf_counter()
                run_import(server.url("shire"), kb, feed="shire", limits=limits)
                took = time.perf_counter() - started
                baseline = baseline or took
                print(
                    f"  {concurrency} at a time: {took:6.1f} s, {count / took:6.1f} services/s, "
                    f"x{baseline / took:.2f} the baseline"
                )
                if concurrency == 8:
                    started = time.perf_counter()
                    run_import(server.url("shire"), kb, feed="shire", limits=limits)
                    again = time.perf_counter() - started
                    print(f"  again, 8 at a time, nothing changed: {again:6.1f} s")
    finally:
        server.close()


if __name__ == "__main__":
    main()
