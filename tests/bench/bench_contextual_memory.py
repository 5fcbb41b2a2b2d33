"""Memory of the safeguarding meaning line with each contextual runtime, one load per process.

Run from the repository root:

    .venv/bin/python tests/bench/bench_contextual_memory.py [RUNTIME ...]

For each runtime (`contextual.Runtime`; default "onnxruntime" then "onnxruntime-int8",
session 10, branch fast3) two child processes, one after the other, load the detector as
`bench_safeguarding.py` does (both models, every example read, the trained view) with a
fresh cache folder: the first is a first start (no vectors on disk, the trained view
trained), the second a usual start (the vectors and the trained view from the first).
Each prints the resident memory added by loading and the process's high-water mark
above its resident size before loading (VmHWM - VmRSS before), in MB.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))


def _rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _child(runtime: str, cache: str) -> None:
    from navigator.engine.safeguarding import SafeguardingDetector
    from navigator.engine.understanding.contextual import ContextualModel, Runtime
    from navigator.engine.understanding.embedding import EmbeddingModel
    from navigator.engine.understanding.safety import MeaningLine
    from navigator.kb import load

    knowledge = load(REPO / "knowledge").knowledge
    name: Runtime = "onnxruntime-int8" if runtime == "onnxruntime-int8" else "onnxruntime"
    before = _rss_mb()
    model = ContextualModel(runtime=name, cache_dir=Path(cache))
    line = MeaningLine.for_knowledge(knowledge, EmbeddingModel(), model)
    detector = SafeguardingDetector.for_knowledge(knowledge, meaning=line)
    detector.prepare()
    assert detector.prepare_meaning(), "the meaning model did not load"
    after, peak = _rss_mb(), _rss_mb("VmHWM")
    print(f"  {model.runtime}: +{after - before:.0f} MB resident, +{peak - before:.0f} MB peak")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
        return
    runtimes = sys.argv[1:] or ["onnxruntime", "onnxruntime-int8"]
    for runtime in runtimes:
        with tempfile.TemporaryDirectory() as cache:
            for label in ("first start (nothing on disk)", "usual start (vectors on disk)"):
                print(f"{runtime}, {label}:", flush=True)
                command = [sys.executable, __file__, "--child", runtime, cache]
                subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
