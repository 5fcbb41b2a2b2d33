"""One contextual reading, float32 against int8 products, by length: same run, interleaved.

Run from the repository root:

    .venv/bin/python tests/bench/bench_contextual_reading.py

Session 10 (branch fast3). The six layers in onnxruntime, read by `contextual.forward`
(the word lookup and embeddings' LayerNorm in numpy, as a message is read), one text of
8, 30 and 60 tokens (made of the tokenizer's ordinary words), each runtime in turn,
40 rounds: processor time per reading (median, ms), the int8/float32 ratio, and the
cosine between the two pooled vectors. numpy is timed as well, for scale.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from navigator.engine.understanding import contextual  # noqa: E402
from navigator.engine.understanding.contextual import ContextualModel, Runtime  # noqa: E402
from navigator.engine.understanding.loading import one_blas_thread  # noqa: E402

RUNTIMES: tuple[Runtime, ...] = ("onnxruntime", "onnxruntime-int8", "numpy")
TEXT = (
    "my mum is eighty two and keeps falling over in the kitchen at night and i am "
    "worried she will hurt herself badly when nobody is there to help her up again "
    "so i wanted to ask whether anyone could come round to check on her or fit a rail "
    "by the back door and the stairs before winter because the council said to ask here"
)


def main() -> None:
    models = {runtime: ContextualModel(cache_dir=False, runtime=runtime) for runtime in RUNTIMES}
    for model in models.values():
        assert model.load(), model.unavailable_reason
    tokenizer = models["onnxruntime"]._tokenizer
    assert tokenizer is not None
    words = tokenizer.encode(TEXT).ids[1:-1]
    print("one reading, processor time, median of 40 (ms):")
    for length in (8, 30, 60):
        ids = np.array([[101, *words[: length - 2], 102]], dtype=np.intp)
        mask = np.ones(ids.shape, dtype=np.float32)
        times: dict[str, list[float]] = {runtime: [] for runtime in RUNTIMES}
        pooled = {}
        for _ in range(40):
            for runtime, model in models.items():
                assert model._weights is not None
                start = time.process_time()
                with one_blas_thread():  # as `ContextualModel` reads
                    hidden = contextual.forward(model._weights, ids, mask)
                times[runtime].append((time.process_time() - start) * 1000)
                vector = hidden[0].mean(axis=0)
                pooled[runtime] = vector / np.linalg.norm(vector)
        medians = {runtime: statistics.median(found) for runtime, found in times.items()}
        ratio = medians["onnxruntime-int8"] / medians["onnxruntime"]
        cosine = float(pooled["onnxruntime"] @ pooled["onnxruntime-int8"])
        print(
            f"  {length:2d} tokens: float32 {medians['onnxruntime']:.2f}, "
            f"int8 {medians['onnxruntime-int8']:.2f} (int8/float32 {ratio:.2f}), "
            f"numpy {medians['numpy']:.2f}; cosine int8 to float32 {cosine:.4f}"
        )
    print(f"load average (1, 5, 15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
