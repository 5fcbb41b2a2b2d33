"""Hostile knowledge files: how long and how much memory `navigator validate` takes to refuse them.

Run from the repository root:

    .venv/bin/python tests/bench/bench_hostile_kb.py

Each case is the test borough plus one (or ten) hostile files of about 5 MB,
written to a temporary folder; each is validated in a fresh Python process
(which is what a kiosk's start does too: load, then every check), timed from
start to exit, with the child's peak resident memory. The aim (issue 14): a
5 MB file of keys refused or read in under 5 s and 500 MB; the baseline is
the demo knowledge base (about 1 MB in 60 files), in the same run: on a
loaded machine every figure grows, the ratio much less.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BOROUGH = REPO / "tests" / "support" / "data" / "kb"
MESSAGES = REPO / "knowledge" / "messages"
SIZE = 5 * 1024 * 1024 - 4096


def _fill(line: Callable[[int], str], head: str = "") -> str:
    """`head`, then `line(0)`, `line(1)`... up to about 5 MB."""
    parts, size, number = [head], len(head), 0
    while True:
        text = line(number)
        if not text or size + len(text) > SIZE:
            return "".join(parts)
        parts.append(text)
        size += len(text)
        number += 1


DEMO = "the demo knowledge base (baseline)"

CASES: dict[str, Callable[[], dict[str, str]]] = {
    DEMO: lambda: {},
    "test borough alone": lambda: {},
    "5 MB of top-level keys": lambda: {"keys.yaml": _fill(lambda n: f"k{n:07d}: v\n")},
    "5 MB of message keys": lambda: {
        "keys.yaml": _fill(lambda n: f"  k{n:07d}: v\n", head="messages:\n")
    },
    "5 MB of nodes with unknown fields (blocks under the cap)": lambda: {
        "nodes.yaml": _fill(
            lambda n: (
                f"  - {{id: n{n}, type: info, zz: 1, yy: 2, text: {'x' * 220}}}\n"
                if n < 19_000
                else ""
            ),
            head="nodes:\n",
        )
    },
    "ten 5 MB files of keys (50 MB in all)": lambda: {
        f"keys-{number}.yaml": _fill(lambda n, p=number: f"k{p}x{n:07d}: v\n")
        for number in range(10)
    },
}


def child(folder: str) -> None:
    sys.path.insert(0, str(REPO))
    import contextlib
    import io

    from navigator.cli import main

    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        status = main(["validate", folder])
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "exit": status}))


def measure(name: str, files: dict[str, str], scratch: Path) -> dict[str, float]:
    folder = scratch / name.replace(" ", "-").replace("(", "").replace(")", "")
    if name == DEMO:
        shutil.copytree(REPO / "knowledge", folder)
    else:
        shutil.copytree(BOROUGH, folder)
        shutil.copytree(MESSAGES, folder / "messages")
    for file_name, text in files.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    started = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, __file__, "--child", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    wall = time.perf_counter() - started
    report: dict[str, float] = json.loads(finished.stdout.strip().splitlines()[-1])
    report["wall_seconds"] = wall
    report["megabytes_written"] = sum(len(text) for text in files.values()) / 1024 / 1024
    return report


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2])
        return
    print(
        f"{'case':58} {'MB':>5} {'exit':>4} {'validate s':>10} {'x demo':>6} "
        f"{'wall s':>7} {'peak MB':>8}"
    )
    demo_seconds = 0.0
    with tempfile.TemporaryDirectory() as scratch:
        for name, make in CASES.items():
            files = make()
            report = measure(name, files, Path(scratch))
            demo_seconds = demo_seconds or report["seconds"]
            print(
                f"{name:58} {report['megabytes_written']:5.1f} {int(report['exit']):4d} "
                f"{report['seconds']:10.2f} {report['seconds'] / demo_seconds:6.1f} "
                f"{report['wall_seconds']:7.2f} {report['peak_mb']:8.0f}"
            )


if __name__ == "__main__":
    main()
