"""Contextual vectors of the examples, kept on disk between runs.

Reading every crisis example and ordinary phrase (about 2,000 rows) through the
contextual model takes tens of seconds of CPU on a busy 2-core kiosk, at every
start. The vectors depend only on the model file, the token cut-off and the
text, so they are kept in the user's cache folder, one file per model (named by
the model file's sha256 and the cut-off), each row found by its text's sha256.
Content staff adding an example costs one row's embedding at the next start.

A cache that cannot be read (corrupt, truncated, written by another version,
not a file) is ignored and written afresh; one that cannot be written (a
read-only disk) only costs the time. Nothing here decides anything: a vector is
the same from the cache as from the model, bit for bit.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from navigator.engine.understanding.contextual import HIDDEN, MAX_TOKENS, ContextualModel
from navigator.engine.understanding.loading import give_back_freed_memory

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float32]

log = logging.getLogger(__name__)

_KEY_BYTES = 16


def cache_file(model: ContextualModel) -> Path | None:
    """Where `model`'s vectors are kept, or None with no cache folder or model fingerprint."""
    if model.cache_dir is None or model.fingerprint is None:
        return None
    # Vectors depend on the cut-off too: a file per model file and MAX_TOKENS. And on the
    # products: int8 ones (session 10) give other vectors than numpy's and float32 onnx's
    # (which agree to 1e-7, so they share a file). "-int8x" since session 11 (exact8): the
    # products summed exactly; a kiosk without VNNI kept session 10's saturated vectors under
    # "-int8", which the exact message vectors must not be compared with.
    products = "-int8x" if model.runtime == "onnxruntime-int8" else ""
    return model.cache_dir / f"contextual-{model.fingerprint[:24]}-{MAX_TOKENS}{products}.npz"


def cached_vectors(model: ContextualModel, texts: Sequence[str]) -> Matrix:
    """Each text's contextual vector, from the cache where it has it, the model otherwise."""
    import numpy as np

    model.load()
    keys = [_key(text) for text in texts]
    path = cache_file(model)
    known = _read(path) if path is not None else {}
    missing = sorted(
        {key: text for key, text in zip(keys, texts, strict=True) if key not in known}.items()
    )
    if missing:
        vectors = model.embed([text for _, text in missing])
        for (key, _), vector in zip(missing, vectors, strict=True):
            known[key] = vector
        if path is not None:
            _write(path, known)
    out: Matrix = np.zeros((len(texts), HIDDEN), dtype=np.float32)
    for row, key in enumerate(keys):
        out[row] = known[key]
    del known
    give_back_freed_memory()  # the file read and every row's copy: a few MB at most each
    return out


def _key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()[:_KEY_BYTES]


def _read(path: Path) -> dict[bytes, Matrix]:
    import numpy as np

    if not path.is_file():
        return {}
    try:
        with np.load(path, allow_pickle=False) as stored:
            keys, vectors = stored["keys"], stored["vectors"]
        if vectors.dtype != np.float32 or vectors.shape != (len(keys), HIDDEN):
            raise ValueError(f"unexpected shape {vectors.shape} or type {vectors.dtype}")
        if not np.isfinite(vectors).all():
            raise ValueError("not finite numbers")
        return {bytes(key): vector for key, vector in zip(keys, vectors, strict=True)}
    except Exception as error:  # a corrupt cache is only a slower start
        log.info("Ignoring the contextual vector cache %s: %s", path, error)
        return {}


def _write(path: Path, known: dict[bytes, Matrix]) -> None:
    import tempfile  # here: only a build writes, in a thread

    import numpy as np

    keys = np.array(list(known), dtype=f"S{_KEY_BYTES}")
    vectors = np.stack(list(known.values())).astype(np.float32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            np.savez(file, keys=keys, vectors=vectors)
        Path(temporary).replace(path)  # whole or not at all, for a reader at the same moment
    except OSError as error:
        log.info("Cannot keep the contextual vector cache %s: %s", path, error)
