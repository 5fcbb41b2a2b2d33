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
SETS = {"tuned": DATA / "languages.yaml", "held-aside": DATA / "languages_holdout.yaml"}
HELD_ASIDE_AIM = 0.95
TUNED_AIM = 0.9


@dataclass(frozen=True)
class Labelled:
    text: str
    language: str


def labelled(name: str) -> list[Labelled]:
    data = yaml.safe_load(SETS[name].read_text(encoding="utf-8"))
    return [Labelled(item["text"], item["language"]) for item in data["messages"]]


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
