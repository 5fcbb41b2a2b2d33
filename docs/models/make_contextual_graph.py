"""Write the contextual model's layers as an ONNX graph for onnxruntime (session 9, reproducible).

Run from the repository root (the `onnx` package is in the test extras):

    .venv/bin/python docs/models/make_contextual_graph.py

It writes `navigator/engine/understanding/models/minilm-l6-v2.int8.onnx` (about 22 KB)
and, since session 10, `minilm-l6-v2.int8.int8-products.onnx` (int8 products, below):
BERT's six post-norm encoder layers, step by step as `contextual.forward` computes them
(scores scaled after the product, softmax, GELU with the error function, LayerNorm with
epsilon 1e-12), so the two agree to float32 rounding. Its weights are not copied into
it: each is ONNX external data, an (offset, length) in `minilm-l6-v2.int8.safetensors`,
whose header gives them; each int8 matrix is widened in the graph (Cast to float32,
times its float32 column scale) exactly as numpy widens it, and onnxruntime folds that
once when the session starts. The graph's metadata records the weights file's sha256:
a graph made for another file is refused at load (`onnx_graph.Graph`).

The int8-products graph (session 10, branch fast3) is the same layers with each matrix
product onnxruntime's DynamicQuantizeMatMul over the stored int8 matrix and its column
scale (the input quantised to uint8 per product): about half the time, vectors within
0.99 (cosine) of float32's; docs/models/README.md and docs/performance.md, "Session 10".
Since session 11 each stored int8 matrix enters its product as uint8 with zero point 128
(shifted in the graph, folded once at load): onnxruntime's x86 kernels without VNNI add
pairs of uint8 x int8 products in 16 bits and saturate, so another processor read the same
message otherwise; uint8 x uint8 sums are exact on every processor (`_Writer.unsigned`).

The same weights file always gives the same bytes. Rebuild after replacing the weights.
"""

from __future__ import annotations

import hashlib
import json
import struct
from pathlib import Path
from typing import Any

import numpy as np
from onnx import TensorProto, helper, numpy_helper

MODELS = Path(__file__).resolve().parents[2] / "navigator/engine/understanding/models"
WEIGHTS = MODELS / "minilm-l6-v2.int8.safetensors"
LAYERS, HEADS, HIDDEN, EPSILON = 6, 12, 384, 1e-12
OPSET = 17
"""LayerNormalization is an ONNX operator from opset 17."""
OPSET_INT8 = 18
"""The int8-products graph's: BitwiseXor (`_Writer.unsigned`) is in opset 18."""
TYPES = {"I8": TensorProto.INT8, "F16": TensorProto.FLOAT16, "F32": TensorProto.FLOAT}


def _header(weights: Path) -> tuple[dict[str, Any], int]:
    """The safetensors header (name: dtype, shape, data offsets) and where the data starts."""
    with weights.open("rb") as file:
        (length,) = struct.unpack("<Q", file.read(8))
        header: dict[str, Any] = json.loads(file.read(length))
    return header, 8 + length


class _Writer:
    """Nodes and initializers of the graph, the weights pointing into the safetensors file."""

    def __init__(self, weights: Path, int8_products: bool) -> None:
        self.int8_products = int8_products
        self.header, self.start = _header(weights)
        self.location = weights.name
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []

    def external(self, name: str) -> str:
        """Tensor `name` of the weights file, as external data (nothing copied)."""
        entry = self.header[name]
        tensor = TensorProto(name=name, data_type=TYPES[entry["dtype"]], dims=entry["shape"])
        first, last = entry["data_offsets"]
        tensor.data_location = TensorProto.EXTERNAL
        where = {"location": self.location, "offset": self.start + first, "length": last - first}
        for key, value in where.items():
            entry = tensor.external_data.add()
            entry.key, entry.value = key, str(value)
        self.initializers.append(tensor)
        return name

    def constant(self, name: str, value: np.ndarray[Any, Any]) -> str:
        self.initializers.append(numpy_helper.from_array(value, name))
        return name

    def step(self, op: str, inputs: list[str], output: str, **attributes: Any) -> str:
        self.nodes.append(helper.make_node(op, inputs, [output], **attributes))
        return output

    def matrix(self, name: str) -> str:
        """The float32 matrix `name`: int8 (or float16) widened, times its column scale."""
        wide = self.step("Cast", [self.external(name)], name + ".float", to=TensorProto.FLOAT)
        if name + ".scale" not in self.header:
            return wide
        return self.step("Mul", [wide, self.external(name + ".scale")], name + ".weight")

    def unsigned(self, name: str) -> str:
        """The stored int8 matrix `name` as uint8 with zero point 128 (the same numbers),
        shifted by 128 in the graph, which onnxruntime folds once when the session starts.

        Why: with an int8 matrix, onnxruntime's x86 kernels without VNNI add each pair of
        uint8 x int8 products into 16 bits, which saturates, while VNNI kernels (and ARM's)
        sum exactly: the same message got other vectors, and so other safeguarding
        decisions, on another kiosk's processor (session 11). uint8 x uint8 products are
        summed exactly by every kernel, so every processor reads a message alike."""
        # Cast wraps int8 to uint8 (-1 -> 255, as C++'s static_cast does); flipping the top
        # bit then adds 128: -128 -> 0, -1 -> 127, 0 -> 128, 127 -> 255. Folded in uint8, so
        # loading holds no wider copy of the matrices (an int32 one cost +53 MB at peak).
        wrapped = self.step("Cast", [self.external(name)], name + ".wrapped", to=TensorProto.UINT8)
        return self.step("BitwiseXor", [wrapped, "top_bit"], name + ".uint8")

    def affine(self, x: str, name: str) -> str:
        """`x @ matrix + bias`: float32 products (the matrix widened) or, with
        `int8_products`, onnxruntime's DynamicQuantizeMatMul: `x` quantised to uint8 per
        product (one scale and zero point), multiplied by the stored int8 matrix as it is,
        the int32 sums times both scales (per column for the matrix), plus the bias."""
        if self.int8_products:
            matrix, scale = self.unsigned(name), self.external(name + ".scale")
            inputs = [x, matrix, scale, "zero128", self.external(name + ".bias")]
            node = helper.make_node(
                "DynamicQuantizeMatMul", inputs, [name + ".out"], domain="com.microsoft"
            )
            self.nodes.append(node)
            return name + ".out"
        product = self.step("MatMul", [x, self.matrix(name)], name + ".product")
        return self.step("Add", [product, self.external(name + ".bias")], name + ".out")

    def norm(self, x: str, name: str) -> str:
        weight, bias = self.external(name + ".weight"), self.external(name + ".bias")
        return self.step(
            "LayerNormalization", [x, weight, bias], name + ".out", axis=-1, epsilon=EPSILON
        )

    def layer(self, x: str, number: int) -> str:
        name = f"{number}."
        qkv = self.step("Reshape", [self.affine(x, name + "qkv"), "split"], name + "qkv.split")
        qkv = self.step("Transpose", [qkv], name + "qkv.heads", perm=[2, 0, 3, 1, 4])
        query, key, value = (
            self.step("Gather", [qkv, f"part{part}"], name + which, axis=0)
            for part, which in enumerate(("query", "key", "value"))
        )
        key = self.step("Transpose", [key], name + "key.t", perm=[0, 1, 3, 2])
        scores = self.step("MatMul", [query, key], name + "scores")
        scores = self.step("Mul", [scores, "scale"], name + "scores.scaled")
        scores = self.step("Add", [scores, "bias"], name + "scores.masked")
        scores = self.step("Softmax", [scores], name + "attention", axis=-1)
        context = self.step("MatMul", [scores, value], name + "context")
        context = self.step("Transpose", [context], name + "context.t", perm=[0, 2, 1, 3])
        context = self.step("Reshape", [context, "joined"], name + "context.joined")
        attended = self.step("Add", [self.affine(context, name + "attn_out"), x], name + "res1")
        x = self.norm(attended, name + "attn_norm")
        inner = self.affine(x, name + "ffn_in")
        phi = self.step("Mul", [inner, "root_half"], name + "gelu.scaled")
        phi = self.step("Erf", [phi], name + "gelu.erf")
        phi = self.step("Add", [phi, "one"], name + "gelu.plus")
        gelu = self.step("Mul", [inner, phi], name + "gelu.times")
        gelu = self.step("Mul", [gelu, "half"], name + "gelu")
        out = self.step("Add", [self.affine(gelu, name + "ffn_out"), x], name + "res2")
        return self.norm(out, name + "ffn_norm")


def write(weights: Path = WEIGHTS, int8_products: bool = False) -> Path:
    """Write the graph beside `weights` (same name, `.onnx`; `.int8-products.onnx` with
    int8 products) and return its path."""
    writer = _Writer(weights, int8_products)
    size = HIDDEN // HEADS
    writer.constant("split", np.array([0, 0, 3, HEADS, size], dtype=np.int64))
    writer.constant("joined", np.array([0, 0, HIDDEN], dtype=np.int64))
    writer.constant("scale", np.array(1.0 / np.sqrt(size), dtype=np.float32))
    writer.constant("half", np.array(0.5, dtype=np.float32))
    writer.constant("one", np.array(1.0, dtype=np.float32))
    writer.constant("root_half", np.array(0.5**0.5, dtype=np.float32))
    for part in range(3):
        writer.constant(f"part{part}", np.array(part, dtype=np.int64))
    if int8_products:
        writer.constant("top_bit", np.array(128, dtype=np.uint8))
        writer.constant("zero128", np.array(128, dtype=np.uint8))
    x = "x"
    for number in range(LAYERS):
        x = writer.layer(x, number)
    writer.nodes.append(helper.make_node("Identity", [x], ["hidden"]))
    graph = helper.make_graph(
        writer.nodes,
        "minilm-l6-v2-layers",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "tokens", HIDDEN]),
            helper.make_tensor_value_info(
                "bias", TensorProto.FLOAT, ["batch", 1, "queries", "tokens"]
            ),
        ],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", HIDDEN])],
        writer.initializers,
    )
    opsets = [helper.make_opsetid("", OPSET)]
    if int8_products:  # DynamicQuantizeMatMul is one of onnxruntime's own operators
        opsets = [helper.make_opsetid("", OPSET_INT8), helper.make_opsetid("com.microsoft", 1)]
    model = helper.make_model(graph, opset_imports=opsets, producer_name="navigator")
    model.ir_version = 8  # read by every onnxruntime since 1.10
    sha256 = hashlib.sha256(weights.read_bytes()).hexdigest()
    helper.set_model_props(model, {"weights_sha256": sha256, "weights": weights.name})
    out = weights.with_suffix(".onnx")
    if int8_products:  # as onnx_graph.graph_file names it (onnx_graph needs no onnx)
        out = weights.with_name(weights.stem + ".int8-products.onnx")
    out.write_bytes(model.SerializeToString())  # not onnx.save_model: it may rewrite the data
    return out


if __name__ == "__main__":
    for int8_products in (False, True):
        path = write(int8_products=int8_products)
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
