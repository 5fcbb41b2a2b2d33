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

import enum
import functools
import importlib.util
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from tokenizers import Tokenizer

    Vectors = npt.NDArray[np.float32]

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


class ModelUnavailable(Exception):
    """The embedding model could not be loaded; the message says why and what to do."""


class ModelState(enum.Enum):
    NOT_LOADED = "not loaded"
    LOADING = "loading"
    READY = "ready"
    UNAVAILABLE = "unavailable"


def shipped_model_dir() -> Path | None:
    """Where the `wordllama` wheel put its files, found without importing the package."""
    try:
        spec = importlib.util.find_spec("wordllama")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


class EmbeddingModel:
    """Turns texts into unit-length vectors, loading the model once, in a thread or on first use.

    `weights` and `tokenizer` default to the files shipped in the `wordllama`
    wheel; give other paths to use another static model of the same shape (or,
    in tests, a missing or corrupt file).
    """

    def __init__(self, weights: Path | None = None, tokenizer: Path | None = None) -> None:
        shipped = shipped_model_dir()
        self.weights_path = weights or (shipped / WEIGHTS_FILE if shipped else None)
        self.tokenizer_path = tokenizer or (shipped / TOKENIZER_FILE if shipped else None)
        self._lock = threading.Lock()
        self._state = ModelState.NOT_LOADED
        self._reason: str | None = None
        self._table: Vectors | None = None
        self._tokenizer: Tokenizer | None = None
        self._remembered: OrderedDict[str, Vectors] = OrderedDict()
        self._remembered_lock = threading.Lock()

    @property
    def state(self) -> ModelState:
        return self._state

    @property
    def ready(self) -> bool:
        """True once the model is loaded and `embed` answers at once."""
        return self._state is ModelState.READY

    @property
    def unavailable_reason(self) -> str | None:
        """Why the model could not load, in words for the log and the managers; None otherwise."""
        return self._reason

    def start_loading(self) -> threading.Thread:
        """Load in a daemon thread, so the first screen never waits for the model."""
        thread = threading.Thread(target=self.load, name="embedding-model", daemon=True)
        thread.start()
        return thread

    def load(self) -> bool:
        """Load the model now if it is not loaded yet; True when it is ready."""
        with self._lock:
            if self._state is ModelState.NOT_LOADED:
                self._state = ModelState.LOADING
                try:
                    self._table, self._tokenizer = _read(self.weights_path, self.tokenizer_path)
                except ModelUnavailable as error:
                    self._unavailable(str(error))
                except (KeyboardInterrupt, SystemExit):
                    raise
                except BaseException as error:
                    # Short of memory, safetensors' Rust code can panic rather than raise
                    # MemoryError, and pyo3's PanicException is a BaseException: uncaught,
                    # it would stop the conversation that asked for the model.
                    self._unavailable(
                        f"{self.weights_path}: loading failed ({type(error).__name__}: {error}); "
                        "the machine may be short of memory"
                    )
                else:
                    self._state = ModelState.READY
            return self._state is ModelState.READY

    def _unavailable(self, reason: str) -> None:
        self._reason = reason
        self._state = ModelState.UNAVAILABLE
        log.warning("Meaning model unavailable, using the word lines only: %s", reason)

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One unit-length vector per text (rows of a float32 array), loading first if need be.

        Texts are lower-cased first: people type without capitals, and examples
        and texts must be read the same way. Raises `ModelUnavailable` when the
        model cannot load.
        """
        import numpy as np

        if not self.load():
            raise ModelUnavailable(self._reason or "the meaning model is not loaded")
        if len(texts) == 1 and len(texts[0]) <= REMEMBERED_CHARS:
            one: Vectors = self._embed_one(texts[0])[np.newaxis, :].copy()
            return one
        return self._embed(texts)

    def _embed_one(self, text: str) -> Vectors:
        """One text's vector, remembered for the next line that reads the same message."""
        with self._remembered_lock:
            remembered = self._remembered.get(text)
            if remembered is not None:
                self._remembered.move_to_end(text)
                return remembered
        vector: Vectors = self._embed([text])[0]
        vector.flags.writeable = False  # shared by every reader of this message
        with self._remembered_lock:
            self._remembered[text] = vector
            if len(self._remembered) > REMEMBERED:
                self._remembered.popitem(last=False)
        return vector

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
                vectors[row] = table[ids].mean(axis=0)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors /= np.maximum(norms, 1e-9)
        return vectors


@functools.lru_cache(maxsize=2)
def _read(weights: Path | None, tokenizer_file: Path | None) -> tuple[Vectors, Tokenizer]:
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
    make_room(weights, tokenizer_file)
    try:
        tensors = load_file(str(weights))
        table = np.ascontiguousarray(tensors[_TENSOR], dtype=np.float32)
    except MemoryError as error:
        raise ModelUnavailable(f"{weights}: not enough memory to load it") from error
    except KeyError as error:
        raise ModelUnavailable(f"{weights}: no '{_TENSOR}' table in it") from error
    except Exception as error:  # safetensors raises its own error types for bad files
        raise ModelUnavailable(f"{weights}: not a readable weights file ({error})") from error
    if table.ndim != 2 or table.shape[1] != DIMENSIONS:
        raise ModelUnavailable(
            f"{weights}: expected a table of {DIMENSIONS}-number vectors, found shape {table.shape}"
        )
    try:
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
    except Exception as error:  # tokenizers raises a bare Exception for bad files
        raise ModelUnavailable(f"{tokenizer_file}: not a readable tokenizer ({error})") from error
    return table, tokenizer


ROOM_FOR_WEIGHTS = 5
"""Times the weights file's size that loading takes at its peak: the file mapped, its
table copied out, then widened to float32 (twice the size of float16), with room over."""
ROOM_FOR_TOKENIZER = 12
"""Times the tokenizer file's size that building the tokenizer takes, with room over."""
ROOM_TO_RUN = 160 * 2**20
"""What reading with the model then takes at first (measured under `RLIMIT_AS` on a 2-core
machine): the tokenizer's worker threads, numpy's BLAS buffers, the examples' vectors."""


def make_room(
    weights: Path, tokenizer_file: Path, *, weights_factor: int = ROOM_FOR_WEIGHTS
) -> None:
    """`ModelUnavailable` now, in Python, when there is not the memory to load the model.
    Shared by both meaning models; `weights_factor` is how many times its weights file's
    size a model's load takes at its peak (`ROOM_FOR_WEIGHTS` for this one).

    Short of memory, the Rust code that reads the files does not raise MemoryError:
    it panics, or aborts the whole process, and an abort can hang while it reports
    itself (found with `RLIMIT_AS` in tests/engine/test_meaning_memory.py). So the
    room the load and its first use need is asked for first, as an anonymous mapping
    that is never touched (no memory is used) and is given back at once.
    """
    import mmap

    need = (
        weights_factor * weights.stat().st_size
        + ROOM_FOR_TOKENIZER * tokenizer_file.stat().st_size
        + ROOM_TO_RUN
    )
    try:
        room = mmap.mmap(-1, need)
    except (MemoryError, OSError) as error:
        raise ModelUnavailable(
            f"{weights}: not enough memory to load it ({need // 2**20} MB needed)"
        ) from error
    room.close()
