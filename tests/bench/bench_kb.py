"""How long loading and validating a knowledge base takes, and how it grows.

Run: `.venv/bin/python tests/bench/bench_kb.py [--sizes 1000 5000 10000 20000] [--repeat 3]`

For the demo and synthetic knowledge bases of each size (see synthetic_kb.py),
prints the best of `--repeat` runs of `load()` and `validate()`, the cost per
node, and a baseline measured in the same run on the same files: plain
`yaml.load` with libyaml, which builds the values but records no positions
and checks nothing. The ratio to it is what positions, the schema and every
check cost; the per-node figures show whether the cost grows linearly.
Then it times the rejection of hostile files (alias bomb, 50 MB, ...).

The aims (issue 2): the demo under 0.2 s, 10,000 nodes under 1 s, linear growth.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from navigator.kb import load  # noqa: E402
from navigator.kb.knowledge import yaml_files  # noqa: E402
from navigator.kb.validate import validate  # noqa: E402
from tests.bench.synthetic_kb import write_synthetic_kb  # noqa: E402

DEMO = REPO / "knowledge"
CLOCK: list[Callable[[], float]] = [time.process_time]
"""The clock `best_of` reads, chosen by `--clock` (a one-item list so main can set it)."""

try:
    from yaml import CSafeLoader as BaselineLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as BaselineLoader  # type: ignore[assignment]


def best_of(repeat: int, action: Callable[[], Any]) -> tuple[float, Any]:
    """The shortest time of `repeat` runs (the least disturbed by other processes).

    Time is this process's CPU time (`--clock cpu`, the default: other work on a
    shared machine barely moves it) or wall-clock time (`--clock wall`).
    """
    best = float("inf")
    result: Any = None
    for _ in range(repeat):
        result = None  # free the last run's result before timing the next
        gc.collect()
        started = CLOCK[0]()
        result = action()
        best = min(best, CLOCK[0]() - started)
    return best, result


def measure(name: str, root: Path, repeat: int) -> dict[str, Any]:
    files = yaml_files(root)
    texts = [path.read_text(encoding="utf-8") for path in files]
    baseline, _ = best_of(repeat, lambda: [yaml.load(t, Loader=BaselineLoader) for t in texts])
    load_time, result = best_of(repeat, lambda: load(root))
    knowledge = result.knowledge
    validate_time, findings = best_of(repeat, lambda: validate(knowledge))
    errors = sum(1 for finding in findings if finding.severity == "error")
    nodes = len(knowledge.nodes)
    total = load_time + validate_time
    return {
        "name": name,
        "nodes": nodes,
        "services": len(knowledge.services),
        "files": len(files),
        "load": load_time,
        "validate": validate_time,
        "total": total,
        "per_node_us": total / max(nodes, 1) * 1e6,
        "baseline": baseline,
        "errors": errors + sum(1 for d in result.diagnostics if d.severity == "error"),
    }


def print_table(rows: list[dict[str, Any]]) -> None:
    print(
        f"{'knowledge base':<16}{'nodes':>7}{'services':>9}{'files':>6}{'load':>9}"
        f"{'validate':>10}{'total':>9}{'per node':>10}{'yaml.load':>11}{'ratio':>7}"
    )
    for row in rows:
        print(
            f"{row['name']:<16}{row['nodes']:>7}{row['services']:>9}{row['files']:>6}"
            f"{row['load'] * 1000:>7.0f}ms{row['validate'] * 1000:>8.0f}ms"
            f"{row['total'] * 1000:>7.0f}ms{row['per_node_us']:>8.1f}us"
            f"{row['baseline'] * 1000:>9.0f}ms{row['total'] / row['baseline']:>6.1f}x"
            + ("" if row["errors"] == 0 else f"   ({row['errors']} errors)")
        )


def hostile(workdir: Path) -> None:
    """Time to reject each hostile file (issue 2: "within a second or two")."""
    bomb = (
        "a: &a ["
        + ",".join(['"lol"'] * 9)
        + "]\n"
        + "".join(
            f"{chr(98 + level)}: &{chr(98 + level)} ["
            + ",".join([f"*{chr(97 + level)}"] * 9)
            + "]\n"
            for level in range(8)
        )
    )
    cases: dict[str, bytes] = {
        "alias bomb (billion laughs)": bomb.encode(),
        "binary bytes": b"nodes:\n\x00\x01\x02" * 1000,
        "not UTF-8": "title: Caf\xe9\n".encode("latin-1") * 1000,
        "python tag": b"nodes: !!python/object/apply:os.system ['true']\n",
        "deep nesting": b"a: " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
    }
    print("\nRejecting hostile files (one file each):")
    for name, content in cases.items():
        folder = workdir / name.replace(" ", "-")
        folder.mkdir()
        (folder / "bad.yaml").write_bytes(content)
        seconds, result = best_of(1, lambda folder=folder: load(folder))
        print(f"  {name:<30}{seconds * 1000:>8.1f} ms  {result.diagnostics[0].message[:60]}")
    folder = workdir / "fifty-mb"
    folder.mkdir()
    with (folder / "bad.yaml").open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    seconds, result = best_of(1, lambda: load(folder))
    print(f"  {'50 MB file':<30}{seconds * 1000:>8.1f} ms  {result.diagnostics[0].message[:60]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 5_000, 10_000, 20_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clock", choices=["cpu", "wall"], default="cpu")
    arguments = parser.parse_args()
    CLOCK[0] = time.process_time if arguments.clock == "cpu" else time.perf_counter
    rows = []
    if DEMO.is_dir():
        rows.append(measure("demo", DEMO, arguments.repeat))
    with tempfile.TemporaryDirectory(prefix="bench-kb-") as temporary:
        workdir = Path(temporary)
        for size in arguments.sizes:
            root = write_synthetic_kb(workdir / f"kb-{size}", size, seed=1)
            rows.append(measure(f"synthetic {size // 1000}k", root, arguments.repeat))
        print(
            f"Load + validate, {arguments.clock} time, best of {arguments.repeat} "
            f"(Python {sys.version.split()[0]})\n"
        )
        print_table(rows)
        synthetic = [row for row in rows if row["name"].startswith("synthetic")]
        if len(synthetic) > 1:
            smallest, largest = synthetic[0], synthetic[-1]
            growth = largest["per_node_us"] / smallest["per_node_us"]
            print(
                f"\nPer-node cost at {largest['nodes']} nodes is {growth:.2f}x the cost at "
                f"{smallest['nodes']} (1.0 is perfectly linear)."
            )
        hostile(workdir)


if __name__ == "__main__":
    main()
