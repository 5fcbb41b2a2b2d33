"""`LoadOnce`: a value read once, whichever threads ask for it and when (session 12).

The language stage's English words and the mixed line's each had their own copy of
"read once under a lock"; both now use `loading.LoadOnce`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from navigator.engine.understanding.language import LanguageDetector
from navigator.engine.understanding.loading import LoadOnce
from navigator.engine.understanding.mixed import EnglishWords

WAIT = 10.0
"""Seconds any step may take before the test gives up (never reached when it passes)."""
WORDS = frozenset({"rent", "help"})


class SlowRead:
    """A read that counts its calls and holds each until released."""

    def __init__(self) -> None:
        self.calls = 0
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self) -> frozenset[str]:
        self.calls += 1
        self.started.set()
        assert self.release.wait(WAIT)
        return WORDS


def _two_threads_ask(ask: Callable[[], frozenset[str]], read: SlowRead) -> list[frozenset[str]]:
    """A second thread asks while the first thread's read is under way; what each got."""
    got: list[frozenset[str]] = []
    first = threading.Thread(target=lambda: got.append(ask()))
    second = threading.Thread(target=lambda: got.append(ask()))
    first.start()
    assert read.started.wait(WAIT)
    second.start()
    second.join(0.2)
    assert second.is_alive()  # waiting for the first thread's read (or reading again)
    read.release.set()
    first.join(WAIT)
    second.join(WAIT)
    return got


def test_two_threads_asking_at_once_read_the_value_once() -> None:
    read = SlowRead()
    once = LoadOnce(read)
    got = _two_threads_ask(once.get, read)
    assert read.calls == 1
    assert got == [WORDS, WORDS]
    assert got[0] is got[1]
    assert once.loaded


def test_a_value_read_is_never_read_again() -> None:
    read = SlowRead()
    read.release.set()
    once = LoadOnce(read)
    assert not once.loaded
    assert once.get() is once.get()
    assert read.calls == 1


def test_the_language_stage_reads_its_english_words_once() -> None:
    read = SlowRead()
    detector = LanguageDetector(["pl"], english=read)
    assert _two_threads_ask(lambda: detector.english, read) == [WORDS, WORDS]
    assert read.calls == 1


def test_the_mixed_line_reads_its_english_words_once() -> None:
    read = SlowRead()
    words = EnglishWords(read)
    assert _two_threads_ask(lambda: words.words, read) == [WORDS, WORDS]
    assert read.calls == 1
