"""The contextual sentence model (all-MiniLM-L6-v2 read by numpy): real weights, real files.

The forward pass is checked against figures published for the original model:
sentence-transformers' quick start gives the cosine similarities 0.6660, 0.1046 and
0.1411 for the three sentences below (fp32, PyTorch). Navigator's int8 weights give
0.6685, 0.1048 and 0.1396 (the float16 build, docs/models, gave 0.6659, 0.1045, 0.1411),
so the pass itself is right to within 1e-4 and int8 costs about 0.003.

Session 9 (branch fast2): the six layers run in onnxruntime when it can be imported
(`onnx_graph`), numpy otherwise. Every test of the model's reading runs with each
(the `model` fixture), and the two read every text alike to within 1e-5.

Session 10 (branch fast3): onnxruntime multiplies the stored int8 matrices as they are
(`onnxruntime-int8`, the default), the activations quantised per product: about half the
time, vectors within 0.99 (cosine) of float32's. The float32 graph stays (`onnxruntime`),
as does numpy.

Session 11: the int8 matrices enter the products as uint8 with zero point 128, which every
processor's kernels sum exactly (uint8 x int8 sums saturate on x86 without VNNI): the
quick-start similarities are 0.6664, 0.1191 and 0.1410 on every processor (session 10's
0.6531, 0.1214 and 0.1382 were a saturating processor's, and another gave other vectors).
"""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from navigator.engine.understanding import onnx_graph
from navigator.engine.understanding.contextual import (
    DEFAULT_ONNX_RUNTIME,
    MODELS,
    ONNX_RUNTIMES,
    TOKENIZER,
    WEIGHTS,
    ContextualModel,
    ContextualState,
    Runtime,
)
from navigator.engine.understanding.embedding import ModelUnavailable
from navigator.engine.understanding.vector_cache import cache_file, cached_vectors

QUICK_START = ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
RECORDED_FIRST = [0.01723, 0.11792, 0.16159, 0.0669, 0.05068, -0.0264]
"""The first six numbers of the first sentence's vector, recorded from the first run."""
RECORDED_THIRD = [0.13502, 0.0838, -0.02362, 0.02961, 0.05076, 0.04999]


RUNTIMES: tuple[Runtime, ...] = ("numpy", "onnxruntime", "onnxruntime-int8")
RECORDED_INT8 = (
    [0.01629, 0.11596, 0.15746, 0.07642, 0.04623, -0.01305],
    [0.13322, 0.07835, -0.02553, 0.04106, 0.05556, 0.04808],
)
"""The same numbers read with int8 products, summed exactly (session 11: uint8 x uint8, the
same on every processor). Session 10 recorded others on a processor whose kernels saturate
uint8 x int8 sums (0.01027, 0.11914, ...), and they failed on one whose kernels do not."""


@pytest.fixture(scope="module", params=RUNTIMES)
def model(request: pytest.FixtureRequest) -> ContextualModel:
    model = ContextualModel(cache_dir=False, runtime=request.param)
    assert model.load(), model.unavailable_reason
    assert model.runtime == request.param  # onnxruntime is a dependency: it must start
    return model


def test_vectors_are_stable_and_match_the_published_similarities(model: ContextualModel) -> None:
    """Int8 products move each number by up to 0.01 and the similarities by up to 0.017
    (recorded separately, and a wider tolerance for the published figures)."""
    vectors = model.embed(QUICK_START)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    int8 = model.runtime == "onnxruntime-int8"
    first, third = RECORDED_INT8 if int8 else (RECORDED_FIRST, RECORDED_THIRD)
    assert np.allclose(vectors[0, :6], first, atol=2e-4)
    assert np.allclose(vectors[2, :6], third, atol=2e-4)
    similarity = vectors @ vectors.T
    published = {(0, 1): 0.6660, (0, 2): 0.1046, (1, 2): 0.1411}
    for (one, other), value in published.items():
        assert similarity[one, other] == pytest.approx(value, abs=0.02 if int8 else 0.01)


def test_paraphrases_are_closer_than_unrelated_sentences(model: ContextualModel) -> None:
    pairs = [
        ("i have nowhere to sleep tonight", "we have no bed for the night", "can i renew a book"),
        (
            "my dad's face has dropped on one side",
            "his face is drooping and he is slurring",
            "where is the nearest post office",
        ),
        (
            "he said he would kill me if i left",
            "my partner threatens to hurt me if i go",
            "the bins were not collected this week",
        ),
    ]
    for text, paraphrase, unrelated in pairs:
        a, b, c = model.embed([text, paraphrase, unrelated])
        assert float(a @ b) > float(a @ c) + 0.2, (text, float(a @ b), float(a @ c))


def test_a_batch_reads_each_text_as_it_reads_it_alone(model: ContextualModel) -> None:
    """Padding a short text to a long one's length changes nothing (the mask hides it)."""
    texts = ["yes", "my mum is 82 and keeps falling over in the kitchen at night"]
    together = model.embed(texts)
    for row, text in enumerate(texts):
        assert np.allclose(together[row], model.embed([text])[0], atol=1e-5)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_sentences_read_together_are_read_as_each_alone(runtime: Runtime) -> None:
    """`read_together` (one pass, every token in one matrix, attention per sentence) gives
    each sentence the vector it gets read alone, a long pasted one included (cut at 128
    tokens): the speed-up changes no decision (branch fast). In onnxruntime the sentences
    are one row with a block-diagonal attention bias (`forward_packed`)."""
    alone = ContextualModel(cache_dir=False, runtime=runtime)
    together = ContextualModel(cache_dir=False, runtime=runtime)
    texts = [
        "need help with my claim",
        "also been cutting again and i dont know who to tell",
        "my landlord says we have to leave by friday " * 30,
        "need help with my claim",
    ]
    together.read_together(texts)
    for text in texts:
        assert np.allclose(together.embed([text])[0], alone.embed([text])[0], atol=1e-5)
    assert len(together._remembered) == 3  # the repeated sentence read once


def test_onnxruntime_reads_every_text_as_numpy_does() -> None:
    """The same weights in an ONNX graph (session 9): one text, a padded batch and
    sentences read together all give numpy's vectors to within 1e-5 (measured: 2e-7),
    so the safeguarding decisions stay the same (tests/bench/bench_contextual_runtime.py
    compares every labelled text)."""
    numpy_model = ContextualModel(cache_dir=False, runtime="numpy")
    graph_model = ContextualModel(cache_dir=False, runtime="onnxruntime")
    texts = [
        *QUICK_START,
        "ive sorted my will and who gets the dog, wont need any of it after friday",
        "yes",
    ]
    assert np.allclose(numpy_model.embed(texts), graph_model.embed(texts), atol=1e-5)
    for text in texts:
        assert np.allclose(numpy_model.embed([text]), graph_model.embed([text]), atol=1e-5)
    sentences = ["he hits me when he drinks", "i am scared to go home tonight with the kids"]
    numpy_model.read_together(sentences)
    graph_model.read_together(sentences)
    for text in sentences:
        assert np.allclose(numpy_model.embed([text]), graph_model.embed([text]), atol=1e-5)


def test_int8_products_read_every_text_close_to_float32() -> None:
    """Session 10: the default runtime multiplies int8 by int8 (`onnxruntime-int8`). Its
    vectors are not float32's (activations are quantised per product) but close: cosine
    over 0.98 for short and long texts (measured 0.99); the decisions on every labelled
    text are compared by tests/bench/bench_contextual_runtime.py (docs/performance.md,
    "Session 10: fast3")."""
    assert onnx_graph.available() and ContextualModel().runtime == DEFAULT_ONNX_RUNTIME
    float32 = ContextualModel(cache_dir=False, runtime="onnxruntime")
    int8 = ContextualModel(cache_dir=False, runtime="onnxruntime-int8")
    assert int8.load() and int8.runtime == "onnxruntime-int8"
    texts = [
        *QUICK_START,
        "ive sorted my will and who gets the dog, wont need any of it after friday",
    ]
    texts.append("my landlord says we have to leave by friday " * 30)
    cosines = (float32.embed(texts) * int8.embed(texts)).sum(axis=1)
    assert (cosines > 0.98).all() and (cosines < 0.9999).all(), cosines  # close, not equal


def test_without_onnxruntime_the_model_reads_with_numpy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A platform without onnxruntime's wheel: by default numpy reads, said by `runtime`;
    asked for onnxruntime all the same, the log says why and numpy reads. The weights are
    copied so this load is not one already made (loading is shared per file and runtime)."""
    weights = tmp_path / WEIGHTS.name
    shutil.copyfile(WEIGHTS, weights)
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # `import onnxruntime` now fails
    assert not onnx_graph.available()
    assert ContextualModel(weights=weights, cache_dir=False).runtime == "numpy"
    for runtime in ONNX_RUNTIMES:
        asked = ContextualModel(weights=weights, cache_dir=False, runtime=runtime)
        with caplog.at_level(logging.WARNING):
            assert asked.load(), asked.unavailable_reason
        assert asked.runtime == "numpy"
        assert any("runs in numpy" in record.message for record in caplog.records)
        vector = asked.embed([QUICK_START[0]])[0]
        assert np.allclose(vector[:6], RECORDED_FIRST, atol=2e-4)


@pytest.mark.parametrize("runtime", ONNX_RUNTIMES)
def test_a_graph_made_for_other_weights_is_refused_and_numpy_reads(
    runtime: Runtime, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The graph's data points into the weights file by offset: beside a weights file it
    was not made for (here one changed by a byte, as a rebuild would change it), or
    missing, it is refused, the log says why, and numpy reads the model."""
    int8 = runtime == "onnxruntime-int8"
    graph = onnx_graph.graph_file(WEIGHTS, int8)
    assert graph.is_file() and graph.stat().st_size < 100_000  # no numbers of its own
    data = bytearray(WEIGHTS.read_bytes())
    data[-1] ^= 1  # the last number of the last tensor
    without, beside = tmp_path / "without", tmp_path / "beside"
    for folder in (without, beside):
        folder.mkdir()
        (folder / WEIGHTS.name).write_bytes(bytes(data))
    shutil.copyfile(graph, onnx_graph.graph_file(beside / WEIGHTS.name, int8))
    models = [
        ContextualModel(weights=folder / WEIGHTS.name, cache_dir=False, runtime=runtime)
        for folder in (without, beside)
    ]
    with caplog.at_level(logging.WARNING):
        for model in models:
            assert model.load(), model.unavailable_reason
    assert [model.runtime for model in models] == ["numpy", "numpy"]
    said = [record.message for record in caplog.records if "unavailable" in record.message]
    assert any("runs in numpy" in message for message in said)
    assert "file not found" in said[0] and any("made for another weights file" in m for m in said)


def test_without_the_int8_graph_the_float32_graph_reads(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Review of session 10: a council's own weights with only the float32 graph beside them
    (or an onnxruntime without the int8 operator) fell straight to numpy, the slowest, and the
    log blamed onnxruntime. The float32 graph is tried next, and the log says why."""
    weights = tmp_path / WEIGHTS.name
    shutil.copyfile(WEIGHTS, weights)
    shutil.copyfile(onnx_graph.graph_file(WEIGHTS), onnx_graph.graph_file(weights))
    model = ContextualModel(weights=weights, cache_dir=False, runtime="onnxruntime-int8")
    with caplog.at_level(logging.WARNING):
        assert model.load(), model.unavailable_reason
    assert model.runtime == "onnxruntime"
    assert any("reads in float32" in record.message for record in caplog.records)
    vector = model.embed([QUICK_START[0]])[0]
    assert np.allclose(vector[:6], RECORDED_FIRST, atol=2e-4)


def test_a_pasted_document_is_cut_not_refused(model: ContextualModel) -> None:
    vector = model.embed(["help with the garden please " * 5000])[0]
    assert np.isfinite(vector).all() and abs(float(np.linalg.norm(vector)) - 1) < 1e-5


def test_the_shipped_files_are_in_the_package_with_their_notice() -> None:
    assert WEIGHTS.is_file() and TOKENIZER.is_file()
    notice = (MODELS / "minilm-l6-v2.NOTICE").read_text(encoding="utf-8")
    assert "Apache License 2.0" in notice and "sentence-transformers/all-MiniLM-L6-v2" in notice
    assert WEIGHTS.stat().st_size < 30_000_000


# --- When it cannot load ---------------------------------------------------------------


def test_a_missing_weights_file_is_said_once_and_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    model = ContextualModel(weights=tmp_path / "missing.safetensors", cache_dir=False)
    with caplog.at_level(logging.WARNING):
        assert not model.load()
        assert not model.load()
    assert model.state is ContextualState.UNAVAILABLE
    assert "missing.safetensors: file not found" in (model.unavailable_reason or "")
    said = [r for r in caplog.records if "Contextual meaning model unavailable" in r.message]
    assert len(said) == 1
    with pytest.raises(ModelUnavailable):
        model.embed(["anything at all"])


def test_a_corrupt_weights_file_or_tokenizer_is_unavailable(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.safetensors"
    corrupt.write_bytes(WEIGHTS.read_bytes()[:1_000_000])  # a download cut short
    model = ContextualModel(weights=corrupt, cache_dir=False)
    assert not model.load()
    assert "not a readable weights file" in (model.unavailable_reason or "")
    bad_tokenizer = tmp_path / "tokenizer.json"
    bad_tokenizer.write_text("{not json", encoding="utf-8")
    model = ContextualModel(tokenizer=bad_tokenizer, cache_dir=False)
    assert not model.load()
    assert "not a readable tokenizer" in (model.unavailable_reason or "")


def test_a_weights_file_of_another_model_is_unavailable(tmp_path: Path) -> None:
    """A real safetensors file without our tensors (here: a tiny one written by the test)."""
    from safetensors.numpy import save_file

    other = tmp_path / "other.safetensors"
    save_file({"embedding.weight": np.zeros((4, 256), dtype=np.float32)}, str(other))
    model = ContextualModel(weights=other, cache_dir=False)
    assert not model.load()
    assert "no 'word' tensor" in (model.unavailable_reason or "")


# --- Vectors kept on disk ----------------------------------------------------------------


def loaded(model: ContextualModel) -> ContextualModel:
    assert model.load(), model.unavailable_reason
    return model


def test_vectors_kept_on_disk_are_the_models_own_and_a_corrupt_cache_is_ignored(
    tmp_path: Path,
) -> None:
    model = ContextualModel(cache_dir=tmp_path)
    texts = ["i have nowhere to sleep tonight", "can i renew a book", "yes"]
    first = cached_vectors(model, texts)
    path = cache_file(model)
    assert path is not None and path.is_file()
    assert np.array_equal(first, model.embed(texts))
    again = cached_vectors(ContextualModel(cache_dir=tmp_path), [*texts, "a new example"])
    assert np.array_equal(again[:3], first)
    path.write_bytes(b"PK\x03\x04 this is not a numpy archive")
    assert np.array_equal(cached_vectors(ContextualModel(cache_dir=tmp_path), texts), first)
    assert np.load(path)["vectors"].shape == (3, 384)  # written afresh
    # Int8 products give other vectors: another file; numpy and float32 onnx share one.
    files = {
        runtime: cache_file(loaded(ContextualModel(cache_dir=tmp_path, runtime=runtime)))
        for runtime in RUNTIMES
    }
    assert files["numpy"] == files["onnxruntime"] != files["onnxruntime-int8"]
    # Session 11 (exact8): the int8 products summed exactly get a file of their own, so a
    # kiosk's session 10 file, saturated on a processor without VNNI, is never read again.
    int8 = files["onnxruntime-int8"]
    assert int8 is not None and int8.name.endswith("-int8x.npz")


def test_int8_products_take_the_matrices_as_uint8_so_every_processor_sums_exactly() -> None:
    """Session 11: the same message gave other vectors, and one held-aside disclosure another
    safeguarding decision, on a processor with VNNI than on one without, because onnxruntime's
    x86 uint8 x int8 kernels without VNNI add pairs of products in 16 bits and saturate. Every
    product of the shipped int8 graph takes its matrix as uint8 (wrapped, its top bit flipped,
    in the graph) with zero point 128, the form every kernel sums exactly."""
    import onnx

    model = onnx.load(str(onnx_graph.graph_file(WEIGHTS, True)), load_external_data=False)
    made = {node.output[0]: node for node in model.graph.node}
    constants = {tensor.name: tensor for tensor in model.graph.initializer}
    products = [node for node in model.graph.node if node.op_type == "DynamicQuantizeMatMul"]
    assert len(products) == 6 * 4  # qkv, attention out, feed-forward in and out, six layers
    for node in products:
        shift = made[node.input[1]]  # the stored matrix, wrapped to uint8, its top bit flipped
        assert shift.op_type == "BitwiseXor", node.name
        assert int(onnx.numpy_helper.to_array(constants[shift.input[1]])) == 128
        wrap = made[shift.input[0]]
        assert wrap.op_type == "Cast" and wrap.attribute[0].i == onnx.TensorProto.UINT8
        assert wrap.input[0] in constants  # the stored int8 matrix itself
        zero = onnx.numpy_helper.to_array(constants[node.input[3]])
        assert zero.dtype == np.uint8 and int(zero) == 128


def test_uint8_products_are_summed_exactly_where_int8_ones_would_saturate() -> None:
    """The form the graph uses, checked on this processor: an input quantised to 255 and a
    matrix column of -128, whose pairs of uint8 x int8 products (-65,280) a 16-bit kernel
    would saturate at -32,768, give onnxruntime's result equal to the exact sum (-128 x 64
    x the scales), as do columns of 127 and of both."""
    import onnxruntime
    from onnx import TensorProto, helper, numpy_helper

    width = 64
    x = np.ones((2, width), dtype=np.float32)  # quantised to 255 throughout
    stored = np.full((width, 3), -128, dtype=np.int8)
    stored[:, 1] = 127
    stored[1::2, 2] = 127
    shifted = stored.view(np.uint8) ^ np.uint8(128)  # as the graph shifts it
    assert (shifted.astype(np.int32) - 128 == stored).all()
    scale = np.full(3, 0.01, dtype=np.float32)
    node = helper.make_node(
        "DynamicQuantizeMatMul", ["x", "b", "scale", "zero"], ["y"], domain="com.microsoft"
    )
    graph = helper.make_graph(
        [node],
        "one-product",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, width])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])],
        [
            numpy_helper.from_array(shifted, "b"),
            numpy_helper.from_array(scale, "scale"),
            numpy_helper.from_array(np.array(128, dtype=np.uint8), "zero"),
        ],
    )
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    product = helper.make_model(graph, opset_imports=opsets)
    product.ir_version = 8
    session = onnxruntime.InferenceSession(
        product.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    found = session.run(None, {"x": x})[0]
    # x quantised as onnxruntime does: the range [0, 1] on 0..255, zero point 0.
    x_scale = np.float32(1.0 / 255)
    quantised = np.clip(np.rint(x / x_scale), 0, 255)
    assert (quantised == 255).all()
    exact = (quantised @ stored.astype(np.float64)) * x_scale * scale
    assert exact[0, 0] == pytest.approx(-128 * width * 0.01)
    assert np.allclose(found, exact, rtol=1e-5, atol=1e-5)
