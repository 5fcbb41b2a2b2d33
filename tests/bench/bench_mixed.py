"""Safeguarding, session 11 (branch mixed): messages in another language read by the English
line on their English words (`navigator.engine.understanding.mixed`), chosen by
cross-validation.

Run from the repository root:

    .venv/bin/python tests/bench/bench_mixed.py [features.json]

Every text of every readable set is read as a conversation reads it (its language detected
first). Only a text the lines let pass can change: one detected in a language with no
meaning line of its own, or called English with words that are not English. For those, the
English line's finding on the English words is read once with no rule at all, and every
rule (`MixedTuning`: English content words N, check-in margin L, trained view alone T, and
for text called English the share of words that are not English S) is then a filter over
those findings, so the grid costs nothing. Printed: each set before (the detector without
`mixed`) and with the shipped rule; the best rules on all of tests/data/crisis_mixed.yaml
and every other set's disclosures, with at most 7 of the 165 ordinary messages in other
languages (tests/data/languages*.yaml, session 10's three) interrupted and at most one
alarm added elsewhere; and five-fold cross-validation on crisis_mixed (the rule chosen so on
four folds, caught counted on the fifth). `features.json` caches the readings (delete it
after changing the knowledge or the code).
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgspec

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from navigator.engine.safeguarding import SafeguardingDetector  # noqa: E402
from navigator.engine.understanding.language import LanguageDetector  # noqa: E402
from navigator.engine.understanding.mixed import (  # noqa: E402
    MIXED,
    MixedLine,
    MixedTuning,
    clear_enough,
)
from navigator.engine.understanding.safety import MeaningFinding  # noqa: E402
from navigator.kb import load  # noqa: E402
from tests.engine.crisis_set import TUNED_SETS, load_crisis_set  # noqa: E402
from tests.engine.language_set import SETS as LANGUAGE_SETS  # noqa: E402
from tests.engine.language_set import labelled  # noqa: E402
from tests.engine.phrasing_set import HOLDOUT as PHRASINGS_HOLDOUT  # noqa: E402
from tests.engine.phrasing_set import PHRASINGS, load_phrasings  # noqa: E402
from tests.welsh.test_welsh_safeguarding import TUNED_FILES as WELSH_SETS  # noqa: E402

DATA = REPO / "tests" / "data"
MIXED_SET = DATA / "crisis_mixed.yaml"
OLD_ORDINARY = ("tuned", "second (tuned)", "more")
"""The 165 ordinary messages of session 10's figure (6 asked the check-in then)."""
FOLDS = 5
MIN_CONTENT = (1, 2, 3, 4, 5)
MIN_MARGIN = (-0.06, -0.03, 0.0, 0.03, 0.06, 0.1, 0.16)
MIN_TRAINED = (0.9, 0.95, 1.01)
FOREIGN = (0.15, 0.2, 0.3, 0.4, 0.5, float("inf"))
ORDINARY_BEFORE = 6
"""Of the 165, interrupted before (session 10: 6)."""
ORDINARY_ALLOWED = 7
"""The aim: at most this many of the 165 ordinary messages in other languages interrupted."""

Row = dict[str, Any]


def _finding(found: MeaningFinding | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "kind": found.kind_id,
        "line": found.line,
        "margin": found.margin,
        "view": found.view,
        "trained": found.trained,
    }


def _read(
    detector: SafeguardingDetector, languages: LanguageDetector, open_line: MixedLine, text: str
) -> Row:
    """One text as a conversation reads it without `mixed`, and the open line's finding."""
    guess = languages.detect(text)
    code = guess.code if guess else None
    mixed, detector.mixed = detector.mixed, None
    try:
        before = detector.assess(text, meaning=guess is None, language=code)
    finally:
        detector.mixed = mixed
    row: Row = {
        "text": text,
        "language": code,
        "before": None if before is None else [before.kind_id, before.line],
        "signs": detector.by_signs(text) is not None,
        "open": guess is not None and code not in detector.languages,
    }
    if before is None and not row["signs"]:
        cut = open_line.words.cut(text)
        row["content"] = cut.content
        row["foreign"] = cut.foreign
        if row["open"] or cut.foreign >= min(FOREIGN):
            row["found"] = _finding(open_line.english.check(cut.text)) if cut.text else None
    return row


def _features(out: Path | None) -> dict[str, Any]:
    if out is not None and out.is_file():
        return dict(json.loads(out.read_text(encoding="utf-8")))
    knowledge = load(REPO / "knowledge").knowledge
    detector = SafeguardingDetector.for_knowledge(knowledge)
    assert detector.prepare_meaning(), "the meaning model did not load"
    assert detector.mixed is not None
    languages = LanguageDetector.for_knowledge(knowledge)
    open_line = MixedLine(
        detector.mixed.english, detector.mixed.words, MixedTuning(0, -9.0, 0.0, 0.0)
    )
    sets: dict[str, Any] = {}
    # Tuned sets only: crisis_holdout8 and welsh_crisis_holdout5 are among them from session
    # 11; the held-aside sets (crisis_set.HOLDOUT, the Welsh test's HOLDOUT) are never read here.
    crisis_paths = [MIXED_SET, *TUNED_SETS, *WELSH_SETS]
    for path in crisis_paths:
        crisis_set = load_crisis_set(path)
        sets[path.name] = {
            "crisis": [
                {**_read(detector, languages, open_line, item.text), "kinds": list(item.kinds)}
                for item in crisis_set.crisis
            ],
            "near": [
                _read(detector, languages, open_line, text) for text in crisis_set.near_misses
            ],
        }
    for name in (name for name in LANGUAGE_SETS if name != "held-aside"):
        sets[f"languages:{name}"] = {
            "crisis": [],
            "near": [_read(detector, languages, open_line, item.text) for item in labelled(name)],
        }
    ordinary = [
        text for path in (PHRASINGS, PHRASINGS_HOLDOUT) for text in load_phrasings(path).not_crisis
    ]
    sets["phrasings:ordinary"] = {
        "crisis": [],
        "near": [_read(detector, languages, open_line, text) for text in ordinary],
    }
    features = {"sets": sets}
    if out is not None:
        out.write_text(json.dumps(features), encoding="utf-8")
    return features


def _finding_of(found: dict[str, Any]) -> MeaningFinding:
    return MeaningFinding(
        found["kind"], found["line"], found["margin"], (), found["view"], found["trained"]
    )


def _after(row: Row, tuning: MixedTuning | None) -> tuple[str, str] | None:
    """The verdict with the rule `tuning` (None: as before, no mixed line)."""
    before = row["before"]
    if tuning is None or before is not None or row["signs"]:
        return None if before is None else (before[0], before[1])
    found = row.get("found")
    if not row["open"] and row.get("foreign", 0.0) < tuning.min_foreign:
        return None
    if found is None or row.get("content", 0) < tuning.min_content:
        return None
    return (found["kind"], found["line"]) if clear_enough(_finding_of(found), tuning) else None


def _count(rows: Iterable[Row], tuning: MixedTuning | None) -> tuple[int, int, int]:
    """Caught, right kind, total (for near misses and ordinary text: alarms, -, total)."""
    caught = right = total = 0
    for row in rows:
        total += 1
        verdict = _after(row, tuning)
        if verdict is not None:
            caught += 1
            right += verdict[0] in row.get("kinds", ())
    return caught, right, total


def _report(sets: dict[str, Any], tuning: MixedTuning | None, title: str) -> None:
    print(f"\n--- {title}")
    for name, rows in sets.items():
        caught, right, total = _count(rows["crisis"], tuning)
        alarms, _, near = _count(rows["near"], tuning)
        crisis = f"caught {caught}/{total} right {right}, " if total else ""
        print(f"  {name:40s} {crisis}alarms {alarms}/{near}")
    old = [row for name in OLD_ORDINARY for row in sets[f"languages:{name}"]["near"]]
    every = [
        row for key, rows in sets.items() if key.startswith("languages:") for row in rows["near"]
    ]
    print(
        f"  ordinary in other languages: {_count(old, tuning)[0]}/{len(old)} "
        f"(all four sets {_count(every, tuning)[0]}/{len(every)})"
    )


def _changes(rows: Iterable[Row]) -> list[Row]:
    """The rows a rule can change: let pass by every line before, read by the English line."""
    return [row for row in rows if row["before"] is None and not row["signs"] and row.get("found")]


def _strictness(tuning: MixedTuning) -> tuple[float, ...]:
    """Larger is stricter: among rules that catch as much with as few alarms, the strictest
    is chosen (it reads fewer messages, so it risks fewer alarms on text not in the sets)."""
    return (tuning.min_foreign, tuning.min_content, tuning.min_margin, tuning.min_trained)


def _grid() -> list[MixedTuning]:
    return [
        MixedTuning(*values)
        for values in itertools.product(MIN_CONTENT, MIN_MARGIN, MIN_TRAINED, FOREIGN)
    ]


def _ranked(
    crisis: list[Row], ordinary: list[Row], others: list[Row]
) -> list[tuple[tuple[int, int], MixedTuning]]:
    """Every rule with at most ORDINARY_ALLOWED of the 165 ordinary messages in other
    languages interrupted and at most one alarm added on every other near miss and ordinary
    request, best first: most of `crisis` caught, then fewest alarms added; among equals the
    strictest (`_strictness`)."""
    crisis, ordinary, others = _changes(crisis), _changes(ordinary), _changes(others)
    found = []
    for tuning in _grid():
        interrupted = _count(ordinary, tuning)[0]
        if ORDINARY_BEFORE + interrupted > ORDINARY_ALLOWED:
            continue
        added = _count(others, tuning)[0]
        if added - interrupted > 1:
            continue
        found.append(((_count(crisis, tuning)[0], -added), tuning))
    found.sort(key=lambda item: (*item[0], *_strictness(item[1])), reverse=True)
    return found


def main(out: str | None) -> None:
    sets = _features(Path(out) if out else None)["sets"]
    _report(sets, None, "before (no mixed line)")
    _report(sets, MIXED, f"shipped rule {MIXED}")
    mixed = sets[MIXED_SET.name]
    ordinary = [row for name in OLD_ORDINARY for row in sets[f"languages:{name}"]["near"]]
    others = [row for name, rows in sets.items() if name != MIXED_SET.name for row in rows["near"]]
    crisis_other = [
        row for name, rows in sets.items() if name != MIXED_SET.name for row in rows["crisis"]
    ]
    print("\n--- best rules on all of crisis_mixed and every other set's disclosures")
    for score, tuning in _ranked(mixed["crisis"] + crisis_other, ordinary, others)[:12]:
        alarms = _count(mixed["near"], tuning)[0]
        print(f"  {tuning}: caught {score[0]} more, alarms added {-score[1]}, mixed near {alarms}")
    print(f"\n--- {FOLDS}-fold cross-validation on crisis_mixed")
    caught = total = alarms = near_total = 0
    for fold in range(FOLDS):
        train_c = [r for i, r in enumerate(mixed["crisis"]) if i % FOLDS != fold]
        test_c = [r for i, r in enumerate(mixed["crisis"]) if i % FOLDS == fold]
        train_n = [r for i, r in enumerate(mixed["near"]) if i % FOLDS != fold]
        test_n = [r for i, r in enumerate(mixed["near"]) if i % FOLDS == fold]
        chosen = _ranked(train_c + crisis_other, ordinary, others + train_n)[0][1]
        got = _count(test_c, chosen)
        alarm = _count(test_n, chosen)[0]
        caught, total = caught + got[0], total + got[2]
        alarms, near_total = alarms + alarm, near_total + len(test_n)
        print(f"  fold {fold}: {chosen}: caught {got[0]}/{got[2]}, alarms {alarm}/{len(test_n)}")
    print(
        f"  cross-validated: caught {caught}/{total} ({caught / total:.0%}), "
        f"alarms {alarms}/{near_total}"
    )
    print(f"  shipped: {msgspec.structs.asdict(MIXED)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
