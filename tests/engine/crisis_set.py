"""The labelled crisis sets (issue 12) and how the safeguarding lines are measured on them.

tests/data/crisis.yaml is the tuned part (the meaning line's margins were chosen
on it). tests/data/crisis_holdout.yaml was the first held-aside part; its misses
were reported and then worked on, so it now counts as tuned too.
tests/data/crisis_holdout2.yaml was the second held-aside part: measured twice in
the second round and its misses read, so it too counts as tuned from the third round.
tests/data/crisis_holdout3.yaml was the third held-aside part: written and committed
before the third round changed anything and measured once at its end (42 of 52
caught, 7 of 40 near misses alarmed); its misses were then read, so from the fourth
round (session 6) it counts as tuned too.
tests/data/crisis_holdout4.yaml was the fourth held-aside part: written and
committed before session 6's tuning by someone who had not read the other sets or
the knowledge base's examples, and measured once by the lead at the end of session 6
(69 of 78 caught, 10 of 55 near misses alarmed); from session 7 (branch minilm) its
misses are read and it is tuned on, so it counts as tuned too.
tests/data/crisis_holdout5.yaml was the fifth held-aside part: measured once by the lead
at the merge of session 7 (95 of 111 caught, 16 of 74 near misses alarmed); from
session 8 its misses are read and it is tuned on, so it counts as tuned too.
tests/data/crisis_holdout6.yaml was the sixth held-aside part: measured once by the lead
at the merge of session 8 (156 of 161 caught, 27 of 116 near misses alarmed); from session 9
(branch misses6) its misses are read and it is tuned on, so it counts as tuned too.
tests/data/crisis_holdout7.yaml was the seventh held-aside part: measured once by the lead
at the merge of session 9 (171 of 175 caught, 18 of 121 near misses alarmed); from session
10 (branch misses7) its misses are read and it is tuned on, so it counts as tuned too.
tests/data/crisis_holdout8.yaml was the eighth held-aside part: measured once by the lead
at the merge of session 10 (173 of 181 caught on that processor, 172 summed exactly; 22 of
123 near misses alarmed); from session 11 (branch misses8) its misses are read and it is
tuned on, so it counts as tuned too.
tests/data/crisis_holdout9.yaml was the ninth held-aside part: measured once by the lead at the
merge of session 11 (205 of 213 caught, 167 the right kind, 31 of 137 near misses alarmed);
from session 12 (branch misses9) its misses are read and it is tuned on, so it counts as tuned
too. Until the lead moves HOLDOUT to crisis_holdout10.yaml it is both.
tests/data/crisis_holdout9.yaml was, until then, the held-aside part: written on another
branch (holdout9, session 11) by someone who has not read the tuned sets' texts, never seen
by the round that tunes, measured by the lead on main before the round's merge and once
after it. A branch without it still works.
Shared by tests/engine/test_safeguarding_meaning.py and the benchmark
tests/bench/bench_safeguarding.py, so both measure the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding.language import LanguageDetector
from navigator.engine.understanding.verdict import SafetyVerdict

DATA = Path(__file__).resolve().parents[1] / "data"
TUNED = DATA / "crisis.yaml"
OLD_HOLDOUT = DATA / "crisis_holdout.yaml"
"""The first held-aside set: looked at, so tuned on since (say so when reporting it)."""
SECOND_HOLDOUT = DATA / "crisis_holdout2.yaml"
"""The second held-aside set: measured twice and its misses read, so tuned on since."""
THIRD_HOLDOUT = DATA / "crisis_holdout3.yaml"
"""The third held-aside set: measured once at the end of the third round, tuned on since."""
FOURTH_HOLDOUT = DATA / "crisis_holdout4.yaml"
"""The fourth held-aside set: measured once at the end of session 6 (69/78 caught, 10/55
near-miss alarms), read and tuned on from session 7 (branch minilm)."""
FIFTH_HOLDOUT = DATA / "crisis_holdout5.yaml"
"""The fifth held-aside set: measured once at the merge of session 7 (95/111 caught, 16/74
near-miss alarms), read and tuned on from session 8."""
SIXTH_HOLDOUT = DATA / "crisis_holdout6.yaml"
"""The sixth held-aside set: measured once at the merge of session 8 (156/161 caught, 27/116
near-miss alarms), read and tuned on from session 9 (branch misses6)."""
SEVENTH_HOLDOUT = DATA / "crisis_holdout7.yaml"
"""The seventh held-aside set: measured once at the merge of session 9 (171/175 caught, 18/121
near-miss alarms), read and tuned on from session 10 (branch misses7)."""
EIGHTH_HOLDOUT = DATA / "crisis_holdout8.yaml"
"""The eighth held-aside set: measured once at the merge of session 10 (173/181 caught on a
processor that saturated int8 sums, 172 exactly; 22/123 near-miss alarms), read and tuned on
from session 11 (branch misses8)."""
NINTH_HOLDOUT = DATA / "crisis_holdout9.yaml"
"""The ninth held-aside set: measured by the lead at the merge of session 11 (205/213 caught,
167 the right kind, 31/137 near-miss alarms), read and tuned on from session 12 (branch
misses9) once its successor, crisis_holdout10.yaml, was written."""
HOLDOUT = DATA / "crisis_holdout10.yaml"
"""The held-aside set now: written on branch holdout10 in session 12 before that session's
tuning, never tuned on (and never opened by the round that tunes); measured by the lead on
main before the merge and once after it (counts only)."""
TUNED_SETS = (
    TUNED,
    OLD_HOLDOUT,
    SECOND_HOLDOUT,
    THIRD_HOLDOUT,
    FOURTH_HOLDOUT,
    FIFTH_HOLDOUT,
    SIXTH_HOLDOUT,
    SEVENTH_HOLDOUT,
    EIGHTH_HOLDOUT,
    NINTH_HOLDOUT,
)
SETS = {
    "tuned": TUNED,
    "first held-aside (now tuned)": OLD_HOLDOUT,
    "second held-aside (now tuned)": SECOND_HOLDOUT,
    "third held-aside (now tuned)": THIRD_HOLDOUT,
    "fourth held-aside (now tuned)": FOURTH_HOLDOUT,
    "fifth held-aside (now tuned)": FIFTH_HOLDOUT,
    "sixth held-aside (now tuned)": SIXTH_HOLDOUT,
    "seventh held-aside (now tuned)": SEVENTH_HOLDOUT,
    "eighth held-aside (now tuned)": EIGHTH_HOLDOUT,
    "ninth held-aside (now tuned)": NINTH_HOLDOUT,
}
if HOLDOUT.is_file():  # absent from a branch that must not see it
    SETS["held-aside"] = HOLDOUT


@dataclass(frozen=True)
class Disclosure:
    text: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class CrisisSet:
    crisis: tuple[Disclosure, ...]
    near_misses: tuple[str, ...]


def load_crisis_set(path: Path) -> CrisisSet:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    crisis = tuple(Disclosure(item["text"], tuple(item["kinds"])) for item in data["crisis"])
    return CrisisSet(crisis, tuple(data["near_misses"]))


@dataclass
class CrisisReport:
    """Caught means any response, the check-in included; so does a false alarm."""

    crisis_total: int = 0
    caught: int = 0
    caught_by_line: dict[str, int] = field(default_factory=dict)
    right_kind: int = 0
    missed: list[str] = field(default_factory=list)
    near_total: int = 0
    false_alarms: list[tuple[str, str]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / max(self.crisis_total, 1)


def measure_crisis(
    detector: SafeguardingDetector,
    crisis_set: CrisisSet,
    languages: LanguageDetector | None = None,
) -> CrisisReport:
    """`languages`: read each text as a conversation does, detecting its language first
    (text in another language gets that language's meaning line, not the English one)."""
    report = CrisisReport()

    def assess(text: str) -> SafetyVerdict | None:
        if languages is None:
            return detector.assess(text)
        guess = languages.detect(text)
        code = guess.code if guess else None
        return detector.assess(text, meaning=guess is None, language=code)

    for item in crisis_set.crisis:
        report.crisis_total += 1
        verdict = assess(item.text)
        if verdict is None:
            report.missed.append(item.text)
            continue
        report.caught += 1
        report.caught_by_line[verdict.line] = report.caught_by_line.get(verdict.line, 0) + 1
        report.right_kind += verdict.kind_id in item.kinds
    for text in crisis_set.near_misses:
        report.near_total += 1
        verdict = assess(text)
        if verdict is not None:
            report.false_alarms.append((text, verdict.line))
    return report
