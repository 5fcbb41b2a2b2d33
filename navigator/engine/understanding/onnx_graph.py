"""The contextual model's six layers as an ONNX graph, run by onnxruntime (session 9).

Why: the numpy forward pass (`contextual.forward`) is 70% of a message's processor time
(docs/performance.md, "Session 9: fast2"), nearly all of it six layers of matrix products
that numpy hands to OpenBLAS one at a time. onnxruntime runs the same products with its
own kernels (MLAS, tuned for the short matrices a sentence makes) and the elementwise
steps fused between them: the same forward pass in about 0.55 of the time, its outputs
within 3e-6 of numpy's (the same float32 weights, summed in another order).

How: the graph is written here with the `onnx` package's helper at load time, from the
weights `contextual` has already read from our safetensors file, so there is no second
model file and nothing to download; the session lives as long as the weights. Only the
layers are in it: the word table lookup and the embeddings' LayerNorm stay in numpy (a
table lookup is not worth a graph), so the graph takes the embedded tokens `x` (batch x
tokens x 384) and an additive attention `bias` (batch x 1 x 1 x tokens for padding, or
batch x 1 x tokens x tokens for several sentences packed in one row, each attending to
its own tokens only), and gives the last layer's token vectors.

When onnxruntime or onnx cannot be imported (a platform without wheels), `contextual`
reads with numpy as before: `available()` says which.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Vectors = npt.NDArray[np.float32]
    Affine = tuple[Vectors, Vectors]

OPSET = 17
"""LayerNormalization is an ONNX operator from opset 17."""


def available() -> bool:
    """True when both onnxruntime (to run) and onnx (to write the graph) can be imported."""
    return all(importlib.util.find_spec(name) is not None for name in ("onnxruntime", "onnx"))


class LayerWeights(Protocol):
    """One layer's matrices (inputs x outputs, float32) and biases, as `contextual` holds them."""

    qkv: Affine
    attn_out: Affine
    attn_norm: Affine
    ffn_in: Affine
    ffn_out: Affine
    ffn_norm: Affine


class Graph:
    """An onnxruntime session over the layers: `run(x, bias)` gives the token vectors."""

    def __init__(self, layers: Sequence[LayerWeights], heads: int, epsilon: float) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        # One thread, as the numpy path keeps OpenBLAS to one (loading.one_blas_thread): two
        # threads on a busy 2-core kiosk wait on each other.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # its warnings are for model authors, not residents
        model = _model(layers, heads, epsilon)
        self._session = onnxruntime.InferenceSession(
            model, options, providers=["CPUExecutionProvider"]
        )

    def run(self, x: Vectors, bias: Vectors) -> Vectors:
        """The layers over `x` (batch x tokens x 384) with the attention `bias` added to
        every head's scores before softmax (see the module docstring for its shapes)."""
        found: Vectors = self._session.run(None, {"x": x, "bias": bias})[0]
        return found


def _model(layers: Sequence[LayerWeights], heads: int, epsilon: float) -> bytes:
    """The serialised ONNX model of `layers`: BERT's post-norm encoder layer, written out
    step by step as `contextual.forward` computes it (scores scaled after the product,
    GELU with the error function), so the two agree to float32 rounding."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    nodes: list[Any] = []
    weights: list[Any] = []
    hidden = layers[0].qkv[0].shape[0]
    size = hidden // heads

    def constant(name: str, value: npt.NDArray[Any]) -> str:
        # Not np.ascontiguousarray: it makes a scalar (the Gather index) a 1-vector.
        weights.append(numpy_helper.from_array(np.array(value, order="C"), name))
        return name

    def step(op: str, inputs: list[str], output: str, **attributes: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], **attributes))
        return output

    constant("split", np.array([0, 0, 3, heads, size], dtype=np.int64))
    constant("joined", np.array([0, 0, hidden], dtype=np.int64))
    constant("scale", np.array(1.0 / np.sqrt(size), dtype=np.float32))
    constant("half", np.array(0.5, dtype=np.float32))
    constant("one", np.array(1.0, dtype=np.float32))
    constant("root_half", np.array(0.5**0.5, dtype=np.float32))
    for part in range(3):
        constant(f"part{part}", np.array(part, dtype=np.int64))
    x = "x"
    for number, layer in enumerate(layers):
        name = f"layer{number}."
        affine = _affine_step(name, constant, step)
        norm = _norm_step(name, constant, step, epsilon)
        qkv = step("Reshape", [affine(x, layer.qkv, "qkv"), "split"], name + "qkv.split")
        qkv = step("Transpose", [qkv], name + "qkv.heads", perm=[2, 0, 3, 1, 4])
        query, key, value = (
            step("Gather", [qkv, f"part{part}"], name + which, axis=0)
            for part, which in enumerate(("query", "key", "value"))
        )
        key = step("Transpose", [key], name + "key.t", perm=[0, 1, 3, 2])
        scores = step("MatMul", [query, key], name + "scores")
        scores = step("Mul", [scores, "scale"], name + "scores.scaled")
        scores = step("Add", [scores, "bias"], name + "scores.masked")
        scores = step("Softmax", [scores], name + "attention", axis=-1)
        context = step("MatMul", [scores, value], name + "context")
        context = step("Transpose", [context], name + "context.t", perm=[0, 2, 1, 3])
        context = step("Reshape", [context, "joined"], name + "context.joined")
        attended = step("Add", [affine(context, layer.attn_out, "attn_out"), x], name + "res1")
        x = norm(attended, layer.attn_norm, "attn_norm")
        inner = affine(x, layer.ffn_in, "ffn_in")
        phi = step("Mul", [inner, "root_half"], name + "gelu.scaled")
        phi = step("Erf", [phi], name + "gelu.erf")
        phi = step("Add", [phi, "one"], name + "gelu.plus")
        gelu = step("Mul", [inner, phi], name + "gelu.times")
        gelu = step("Mul", [gelu, "half"], name + "gelu")
        out = step("Add", [affine(gelu, layer.ffn_out, "ffn_out"), x], name + "res2")
        x = norm(out, layer.ffn_norm, "ffn_norm")
    nodes.append(helper.make_node("Identity", [x], ["hidden"]))
    graph = helper.make_graph(
        nodes,
        "minilm-l6-v2-layers",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "tokens", hidden]),
            helper.make_tensor_value_info(
                "bias", TensorProto.FLOAT, ["batch", 1, "queries", "tokens"]
            ),
        ],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", hidden])],
        weights,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8  # read by every onnxruntime since 1.10
    data: bytes = model.SerializeToString()
    return data


def _affine_step(
    name: str, constant: Callable[..., str], step: Callable[..., str]
) -> Callable[[str, Affine, str], str]:
    def affine(x: str, matrix: Affine, label: str) -> str:
        weight = constant(f"{name}{label}.weight", matrix[0])
        bias = constant(f"{name}{label}.bias", matrix[1])
        product = step("MatMul", [x, weight], f"{name}{label}.product")
        return step("Add", [product, bias], f"{name}{label}")

    return affine


def _norm_step(
    name: str, constant: Callable[..., str], step: Callable[..., str], epsilon: float
) -> Callable[[str, Affine, str], str]:
    def norm(x: str, weights: Affine, label: str) -> str:
        weight = constant(f"{name}{label}.weight", weights[0])
        bias = constant(f"{name}{label}.bias", weights[1])
        return step("LayerNormalization", [x, weight, bias], name + label, axis=-1, epsilon=epsilon)

    return norm
