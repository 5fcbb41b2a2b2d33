"""The real language detector, counting the texts it is asked about.

Not a mock: every text is read by `LanguageDetector` itself; the count says how many
times a message was read (a crisis panel must cost no second detection).
"""

from __future__ import annotations

from navigator.engine.understanding.language import LanguageDetector, LanguageGuess


class CountingDetector(LanguageDetector):
    """`LanguageDetector` that counts its `detect` calls (`for_knowledge` builds one)."""

    calls = 0

    def detect(self, text: str) -> LanguageGuess | None:
        self.calls += 1
        return super().detect(text)
