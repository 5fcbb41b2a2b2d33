"""What the meaning models share: loading once in a thread, and saying why they cannot.

The static model (`embedding`) and the contextual one (`contextual`) differ in what
they read and how they read a text, but not in how they come to be ready: each loads
once, in a daemon thread after the first screen or on first use, moves through
"not loaded / loading / ready / unavailable", and when it cannot load it keeps the
reason (for the log, once, and the managers' Content tab) and callers fall back to
their other lines. `LoadsOnce` is that machinery, written once so the two models
cannot drift apart in it; each model keeps only its own reading.

The rest is what both read with, written once for the same reason: `make_room` asks
for the memory before the Rust readers can panic for lack of it, `reading_weights` and
`reading_tokenizer` map those readers' errors to `ModelUnavailable` in the same words,
`Remembered` keeps the last few messages' vectors, and `one_blas_thread` keeps numpy's
products on one thread for every model here (the trained view's training too).
`LoadOnce` is the small form of `LoadsOnce` for a value that cannot fail to load (the
knowledge base's English words, read by the language stage and the mixed line).
"""

from __future__ import annotations

import contextlib
import enum
import functools
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from threadpoolctl import ThreadpoolController

    Vectors = npt.NDArray[np.float32]


T = TypeVar("T")


class LoadOnce(Generic[T]):
    """A value read when first asked for, once, under its own lock.

    Several threads may ask at once (a conversation's and the one preparing the lines in
    the background): the first reads, the others wait for it and get the same value, and
    no later call takes the lock. Its own lock, so a reader that needs only this value
    never waits for a model being built under another.
    """

    _value: T

    def __init__(self, read: Callable[[], T]) -> None:
        self._read = read
        self._lock = threading.Lock()
        self._loaded = False

    @property
    def loaded(self) -> bool:
        """True once the value has been read."""
        return self._loaded

    def get(self) -> T:
        """The value, read now if no call has read it yet."""
        if not self._loaded:
            with self._lock:
                if not self._loaded:
                    self._value = self._read()
                    self._loaded = True
        return self._value


class ModelUnavailable(Exception):
    """A meaning model could not be loaded; the message says why and what to do."""


class ModelState(enum.Enum):
    NOT_LOADED = "not loaded"
    LOADING = "loading"
    READY = "ready"
    UNAVAILABLE = "unavailable"


class LoadsOnce:
    """A model that loads once, in a daemon thread or on first use, and says why it cannot.

    A subclass reads its own files in `_read_files` (keeping what it read on itself) and
    raises `ModelUnavailable` to say why it cannot; anything else it raises goes to
    `_failed`, which may turn it into a reason. The class attributes name the model in
    the log (its own logger, so each model is logged as it always was) and in the error
    raised when it is used without loading (`_require`).
    """

    _thread_name: ClassVar[str]
    """The loading thread's name, seen in a stack dump."""
    _log: ClassVar[logging.Logger]
    _warning: ClassVar[str]
    """The log line when the model cannot load, with `%s` for the reason."""
    _not_loaded: ClassVar[str]
    """The reason given when there is none (the model has not tried to load)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = ModelState.NOT_LOADED
        self._reason: str | None = None

    @property
    def state(self) -> ModelState:
        return self._state

    @property
    def ready(self) -> bool:
        """True once the model is loaded and answers at once."""
        return self._state is ModelState.READY

    @property
    def unavailable_reason(self) -> str | None:
        """Why the model could not load, in words for the log and the managers; None otherwise."""
        return self._reason

    def start_loading(self) -> threading.Thread:
        """Load in a daemon thread, so the first screen never waits for the model."""
        thread = threading.Thread(target=self.load, name=self._thread_name, daemon=True)
        thread.start()
        return thread

    def load(self) -> bool:
        """Load the model now if it is not loaded yet; True when it is ready."""
        with self._lock:
            if self._state is ModelState.NOT_LOADED:
                self._state = ModelState.LOADING
                try:
                    self._read_files()
                except ModelUnavailable as error:
                    self._unavailable(str(error))
                except (KeyboardInterrupt, SystemExit):
                    raise
                except BaseException as error:
                    reason = self._failed(error)
                    if reason is None:
                        raise
                    self._unavailable(reason)
                else:
                    self._state = ModelState.READY
            return self._state is ModelState.READY

    def _read_files(self) -> None:
        raise NotImplementedError

    def _failed(self, error: BaseException) -> str | None:
        """The reason to give for an error other than `ModelUnavailable`, or None to let it
        propagate (the default: only a model that knows what its reader can throw says)."""
        return None

    def _require(self) -> None:
        """Load if need be, or `ModelUnavailable` saying why the model cannot be used."""
        if not self.load():
            raise ModelUnavailable(self._reason or self._not_loaded)

    def _unavailable(self, reason: str) -> None:
        self._reason = reason
        self._state = ModelState.UNAVAILABLE
        self._log.warning(self._warning, reason)


class Remembered:
    """The last few single texts' vectors, so a message read by several lines is embedded
    once. Shared between threads (the loading thread and a conversation's), so locked; the
    vectors are made read-only, as every reader of the message gets the same array."""

    def __init__(self, most: int) -> None:
        self._most = most
        self._vectors: OrderedDict[str, Vectors] = OrderedDict()
        self._lock = threading.Lock()

    def one(self, text: str, embed: Callable[[Sequence[str]], Vectors]) -> Vectors:
        """`text`'s vector, remembered, or made by `embed` (a model's batch reader) and kept."""
        with self._lock:
            vector = self._vectors.get(text)
            if vector is not None:
                self._vectors.move_to_end(text)
                return vector
        return self.keep(text, embed([text])[0])

    def __contains__(self, text: str) -> bool:
        with self._lock:
            return text in self._vectors

    def __len__(self) -> int:
        with self._lock:
            return len(self._vectors)

    def clear(self) -> None:
        """Forget every vector (a benchmark's cold start)."""
        with self._lock:
            self._vectors.clear()

    def keep(self, text: str, vector: Vectors) -> Vectors:
        """Keep `vector` (made read-only) for `text`, forgetting the oldest past `most`."""
        vector.flags.writeable = False
        with self._lock:
            self._vectors[text] = vector
            if len(self._vectors) > self._most:
                self._vectors.popitem(last=False)
        return vector


@contextlib.contextmanager
def reading_weights(weights: Path) -> Iterator[None]:
    """Safetensors' errors while reading `weights`, as `ModelUnavailable` in the same words
    for every model. A `ModelUnavailable` raised inside (a model's own check) passes."""
    try:
        yield
    except ModelUnavailable:
        raise
    except MemoryError as error:
        raise ModelUnavailable(f"{weights}: not enough memory to load it") from error
    except Exception as error:  # safetensors raises its own error types for bad files
        raise ModelUnavailable(f"{weights}: not a readable weights file ({error})") from error


@contextlib.contextmanager
def reading_tokenizer(tokenizer_file: Path) -> Iterator[None]:
    """A failure to build the tokenizer in `tokenizer_file`, as `ModelUnavailable`."""
    try:
        yield
    except Exception as error:  # tokenizers raises a bare Exception for bad files
        raise ModelUnavailable(f"{tokenizer_file}: not a readable tokenizer ({error})") from error


@functools.lru_cache(maxsize=1)
def _blas_controller() -> ThreadpoolController | None:
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    return ThreadpoolController()


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """OpenBLAS on one thread for the model's products. Split over two threads on a
    busy 2-core kiosk, the threads wait on each other: one message took 100 to 580 ms
    instead of 18 (see `safety.BLOCK_ROWS` for the same effect on another product)."""
    controller = _blas_controller()
    if controller is None:
        yield
        return
    with controller.limit(limits=1, user_api="blas"):
        yield


ROOM_FOR_TOKENIZER = 12
"""Times the tokenizer file's size that building the tokenizer takes, with room over."""
ROOM_TO_RUN = 160 * 2**20
"""What reading with the model then takes at first (measured under `RLIMIT_AS` on a 2-core
machine): the tokenizer's worker threads, numpy's BLAS buffers, the examples' vectors."""


def make_room(weights: Path, tokenizer_file: Path, *, weights_factor: int) -> None:
    """`ModelUnavailable` now, in Python, when there is not the memory to load the model.
    Shared by both meaning models; `weights_factor` is how many times its weights file's
    size a model's load takes at its peak (each model's `ROOM_FOR_WEIGHTS`).

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


def give_back_freed_memory() -> None:
    """Hand the pages freed while loading back to the system, where the C library can
    (glibc's `malloc_trim`; elsewhere nothing happens). Loading the contextual model frees
    tens of megabytes in pieces (the weights file read whole, its int8 matrices once
    widened, onnxruntime's folded copies once packed) that glibc otherwise keeps in the
    process: 33 MB of a kiosk's resident memory (docs/performance.md, "Session 9")."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: its allocator gives memory back itself
        return
