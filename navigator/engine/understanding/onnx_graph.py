"""The contextual model's six layers as an ONNX graph, run by onnxruntime (session 9).

Why: the numpy forward pass (`contextual.forward`) was 70% of a message's processor time
(docs/performance.md, "Session 9: fast2"), nearly all of it six layers of matrix products
that numpy hands to OpenBLAS one at a time. onnxruntime runs the same products with its
own kernels (MLAS, tuned for the short matrices a sentence makes) and the elementwise
steps fused between them: the same forward pass in about 0.6 of the processor time, its
outputs within 3e-6 of numpy's, every safeguarding decision the same.

How: the graph (`minilm-l6-v2.int8.onnx`, 70 KB, beside the weights) is written once at
build time by docs/models/make_contextual_graph.py with the `onnx` package's helper. It
holds no numbers of its own: its weights are ONNX "external data" pointing into our
safetensors file (offset and length of each int8 matrix, scale, bias and norm), and each
matrix is widened in the graph as numpy widens it (int8 to float32, times its column
scale, so the same float32 numbers), which onnxruntime folds once when the session starts.
So there is one weights file, nothing downloads, and onnx is not needed at run time. The
graph records the sha256 of the weights file it points into; another file is refused.

Only the layers are in it: the word table lookup and the embeddings' LayerNorm stay in
numpy (a table lookup is not worth a graph), so the graph takes the embedded tokens `x`
(batch x tokens x 384) and an additive attention `bias` (batch x 1 x 1 x tokens for
padding, or batch x 1 x tokens x tokens for several sentences packed in one row, each
attending to its own tokens only), and gives the last layer's token vectors.

When onnxruntime cannot be imported (a platform without its wheel) or the graph cannot be
used, `contextual` reads with numpy as before.

Session 10 (branch fast3): a second graph beside it (`graph_file(weights, int8_products=True)`)
multiplies the stored int8 matrices as they are (onnxruntime's DynamicQuantizeMatMul, the
input quantised per product): a quarter of the bytes streamed per reading, about half the
time, vectors within 0.99 (cosine) of float32's. It is the default runtime
(`contextual.DEFAULT_ONNX_RUNTIME`); docs/performance.md, "Session 10: fast3".
Session 11: its matrices enter the products as uint8 with zero point 128, which every
processor sums exactly; as int8, x86 processors without VNNI saturated some sums and read a
message otherwise than those with it (docs/performance.md, "Session 11: exact8").
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from navigator.engine.understanding.contextual import Runtime

    Vectors = npt.NDArray[np.float32]

MADE_FROM = "weights_sha256"
"""The graph's metadata key for the sha256 of the weights file its data points into."""


def available() -> bool:
    """True when onnxruntime can be imported (the graph file is checked when loading)."""
    try:
        return importlib.util.find_spec("onnxruntime") is not None
    except ValueError:  # a module object without a spec in sys.modules
        return False


INT8_SUFFIX = ".int8-products.onnx"
"""The graph whose products are int8 (session 10): the weights file's stem + this."""


def graph_file(weights: Path, int8_products: bool = False) -> Path:
    """The graph beside a weights file: the same name ending `.onnx` (float32 products),
    or ending `.int8-products.onnx` (int8 products, `DynamicQuantizeMatMul`)."""
    if int8_products:
        return weights.with_name(weights.stem + INT8_SUFFIX)
    return weights.with_suffix(".onnx")


class Graph:
    """An onnxruntime session over the layers: `run(x, bias)` gives the token vectors."""

    def __init__(self, path: Path, fingerprint: str, runtime: Runtime = "onnxruntime") -> None:
        """`fingerprint`: the sha256 of the weights file, which the graph must name;
        `runtime`: which graph this is (int8 or float32 products), said back by `runtime`."""
        import onnxruntime

        self.runtime = runtime
        self.one_text_at_a_time = runtime == "onnxruntime-int8"
        """Int8 products quantise each product's whole input with one scale and zero point,
        so a text read beside others (a padded batch, sentences packed in one row) would
        get another vector than alone: `contextual` gives this graph one text at a time."""
        if not path.is_file():
            raise FileNotFoundError(f"{path}: file not found")
        options = onnxruntime.SessionOptions()
        # One thread, as the numpy path keeps OpenBLAS to one (loading.one_blas_thread): two
        # threads on a busy 2-core kiosk wait on each other.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # its warnings are for model authors, not residents
        # No memory arena: it keeps the largest reading's working memory for good (30 MB or
        # more after the examples are read 32 at a time); freed, it goes back to the system.
        options.enable_cpu_mem_arena = False
        session = onnxruntime.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"]
        )
        made_from = session.get_modelmeta().custom_metadata_map.get(MADE_FROM, "")
        if made_from != fingerprint:
            raise ValueError(
                f"{path}: made for another weights file (sha256 {made_from[:12] or 'none'}, "
                f"not {fingerprint[:12]}); rebuild it with docs/models/make_contextual_graph.py"
            )
        self._session = session

    def run(self, x: Vectors, bias: Vectors) -> Vectors:
        """The layers over `x` (batch x tokens x 384) with the attention `bias` added to
        every head's scores before softmax (see the module docstring for its shapes)."""
        found: Vectors = self._session.run(None, {"x": x, "bias": bias})[0]
        return found
