"""A small contextual sentence model, read by numpy: all-MiniLM-L6-v2.

The static model (`embedding`) averages token vectors, so filler words dilute
an indirect disclosure ("ive sorted my will and who gets the dog, wont need any
of it after friday") and word order means nothing. A contextual model reads
each word in the light of the others: six layers of self-attention over the
sentence, then the mean of the token vectors. It was trained on a billion
sentence pairs to put paraphrases close together, which is what the
safeguarding meaning line asks of it.

Why this model and this way: all-MiniLM-L6-v2 (Apache-2.0, 22.7M numbers) is
small enough for a kiosk's CPU. Its weights ship in this package (int8, one
scale per column, 23 MB), made by docs/models/make_contextual_model.py, with
its own WordPiece tokenizer file; nothing downloads at run time. The forward
pass is BERT's, written here in numpy (no PyTorch): it is about forty lines and
float32 throughout. Since session 9 the six layers run in onnxruntime when it can
be imported (`onnx_graph`: the same weights and steps as an ONNX graph written at
build time, about 0.6 of numpy's time, outputs within 3e-6); numpy is the fallback.
Since session 10 the default graph multiplies the int8 matrices as stored (about 0.66 of
the float32 graph's time per message; vectors within 0.99 cosine, `ONNX_RUNTIMES`).

Loading (reading the weights and, by the safeguarding line, embedding every
example) takes a few seconds, so it runs in a thread after the first screen,
like the static model. When it cannot load (a missing or corrupt file, too
little memory), `unavailable_reason` says why, it is logged once, and the
other lines carry on.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from navigator.engine.understanding.loading import (
    LoadsOnce,
    ModelState,
    ModelUnavailable,
    Remembered,
    give_back_freed_memory,
    make_room,
    one_blas_thread,
    reading_tokenizer,
    reading_weights,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from tokenizers import Tokenizer

    from navigator.engine.understanding.onnx_graph import Graph

    Vectors = npt.NDArray[np.float32]

log = logging.getLogger(__name__)

MODELS = Path(__file__).resolve().with_name("models")
WEIGHTS = MODELS / "minilm-l6-v2.int8.safetensors"
TOKENIZER = MODELS / "minilm-l6-v2.tokenizer.json"
LAYERS = 6
HEADS = 12
HIDDEN = 384
MAX_TOKENS = 128
"""Longer texts are cut here (the model was trained on 128 tokens): a pasted
document costs no more than a long message."""
BATCH = 32
"""Texts embedded together when building an index, sorted by length so padding is short."""
REMEMBERED = 64
_EPSILON = 1e-12


Runtime = Literal["onnxruntime-int8", "onnxruntime", "numpy"]
"""What runs the six layers: onnxruntime with int8 products (`onnx_graph`, session 10: the
stored int8 matrices multiplied as they are, the activations quantised per product),
onnxruntime with float32 products (the matrices widened, as numpy multiplies), or numpy
(`forward`'s own code)."""

ONNX_RUNTIMES: tuple[Runtime, ...] = ("onnxruntime-int8", "onnxruntime")

ContextualState = ModelState
"""The contextual model's states: the same as the static model's, as it loads the same way."""


class _Weights:
    """The model's matrices in float32, the word table kept as stored (int8 or float16).

    With `graph` (onnxruntime) the layers' matrices live in its session and `layers` is
    empty: numpy's copy would add 42 MB for nothing."""

    def __init__(
        self, tensors: dict[str, npt.NDArray[np.generic]], graph: Graph | None = None
    ) -> None:
        import numpy as np

        self.graph = graph

        self.word = tensors["word"]
        self.word_scale = tensors.get("word.scale")
        self.position = np.asarray(tensors["position"], dtype=np.float32)
        self.token_type = np.asarray(tensors["token_type"], dtype=np.float32)
        self.embed_norm = _norm(tensors, "embed_norm")
        self.layers = [] if graph else [_Layer(tensors, str(layer)) for layer in range(LAYERS)]
        if self.word.shape[1] != HIDDEN or self.position.shape[0] < MAX_TOKENS:
            raise ValueError(f"unexpected shapes {self.word.shape}, {self.position.shape}")

    @property
    def runtime(self) -> Runtime:
        return "numpy" if self.graph is None else self.graph.runtime

    def embedded(self, ids: npt.NDArray[np.intp]) -> Vectors:
        """The tokens of `ids` (texts x tokens) as the first layer reads them: word, position
        and token type vectors summed, then LayerNorm."""
        x = self.tokens(ids) + self.position[: ids.shape[-1]] + self.token_type
        return _layer_norm(x, *self.embed_norm)

    def tokens(self, ids: npt.NDArray[np.intp]) -> Vectors:
        """The word vectors of `ids` (any shape), in float32."""
        import numpy as np

        rows: Vectors = self.word[ids].astype(np.float32)
        if self.word_scale is not None:
            rows *= self.word_scale[ids][..., np.newaxis].astype(np.float32)
        return rows


class _Layer:
    def __init__(self, tensors: dict[str, npt.NDArray[np.generic]], prefix: str) -> None:
        self.qkv = _matrix(tensors, f"{prefix}.qkv")
        self.attn_out = _matrix(tensors, f"{prefix}.attn_out")
        self.attn_norm = _norm(tensors, f"{prefix}.attn_norm")
        self.ffn_in = _matrix(tensors, f"{prefix}.ffn_in")
        self.ffn_out = _matrix(tensors, f"{prefix}.ffn_out")
        self.ffn_norm = _norm(tensors, f"{prefix}.ffn_norm")


def _matrix(tensors: dict[str, npt.NDArray[np.generic]], name: str) -> tuple[Vectors, Vectors]:
    """A weight matrix (inputs x outputs) in float32 and its bias."""
    import numpy as np

    weight = tensors[name].astype(np.float32)
    scale = tensors.get(name + ".scale")
    if scale is not None:
        weight *= scale[np.newaxis, :].astype(np.float32)
    return np.ascontiguousarray(weight), np.asarray(tensors[name + ".bias"], dtype=np.float32)


def _norm(tensors: dict[str, npt.NDArray[np.generic]], name: str) -> tuple[Vectors, Vectors]:
    import numpy as np

    weight = np.asarray(tensors[name + ".weight"], dtype=np.float32)
    return weight, np.asarray(tensors[name + ".bias"], dtype=np.float32)


class ContextualModel(LoadsOnce):
    """Turns texts into unit-length 384-number vectors with all-MiniLM-L6-v2.

    The same shape of object as `EmbeddingModel`: `load` once (in a thread with
    `start_loading`), `embed` many times, `unavailable_reason` when it cannot load.
    `weights` and `tokenizer` default to the files shipped in this package; tests
    give a missing or corrupt file.
    """

    _thread_name = "contextual-model"
    _log = log
    _warning = "Contextual meaning model unavailable, using the other lines: %s"
    _not_loaded = "the contextual model is not loaded"

    def __init__(
        self,
        weights: Path | None = None,
        tokenizer: Path | None = None,
        cache_dir: Path | bool | None = True,
        runtime: Runtime | None = None,
    ) -> None:
        """`runtime`: what runs the layers; None is onnxruntime when it can be imported
        (`onnx_graph.available`), numpy otherwise. Tests and the benchmark ask for each."""
        super().__init__()
        self.runtime: Runtime = runtime or _default_runtime()
        self.weights_path = weights or WEIGHTS
        self.tokenizer_path = tokenizer or TOKENIZER
        self.cache_dir: Path | None = (
            cache_dir
            if isinstance(cache_dir, Path)
            else (default_cache_dir() if cache_dir is True else None)
        )
        """Where the examples' vectors are kept between runs (`vector_cache`); None: nowhere."""
        self.fingerprint: str | None = None
        """The weights file's sha256, once loaded: vectors kept on disk are filed under it."""
        self._weights: _Weights | None = None
        self._tokenizer: Tokenizer | None = None
        self._remembered = Remembered(REMEMBERED)

    def _read_files(self) -> None:
        self._weights, self._tokenizer, self.fingerprint = _read(
            self.weights_path, self.tokenizer_path, self.runtime
        )
        self.runtime = self._weights.runtime  # numpy if onnxruntime failed to start

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One unit-length vector per text (float32 rows); `ModelUnavailable` if it cannot load."""
        import numpy as np

        self._require()
        if len(texts) == 1:
            return self._remembered.one(texts[0], self._embed)[np.newaxis, :].copy()
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda place: len(texts[place]))
        for start in range(0, len(order), BATCH):
            places = order[start : start + BATCH]
            out[places] = self._embed([texts[place] for place in places])
        return out

    def read_together(self, texts: Sequence[str]) -> None:
        """Read several texts (a message's sentences) in one forward pass and remember
        their vectors, so `embed([text])` on each finds it. One pass with every token in
        one matrix uses the processor better than a pass per sentence: small products
        (10 to 30 tokens) ran at half the speed of large ones. No padding: each sentence
        attends to its own tokens only (`forward_packed`)."""
        import numpy as np

        self._require()
        new = list(dict.fromkeys(text for text in texts if text not in self._remembered))
        if not new:
            return
        assert self._weights is not None and self._tokenizer is not None
        encodings = self._tokenizer.encode_batch([text[: MAX_TOKENS * 12] for text in new])
        ids = [np.asarray(encoding.ids, dtype=np.intp) for encoding in encodings]
        with one_blas_thread():
            hidden = forward_packed(self._weights, ids)
        first = 0
        for text, row in zip(new, ids, strict=True):
            pooled = hidden[first : first + len(row)].sum(axis=0) / np.float32(len(row))
            first += len(row)
            vector: Vectors = (pooled / max(float(np.linalg.norm(pooled)), 1e-9)).astype(np.float32)
            self._remembered.keep(text, vector)

    def _embed(self, texts: Sequence[str]) -> Vectors:
        """One padded batch through the model: ids, mask, forward, mean pooling, unit length."""
        import numpy as np

        assert self._weights is not None and self._tokenizer is not None
        encodings = self._tokenizer.encode_batch([text[: MAX_TOKENS * 12] for text in texts])
        length = max(len(encoding.ids) for encoding in encodings)
        ids = np.zeros((len(texts), length), dtype=np.intp)
        mask = np.zeros((len(texts), length), dtype=np.float32)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1.0
        with one_blas_thread():
            hidden = forward(self._weights, ids, mask)
        pooled = (hidden * mask[:, :, np.newaxis]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: Vectors = (pooled / np.maximum(norms, 1e-9)).astype(np.float32)
        return result


def forward(weights: _Weights, ids: npt.NDArray[np.intp], mask: Vectors) -> Vectors:
    """BERT's encoder: embeddings and LayerNorm, then six layers of 12-head self-attention
    and a GELU feed-forward, each followed by a residual sum and LayerNorm (post-norm)."""
    import numpy as np

    batch, length = ids.shape
    x = weights.embedded(ids)
    # Padding gets a large negative score so softmax gives it (almost exactly) nothing.
    padding = ((1.0 - mask) * np.float32(-1e9))[:, np.newaxis, np.newaxis, :]
    if weights.graph is not None and weights.graph.one_text_at_a_time and batch > 1:
        # Int8 products quantise their whole input with one scale: each text alone, so
        # its vector does not depend on what it was read with (padding rows are zeros).
        lengths = mask.sum(axis=1).astype(np.intp).tolist()
        each: Vectors = np.zeros((batch, length, HIDDEN), dtype=np.float32)
        for row, tokens in enumerate(lengths):
            each[row, :tokens] = weights.graph.run(
                x[row : row + 1, :tokens], padding[row : row + 1, ..., :tokens]
            )[0]
        return each
    if weights.graph is not None:
        return weights.graph.run(x, padding)
    size = HIDDEN // HEADS
    scale = np.float32(1.0 / np.sqrt(size))
    flat = x.reshape(batch * length, HIDDEN)
    for layer in weights.layers:
        qkv = _affine(flat, layer.qkv).reshape(batch, length, 3, HEADS, size)
        query, key, value = (qkv[:, :, part].transpose(0, 2, 1, 3) for part in range(3))
        scores: Vectors = query @ key.transpose(0, 1, 3, 2)
        scores *= scale
        scores += padding
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context: Vectors = (scores @ value).transpose(0, 2, 1, 3).reshape(batch * length, HIDDEN)
        attended = _affine(context, layer.attn_out)
        attended += flat
        flat = _layer_norm(attended, *layer.attn_norm)
        inner = _gelu(_affine(flat, layer.ffn_in))
        out = _affine(inner, layer.ffn_out)
        out += flat
        flat = _layer_norm(out, *layer.ffn_norm)
    hidden: Vectors = flat.reshape(batch, length, HIDDEN)
    return hidden


def _affine(x: Vectors, matrix: tuple[Vectors, Vectors]) -> Vectors:
    """`x @ weight + bias`, the bias added in place (one array fewer per product)."""
    result: Vectors = x @ matrix[0]
    result += matrix[1]
    return result


def forward_packed(weights: _Weights, ids: Sequence[npt.NDArray[np.intp]]) -> Vectors:
    """`forward` for several texts with every token in one matrix (no padding): the
    products run once over all of them, attention per text on its own rows. Returns
    the tokens' vectors, text after text."""
    import numpy as np

    flat = np.concatenate([weights.embedded(row) for row in ids])
    bounds = np.cumsum([0, *(len(row) for row in ids)]).tolist()
    if weights.graph is not None and weights.graph.one_text_at_a_time:
        # Int8 products: each text alone, as `forward` reads a batch (no bias: no padding).
        alone = [
            weights.graph.run(
                flat[np.newaxis, first:last], np.zeros((1, 1, 1, last - first), np.float32)
            )[0]
            for first, last in itertools.pairwise(bounds)
        ]
        return np.concatenate(alone)
    if weights.graph is not None:
        # One row of every token; each text attends to its own tokens only (a block of
        # zeros on the diagonal, -1e9 elsewhere: softmax gives the rest exactly nothing).
        blocks = np.full((len(flat), len(flat)), np.float32(-1e9), dtype=np.float32)
        for first, last in itertools.pairwise(bounds):
            blocks[first:last, first:last] = 0.0
        packed: Vectors = weights.graph.run(flat[np.newaxis], blocks[np.newaxis, np.newaxis])[0]
        return packed
    size = HIDDEN // HEADS
    scale = np.float32(1.0 / np.sqrt(size))
    for layer in weights.layers:
        qkv = _affine(flat, layer.qkv)
        context = np.empty_like(flat)
        for first, last in itertools.pairwise(bounds):
            part = qkv[first:last].reshape(last - first, 3, HEADS, size)
            query, key, value = (part[:, which].transpose(1, 0, 2) for which in range(3))
            scores: Vectors = query @ key.transpose(0, 2, 1)
            scores *= scale
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context[first:last] = (scores @ value).transpose(1, 0, 2).reshape(last - first, HIDDEN)
        attended = _affine(context, layer.attn_out)
        attended += flat
        flat = _layer_norm(attended, *layer.attn_norm)
        inner = _gelu(_affine(flat, layer.ffn_in))
        out = _affine(inner, layer.ffn_out)
        out += flat
        flat = _layer_norm(out, *layer.ffn_norm)
    return flat


def _layer_norm(x: Vectors, weight: Vectors, bias: Vectors) -> Vectors:
    """LayerNorm over the last axis, in place: `x` (a sum made for it) is overwritten."""
    x -= x.mean(axis=-1, keepdims=True)
    variance = (x * x).mean(axis=-1, keepdims=True)
    x /= (variance + _EPSILON) ** 0.5
    x *= weight
    x += bias
    return x


def _gelu(x: Vectors) -> Vectors:
    """GELU in its exact form, as BERT uses it: x * Phi(x), with the error function (`_erf`),
    computed in place: `x` is the feed-forward's inner product, used nowhere else."""
    import numpy as np

    phi = _erf(x * np.float32(0.5**0.5))
    phi += np.float32(1.0)
    x *= phi
    x *= np.float32(0.5)
    return x


_ERF_NUMERATOR = (
    -2.72614225801306e-10,
    2.77068142495902e-08,
    -2.10102402082508e-06,
    -5.69250639462346e-05,
    -7.34990630326855e-04,
    -2.95459980854025e-03,
    -1.60960333262415e-02,
)
_ERF_DENOMINATOR = (
    -1.45660718464996e-05,
    -2.13374055278905e-04,
    -1.68282697438203e-03,
    -7.37332916720468e-03,
    -1.42647390514189e-02,
)


def _erf(x: Vectors) -> Vectors:
    """The error function in float32, as Eigen (and so TensorFlow and XLA) computes it: a
    rational function of x on [-4, 4] (erf is 1 to float32 precision beyond). Within 5e-7
    of scipy's `erf`, which works in float64 and was a quarter of the model's time (25 ms
    of a 128-token forward pass; this takes 3): docs/performance.md, "Session 7: speed
    after merge". `x` is overwritten."""
    import numpy as np

    np.clip(x, np.float32(-4.0), np.float32(4.0), out=x)
    square = x * x
    numerator = np.full_like(x, np.float32(_ERF_NUMERATOR[0]))
    for coefficient in _ERF_NUMERATOR[1:]:
        numerator *= square
        numerator += np.float32(coefficient)
    numerator *= x
    denominator = np.full_like(x, np.float32(_ERF_DENOMINATOR[0]))
    for coefficient in _ERF_DENOMINATOR[1:]:
        denominator *= square
        denominator += np.float32(coefficient)
    numerator /= denominator
    return numerator


def _default_runtime() -> Runtime:
    from navigator.engine.understanding import onnx_graph

    return DEFAULT_ONNX_RUNTIME if onnx_graph.available() else "numpy"


DEFAULT_ONNX_RUNTIME: Runtime = "onnxruntime-int8"
"""The runtime when onnxruntime can be imported (docs/performance.md, "Session 10: fast3")."""


@functools.lru_cache(maxsize=2)
def _read(
    weights: Path, tokenizer_file: Path, runtime: Runtime = "numpy"
) -> tuple[_Weights, Tokenizer, str]:
    """The weights and tokenizer, or `ModelUnavailable` saying what went wrong.

    Read once per pair of files and runtime, and shared read-only by every model object;
    a failure is not cached, so a fixed file is read next time. When onnxruntime cannot
    start (any error but memory), the layers run in numpy and the log says why.
    """
    for path in (weights, tokenizer_file):
        if not path.is_file():
            raise ModelUnavailable(
                f"{path}: file not found (reinstall Navigator: the file ships in its package)"
            )
    try:
        from safetensors.numpy import load
        from tokenizers import Tokenizer
    except ImportError as error:
        raise ModelUnavailable(f"cannot import {error.name}: {error}") from error
    except MemoryError as error:
        raise ModelUnavailable(f"{weights}: not enough memory to load the model") from error
    make_room(weights, tokenizer_file, weights_factor=ROOM_FOR_WEIGHTS)
    with reading_weights(weights):
        try:
            fingerprint = _sha256(weights)
            # The session first, its loading memory handed back, then the file read: the
            # two peaks apart (docs/performance.md, "Session 9").
            graph = _start_graph(weights, fingerprint, runtime) if runtime != "numpy" else None
            give_back_freed_memory()
            data = weights.read_bytes()
            loaded = _Weights(load(data), graph)
            del data
        except KeyError as error:
            raise ModelUnavailable(f"{weights}: no {error} tensor in it") from error
    with reading_tokenizer(tokenizer_file):
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    try:  # one short reading now, so a kiosk short of memory finds out here, not mid-message
        forward(loaded, *_trial_input())
    except MemoryError as error:
        raise ModelUnavailable(f"{weights}: not enough memory to use the model") from error
    give_back_freed_memory()
    return loaded, tokenizer, fingerprint


def _sha256(path: Path) -> str:
    """The file's sha256, read a megabyte at a time (the weights' fingerprint)."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _start_graph(weights: Path, fingerprint: str, runtime: Runtime) -> Graph | None:
    """The layers in onnxruntime (`onnx_graph`), from the graph beside `weights` for
    `runtime`; None (numpy runs them, and the log says why) when it cannot start.

    The int8-products graph that cannot start (missing beside a council's own weights, an
    onnxruntime without its operator) falls back to the float32 graph first, then numpy:
    each step slower, none silent."""
    try:
        import onnxruntime  # noqa: F401 (missing or broken: one log line, numpy reads)

        from navigator.engine.understanding.onnx_graph import Graph, graph_file
    except Exception as error:  # onnxruntime not installed or broken: numpy reads as before
        log.warning("onnxruntime unavailable, the contextual model runs in numpy: %s", error)
        return None
    if runtime == "onnxruntime-int8":
        try:
            return Graph(graph_file(weights, True), fingerprint, runtime)
        except Exception as error:  # file, operator or memory: the float32 graph next
            log.warning("int8 products unavailable, the model reads in float32: %s", error)
    try:
        return Graph(graph_file(weights, False), fingerprint, "onnxruntime")
    except Exception as error:  # file, runtime or memory: numpy reads as before
        log.warning("onnxruntime unavailable, the contextual model runs in numpy: %s", error)
    return None


ROOM_FOR_WEIGHTS = 6
"""The int8 file is read (1x), then held as float32 (4x), with room to spare (1x): the
factor `loading.make_room` asks for, which also covers the Rust tokenizer and OpenBLAS
(short of memory they panic, abort or hang rather than raise MemoryError)."""


def _trial_input() -> tuple[npt.NDArray[np.intp], Vectors]:
    """Eight tokens of one text ([CLS] ... [SEP] ids, all attended) for the trial reading."""
    import numpy as np

    ids = np.array([[101, 1045, 2342, 2393, 2007, 2026, 4713, 102]], dtype=np.intp)
    return ids, np.ones(ids.shape, dtype=np.float32)


def default_cache_dir() -> Path:
    """The user's cache folder for Navigator (`NAVIGATOR_CACHE_DIR` overrides it)."""
    import platformdirs

    override = os.environ.get("NAVIGATOR_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir("navigator"))
