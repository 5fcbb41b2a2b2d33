"""`navigator serve-feed` under load: requests a second and p99 for `/services?page=N`.

Run from the repository root:

    .venv/bin/python tests/bench/bench_feed.py              # 10 s per load, print figures
    .venv/bin/python tests/bench/bench_feed.py --seconds 20

The feed is started for real (`navigator serve-feed` on 127.0.0.1, one
uvicorn process) on the demo knowledge base (242 services, 50 to a page).
Clients are threads in this process, each with its own keep-alive HTTP/1.1
connection, asking for a random page `/services?page=N` (N from 1 to the
last page) as fast as answers come. The baseline, in the same run and on the
same machine, is a bare Starlette app on the same uvicorn answering every
request with a fixed 40-byte JSON object: the cost of the server, the
framework and the client alone, so the ratio shows what the feed itself adds.

Figures are printed, never asserted (the target is 200 requests a second with
p99 under 100 ms; docs/performance.md, "Open Referral UK feed"). On a shared
two-core machine the client threads compete with the server for the same
cores, so the figures are a floor.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

BASELINE = """
import sys, uvicorn
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
async def hello(request):
    return Response(b'{"total_items":0,"contents":[],"ok":1}', media_type="application/json")
app = Starlette(routes=[Route("/services", hello)])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", http="h11")
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(command: list[str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/services", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the server on port {port} did not start")


def load(port: int, clients: int, seconds: float, pages: int) -> tuple[float, list[float]]:
    """Requests a second and every request's latency (seconds), `clients` at once."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    stop = time.monotonic() + seconds

    def client(mine: list[float]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        chooser = random.Random(len(mine) + id(mine))
        while time.monotonic() < stop:
            started = time.perf_counter()
            connection.request("GET", f"/services?page={chooser.randint(1, pages)}")
            answer = connection.getresponse()
            answer.read()
            if answer.status != 200:
                raise SystemExit(f"status {answer.status}")
            mine.append(time.perf_counter() - started)
        connection.close()

    threads = [threading.Thread(target=client, args=(mine,)) for mine in latencies]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    every = [value for mine in latencies for value in mine]
    return len(every) / elapsed, every


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] * 1000


def run(seconds: float) -> None:
    feed_port, base_port = free_port(), free_port()
    feed = start(
        [
            sys.executable,
            "-m",
            "navigator.cli",
            "--kb",
            str(REPO / "knowledge"),
            "serve-feed",
            "--port",
            str(feed_port),
        ],
        feed_port,
    )
    baseline = start([sys.executable, "-c", BASELINE, str(base_port)], base_port)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{feed_port}/services") as answer:
            first = json.load(answer)
        pages = first["total_pages"]
        print(f"feed: {first['total_items']} services, {pages} pages of {first['size']}")
        print(f"{'load':<26}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'vs baseline':>13}")
        for clients in (1, 4, 8):
            base_rate, base_times = load(base_port, clients, seconds, pages)
            rate, times = load(feed_port, clients, seconds, pages)
            for name, r, t in (("baseline", base_rate, base_times), ("feed", rate, times)):
                print(
                    f"{name + f' ({clients} clients)':<26}{r:>9.0f}"
                    f"{statistics.median(t) * 1000:>9.1f}{p99(t):>9.1f}"
                    f"{(r / base_rate if name == 'feed' else 1):>12.2f}x"
                )
    finally:
        for process in (feed, baseline):
            process.terminate()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per load (default 10)")
    run(parser.parse_args().seconds)


if __name__ == "__main__":
    main()
