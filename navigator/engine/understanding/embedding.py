"""A small sentence-embedding model, shared by every step that reads meaning.

The model is WordLlama's `l2_supercat_256`: a static table of 32,000 token
vectors (256 numbers each) cut from Llama 2's embedding layer and trained for
sentence similarity. A sentence's vector is the mean of its tokens' vectors,
so embedding is a table lookup and an average: about 0.1 ms a sentence on a
kiosk's CPU, with no PyTorch and no GPU.

Why this model: its wheel on the package index (`wordllama`, MIT licence)
ships the weights (16 MB safetensors) and the tokenizer file, so nothing is
downloaded at run time. We read the two files ourselves with `safetensors`
and `tokenizers`, and never import the `wordllama` package: its loader falls
back to downloading when a file is missing, and importing it configures the
root logger.

Loading takes most of a second, so `EmbeddingModel` loads in a thread once
the first screen is up (`start_loading`), or on first use if someone needs it
sooner. When it cannot load (a missing or corrupt file, a missing package,
too little memory) it says why in `unavailable_reason`, logs it once, and
callers fall back to their lexical lines.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from navigator.engine.understanding.loading import (
    LoadsOnce,
    Remembered,
    make_room,
    reading_tokenizer,
    reading_weights,
)

# Defined in `loading` (shared with the contextual model), and named here as before.
from navigator.engine.understanding.loading import ModelState as ModelState
from navigator.engine.understanding.loading import ModelUnavailable as ModelUnavailable

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from tokenizers import Tokenizer

    Vectors = npt.NDArray[np.float32]
    Table = npt.NDArray[np.float16] | npt.NDArray[np.float32]
    """The token table: float16 as stored (mapped) or float32 (read and widened)."""

log = logging.getLogger(__name__)

WEIGHTS_FILE = "weights/l2_supercat_256.safetensors"
TOKENIZER_FILE = "tokenizers/l2_supercat_tokenizer_config.json"
_TENSOR = "embedding.weight"
DIMENSIONS = 256
REMEMBERED = 64
"""Single texts whose vectors are kept: one message is embedded by safeguarding's meaning
line and again by the topics' meaning scorer (and its parts by the two-needs check), so
each is embedded once. Small: it is the last few messages, not a corpus."""
REMEMBERED_CHARS = 4_000
"""Longer texts (a pasted document) are embedded each time rather than kept."""


def shipped_model_dir() -> Path | None:
    """Where the `wordllama` wheel put its files, found without importing the package."""
    try:
        spec = importlib.util.find_spec("wordllama")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


class EmbeddingModel(LoadsOnce):
    """Turns texts into unit-length vectors, loading the model once, in a thread or on first use.

    `weights` and `tokenizer` default to the files shipped in the `wordllama`
    wheel; give other paths to use another static model of the same shape (or,
    in tests, a missing or corrupt file).
    """

    _thread_name = "embedding-model"
    _log = log
    _warning = "Meaning model unavailable, using the word lines only: %s"
    _not_loaded = "the meaning model is not loaded"

    def __init__(self, weights: Path | None = None, tokenizer: Path | None = None) -> None:
        super().__init__()
        shipped = shipped_model_dir()
        self.weights_path = weights or (shipped / WEIGHTS_FILE if shipped else None)
        self.tokenizer_path = tokenizer or (shipped / TOKENIZER_FILE if shipped else None)
        self._table: Table | None = None
        self._tokenizer: Tokenizer | None = None
        self._remembered = Remembered(REMEMBERED)

    def _read_files(self) -> None:
        self._table, self._tokenizer = _read(self.weights_path, self.tokenizer_path)

    def _failed(self, error: BaseException) -> str:
        # Short of memory, safetensors' Rust code can panic rather than raise
        # MemoryError, and pyo3's PanicException is a BaseException: uncaught,
        # it would stop the conversation that asked for the model.
        return (
            f"{self.weights_path}: loading failed ({type(error).__name__}: {error}); "
            "the machine may be short of memory"
        )

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One unit-length vector per text (rows of a float32 array), loading first if need be.

        Texts are lower-cased first: people type without capitals, and examples
        and texts must be read the same way. Raises `ModelUnavailable` when the
        model cannot load.
        """
        import numpy as np

        self._require()
        if len(texts) == 1 and len(texts[0]) <= REMEMBERED_CHARS:
            one: Vectors = self._remembered.one(texts[0], self._embed)[np.newaxis, :].copy()
            return one
        return self._embed(texts)

    def _embed(self, texts: Sequence[str]) -> Vectors:
        import numpy as np

        assert self._table is not None and self._tokenizer is not None
        table = self._table
        vectors = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
        if not texts:
            return vectors
        encodings = self._tokenizer.encode_batch(
            [text.lower() for text in texts], add_special_tokens=False
        )
        for row, encoding in enumerate(encodings):
            ids = [token for token in encoding.ids if 0 <= token < table.shape[0]]
            if ids:
                # Widened after the rows are picked: float16 to float32 is exact, so each
                # vector is the one a float32 copy of the whole table would give.
                vectors[row] = table[ids].astype(np.float32).mean(axis=0)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors /= np.maximum(norms, 1e-9)
        return vectors


@functools.lru_cache(maxsize=2)
def _read(weights: Path | None, tokenizer_file: Path | None) -> tuple[Table, Tokenizer]:
    """The token table and tokenizer, or `ModelUnavailable` saying what went wrong.

    Read once per pair of files and shared (read-only) by every model object, so
    each conversation, and each test, can have its own `EmbeddingModel` without
    reading 32 MB again. A failure is not cached: a fixed file is read next time.
    """
    if weights is None or tokenizer_file is None:
        raise ModelUnavailable(
            "the 'wordllama' package that ships the model is not installed "
            "(pip install -e . installs it)"
        )
    for path in (weights, tokenizer_file):
        if not path.is_file():
            raise ModelUnavailable(f"{path}: file not found (reinstall the 'wordllama' wheel)")
    try:
        import numpy as np
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer
    except ImportError as error:
        raise ModelUnavailable(f"cannot import {error.name}: {error}") from error
    make_room(weights, tokenizer_file, weights_factor=ROOM_FOR_WEIGHTS)
    with reading_weights(weights):
        table = _mapped(weights)
        if table is None:  # not a plain float16 table: read and widened, as before
            try:
                tensors = load_file(str(weights))
                table = np.ascontiguousarray(tensors[_TENSOR], dtype=np.float32)
            except KeyError as error:
                raise ModelUnavailable(f"{weights}: no '{_TENSOR}' table in it") from error
    if table.ndim != 2 or table.shape[1] != DIMENSIONS:
        raise ModelUnavailable(
            f"{weights}: expected a table of {DIMENSIONS}-number vectors, found shape {table.shape}"
        )
    with reading_tokenizer(tokenizer_file):
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
    return table, tokenizer


def _mapped(weights: Path) -> Table | None:
    """The token table mapped from the file as it is stored (float16), or None when the
    file does not hold it that way (then it is read whole).

    Mapped, the table costs the process only the pages of the tokens it has met (a
    few megabytes, shared with the page cache and given back under pressure) instead
    of a 32 MB float32 copy and, while loading, the 16 MB file read beside it. The
    file is checked by safetensors' own reader first, so a bad file fails as before.
    """
    import json
    import struct

    import numpy as np
    from safetensors import safe_open

    with safe_open(str(weights), framework="np") as opened:
        if _TENSOR not in opened.keys():  # noqa: SIM118 (a safetensors handle, not a dict)
            return None
        if opened.get_slice(_TENSOR).get_dtype() != "F16":
            return None
    with weights.open("rb") as file:
        (size,) = struct.unpack("<Q", file.read(8))
        header = json.loads(file.read(size))
    entry = header[_TENSOR]
    begin, end = entry["data_offsets"]
    shape = tuple(entry["shape"])
    if len(shape) != 2 or end - begin != 2 * shape[0] * shape[1]:
        return None
    mapped: Table = np.memmap(
        weights, dtype=np.float16, mode="r", offset=8 + size + begin, shape=shape
    )
    return mapped


ROOM_FOR_WEIGHTS = 5
"""Times the weights file's size that loading may take at its peak, asked of
`loading.make_room` before the files are read: a table stored in another type than float16
is copied out and widened to float32, with room over. The shipped float16 table is mapped
and widened row by row as rows are picked (`_mapped`), so it needs far less; the factor
stays for the other case, and errs on the side of refusing a model on a kiosk short of
memory rather than running it out of memory."""
