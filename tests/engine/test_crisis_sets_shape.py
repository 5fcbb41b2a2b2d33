"""The shape of the held-aside crisis sets written on branches `holdout6`, `holdout7`,
`holdout8`, `holdout9` and `holdout10` (issue 12).

These sets are worth something only while nobody tunes on them, so this test never
runs the detector and never prints a text: it checks only that each file loads with
plain YAML, names real kinds, is big enough to measure every kind, and repeats no
text, so that a later edit cannot quietly shrink or corrupt a set the lead measures once.
It also checks, by file name only, that the set held aside now never reaches a test that
reads every crisis file text by text (the language test's English texts).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.engine.language_set import english_texts

DATA = Path(__file__).resolve().parents[1] / "data"
ENGLISH = DATA / "crisis_holdout6.yaml"
WELSH = DATA / "welsh_crisis_holdout3.yaml"
# Written on branch `holdout7` before anyone tuned on session 9's work.
ENGLISH_7 = DATA / "crisis_holdout7.yaml"
WELSH_4 = DATA / "welsh_crisis_holdout4.yaml"
# Written on branch `holdout8` before anyone tuned on session 10's work.
ENGLISH_8 = DATA / "crisis_holdout8.yaml"
WELSH_5 = DATA / "welsh_crisis_holdout5.yaml"
# Written on branch `holdout9` before anyone tuned on session 11's work.
ENGLISH_9 = DATA / "crisis_holdout9.yaml"
WELSH_6 = DATA / "welsh_crisis_holdout6.yaml"
# Written on branch `holdout10` before anyone tuned on session 12's work.
ENGLISH_10 = DATA / "crisis_holdout10.yaml"
WELSH_7 = DATA / "welsh_crisis_holdout7.yaml"

KINDS = frozenset(
    {
        "suicide-self-harm",
        "immediate-danger",
        "medical-emergency",
        "harm-to-others",
        "child-abuse",
        "child-at-risk",
        "adult-abuse",
        "domestic-abuse",
        "nowhere-to-sleep",
        "children-no-food",
    }
)
"""The ten safeguarding kind ids in knowledge/safeguarding.yaml (issue 12)."""

# (path, least disclosures, least disclosures naming each kind, least near misses,
# the set a person must write before working on this one's misses)
MINIMUMS = [
    (ENGLISH, 130, 12, 90, "crisis_holdout7.yaml"),
    (WELSH, 40, 4, 25, "welsh_crisis_holdout4.yaml"),
    (ENGLISH_7, 160, 15, 110, "crisis_holdout8.yaml"),
    (WELSH_4, 50, 4, 30, "welsh_crisis_holdout5.yaml"),
    (ENGLISH_8, 170, 16, 110, "crisis_holdout9.yaml"),
    (WELSH_5, 50, 4, 30, "welsh_crisis_holdout6.yaml"),
    (ENGLISH_9, 180, 18, 120, "crisis_holdout10.yaml"),
    (WELSH_6, 50, 4, 30, "welsh_crisis_holdout7.yaml"),
    (ENGLISH_10, 200, 18, 130, "crisis_holdout11.yaml"),
    (WELSH_7, 55, 4, 35, "welsh_crisis_holdout8.yaml"),
]


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: the top level should be a mapping"
    assert set(data) == {"crisis", "near_misses"}, f"{path.name}: keys {sorted(data)}"
    return data


def texts(data: dict[str, Any]) -> list[str]:
    return [item["text"] for item in data["crisis"]] + list(data["near_misses"])


def same(text: str) -> str:
    """Two texts count as the same when only case or spacing differs."""
    return " ".join(text.casefold().split())


@pytest.mark.parametrize(
    ("path", "least", "per_kind", "least_near", "successor"),
    MINIMUMS,
    ids=[path.name for path, *_ in MINIMUMS],
)
def test_a_held_aside_set_loads_names_real_kinds_and_is_big_enough(
    path: Path, least: int, per_kind: int, least_near: int, successor: str
) -> None:
    data = load(path)
    for number, item in enumerate(data["crisis"], start=1):
        assert set(item) == {"text", "kinds"}, f"{path.name} crisis item {number}"
        assert isinstance(item["text"], str) and item["text"].strip()
        assert item["kinds"], f"{path.name} crisis item {number} names no kind"
        unknown = set(item["kinds"]) - KINDS
        assert not unknown, f"{path.name} crisis item {number}: unknown kinds {unknown}"
    blank = sum(not (isinstance(text, str) and text.strip()) for text in data["near_misses"])
    assert blank == 0, f"{path.name}: {blank} near misses are not text"
    counts = Counter(kind for item in data["crisis"] for kind in set(item["kinds"]))
    # Counts held in ints first: a failing `len(...)` would make pytest print the texts.
    disclosures, near_misses = len(data["crisis"]), len(data["near_misses"])
    assert disclosures >= least
    assert {kind: counts[kind] for kind in KINDS if counts[kind] < per_kind} == {}
    assert near_misses >= least_near
    header = path.read_text(encoding="utf-8").split("\ncrisis:", 1)[0]
    assert "NEVER TUNE ON THIS SET" in header and successor in header


def test_no_text_is_repeated_within_or_across_the_sets() -> None:
    every = [same(text) for path, *_ in MINIMUMS for text in texts(load(path))]
    repeated = sum(1 for count in Counter(every).values() if count > 1)
    assert repeated == 0, "texts appear twice (not printed: these sets stay unread)"


def test_the_tenth_english_set_is_left_out_of_the_english_texts_the_language_test_checks() -> None:
    """english_texts reads every "crisis*.yaml"; crisis_holdout10.yaml must not reach the
    language detector text by text (this only loads files, it runs nothing)."""
    names = sorted(english_texts())  # file names only: a failure lists no text
    assert ENGLISH_10.name not in names
