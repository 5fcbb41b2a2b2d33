"""The labelled messages in other languages, and the English phrasings that must stay English.

Shared by the quality tests (tests/engine/test_language.py) and the benchmark
that prints the figures (tests/bench/bench_language.py), so both measure the
same thing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parents[1] / "data"
SETS = {
    "tuned": DATA / "languages.yaml",
    "second (tuned)": DATA / "languages_holdout.yaml",
    "more": DATA / "languages_more.yaml",
    "third (tuned)": DATA / "languages_holdout2.yaml",
    "fourth (tuned)": DATA / "languages_holdout3.yaml",
    "held-aside": DATA / "languages_holdout4.yaml",
}
"""The labelled sets. "second (tuned)" was held aside until session 10, which read it (branch
langs). "more" (session 10) is tuned too: romanised Arabic, Bengali and Gujarati, English words
inside other languages, and English (`en`) that must stay English. "third (tuned)" was written
in session 10 (branch storiesaside) and held aside until session 11 (48 of 48 at its merge).
"fourth (tuned)" was written in session 11 (branch storiesaside3) and held aside until session
12 (45 of 48 on main before and after session 11's merge), which read its three misses (branch
welsh7): long romanised Punjabi and Bengali, and Punjabi read as Urdu; 48 of 48 after. The
"held-aside" (languages_holdout4.yaml) was written in session 12 (branch storiesaside4) before
any tuning that session and is never tuned on: 57 of 60 on main before session 12's merge, 58
after it (its English kept English: 14 of 14 both times)."""
HELD_ASIDE_FILES = frozenset({"crisis_holdout10.yaml", "stories_holdout4.yaml"})
"""English sets held aside this session (session 12: written on branches holdout10 and
storiesaside4): measured by the lead at merge (counts only), never gate-tested text by text,
so no test lists their texts. Both are matched by english_texts' patterns, so they are named
here or the language test would run the detector on them (absent on the tuning branches).
Session 11's, crisis_holdout9.yaml and stories_holdout3.yaml, are tuned sets now."""
MIXED_FILES = frozenset({"crisis_mixed.yaml", "crisis_holdout8.yaml", "crisis_holdout9.yaml"})
"""Crisis sets written in mixed languages on purpose (session 11, branch mixed): many of
their texts are rightly read as Polish, Portuguese, ..., so they are not English texts.
crisis_holdout8.yaml (held aside in session 10, read from session 11) mixes another language
into about one text in ten on purpose, and four of them are rightly read as Polish,
Portuguese or Romanian; crisis_holdout9.yaml (held aside in session 11, tuned from session 12)
does the same."""
HELD_ASIDE_AIM = 0.95
"""Issue 12's aim on held-aside text."""
TUNED_AIM = 0.95
"""Raised from 0.9 in session 10 (measured 38/39)."""
MORE_AIM = 0.95
"""Measured 96/96 when written (session 10); English kept English counts as right."""


@dataclass(frozen=True)
class Labelled:
    text: str
    language: str


def labelled(name: str) -> list[Labelled]:
    data = yaml.safe_load(SETS[name].read_text(encoding="utf-8"))
    return [Labelled(item["text"], item["language"]) for item in data["messages"]]


def stays_english(name: str) -> list[str]:
    """The English texts a set keeps beside its messages (`stays_english`; none for the sets
    that label English as `en` among their messages)."""
    data = yaml.safe_load(SETS[name].read_text(encoding="utf-8"))
    return list(data.get("stays_english", []))


def english_texts() -> dict[str, list[str]]:
    """Every English text of the labelled sets, by file: phrasings, stories, crisis sets
    (disclosures and near misses), typos and answers. Some mix in a phrase of another
    language ("bachon ke liye swimming lessons, how much for two kids"); all are English."""
    found: dict[str, list[str]] = {}
    for pattern in ("phrasings*.yaml", "stories*.yaml", "crisis*.yaml", "typos*.yaml"):
        for path in sorted(DATA.glob(pattern)):
            if path.name in HELD_ASIDE_FILES or path.name in MIXED_FILES:
                continue
            found[path.name] = _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    for path in sorted(DATA.glob("answers*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[path.name] = [item["typed"] for item in data["answers"]]
    return found


def english_phrasings() -> list[str]:
    """Every resident phrasing in tests/data/phrasings*.yaml (needs, crises, ordinary, ...)."""
    found: list[str] = []
    for path in sorted(DATA.glob("phrasings*.yaml")):
        found += _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def _strings(value: Any) -> list[str]:
    return list(_walk(value))


def _walk(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            if key not in {"also", "kind", "kinds", "need", "topic", "language"}:
                yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)
