"""Welsh crisis recognition with the gloss (session 9, branch welshgloss): before and after,
how the two lines combine, leave-one-set-out, and what it costs.

Run from the repository root:

    .venv/bin/python tests/bench/bench_welsh_gloss.py

Every Welsh set that may be read (`READ_FILES`: the tuned ones, the check set and, from
session 11, welsh_crisis_holdout5.yaml) is read as a conversation reads it: the language
detected first, the sign line, then the Welsh line. Each text's Welsh-line finding and the
English line's finding on its gloss are kept, and every way of combining them is counted
from those:

- `welsh only`: the line before the gloss.
- `gloss, together >= x`: the English line's finding on the gloss counts when its margin
  plus the Welsh line's margin on the text reaches x (`WELSH.gloss_lead`; -1 is every finding).

Leave-one-set-out: for each set, the way that does best on the others (caught, less three
for each alarm) is chosen and measured on the set left out. Ordinary Welsh requests
(tests/data/welsh_phrasings.yaml) are counted as interrupted. Then the time per Welsh
message (median, p99, CPU) and the memory the gloss adds.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from navigator.engine.safeguarding import SafeguardingDetector  # noqa: E402
from navigator.engine.understanding.gloss import GlossedLine  # noqa: E402
from navigator.engine.understanding.language import LanguageDetector  # noqa: E402
from navigator.engine.understanding.safety import WELSH, MeaningFinding  # noqa: E402
from navigator.kb import KnowledgeBase, load  # noqa: E402
from tests.engine.crisis_set import TUNED_SETS, load_crisis_set  # noqa: E402
from tests.welsh.test_welsh_safeguarding import READ_FILES  # noqa: E402

DATA = REPO / "tests" / "data"
SETS = {path.stem: path for path in READ_FILES}
"""Every Welsh set that may be read (tests/welsh/test_welsh_safeguarding.py's READ_FILES: the
tuned ones and the one read this session), never the held-aside one."""
Found = tuple[str | None, MeaningFinding | None, MeaningFinding | None, float]
"""What the sign line found (its kind), the Welsh line's finding, the English line's on the
gloss (None where a line found nothing or was not asked), and the two margins together
(`GlossedLine.together`)."""


def _read(detector: SafeguardingDetector, languages: LanguageDetector, text: str) -> Found:
    sign = detector.check(text)
    if sign is not None:
        return sign.kind_id, None, None, 0.0
    guess = languages.detect(text)
    if guess is None:  # read as English: the English line alone, as before
        assert detector.meaning is not None
        return None, None, detector.meaning.check(text), 0.0
    line = detector.languages.get(guess.code)
    if not isinstance(line, GlossedLine):
        return None, None, None, 0.0
    english = line.read_glossed(text)
    lead = line.lead_margin(text)
    together = -1.0 if english is None or lead < line.tuning.gloss_floor else english.margin + lead
    return None, line.own.check(text), english, together


def _welsh_only(found: Found) -> str | None:
    sign, own, english, _ = found
    if sign:
        return sign
    if own is None and english is not None and english.read_as is None:
        return english.kind_id  # text detected as English: unchanged
    return own.kind_id if own is not None else None


def _either(lead: float) -> Callable[[Found], str | None]:
    def combined(found: Found) -> str | None:
        sign, own, english, together = found
        if sign:
            return sign
        if own is not None:
            return own.kind_id
        if english is not None and (english.read_as is None or together >= lead):
            return english.kind_id
        return None

    return combined


LEADS = (-1.0, -0.06, -0.04, -0.02, 0.0, 0.02, 0.04, 0.06, 0.08, 0.1)
POLICIES: dict[str, Callable[[Found], str | None]] = {
    "welsh only": _welsh_only,
    **{f"gloss, together >= {lead}": _either(lead) for lead in LEADS},
}
"""Caught or not does not depend on the panel rule (a check-in counts as caught), so the
panel rule is reported apart: how many findings the English line's clear lead would make
a panel."""


def main() -> None:
    knowledge = load(REPO / "knowledge").knowledge
    started = time.perf_counter()
    detector = SafeguardingDetector.for_knowledge(knowledge)
    detector.prepare_meaning()
    languages = LanguageDetector.for_knowledge(knowledge)
    print(f"models loaded in {time.perf_counter() - started:.1f} s")
    found: dict[str, tuple[list[tuple[Found, tuple[str, ...]]], list[Found]]] = {}
    for name, path in SETS.items():
        crisis_set = load_crisis_set(path)
        crisis = [(_read(detector, languages, item.text), item.kinds) for item in crisis_set.crisis]
        near = [_read(detector, languages, text) for text in crisis_set.near_misses]
        found[name] = (crisis, near)
    phrasings = yaml.safe_load((DATA / "welsh_phrasings.yaml").read_text(encoding="utf-8"))
    ordinary = [item["text"] for part in phrasings.values() for item in part]
    ordinary_found = [_read(detector, languages, text) for text in ordinary]

    def counts(policy: str, name: str) -> tuple[int, int, int, int, int]:
        crisis, near = found[name]
        decide = POLICIES[policy]
        caught = [(decide(item), kinds) for item, kinds in crisis]
        hits = sum(kind is not None for kind, _ in caught)
        right = sum(kind in kinds for kind, kinds in caught)
        alarms = sum(decide(item) is not None for item in near)
        return hits, len(crisis), right, alarms, len(near)

    for policy in POLICIES:
        print(f"\n{policy}:")
        for name in SETS:
            hits, total, right, alarms, near = counts(policy, name)
            print(f"  {name:24} caught {hits}/{total} (right kind {right}), alarms {alarms}/{near}")
        interrupted = sum(POLICIES[policy](item) is not None for item in ordinary_found)
        print(f"  ordinary Welsh requests interrupted {interrupted}/{len(ordinary)}")
    print("\nleave-one-set-out (choose on the others: caught - 3 x alarms):")
    for left in SETS:
        others = [name for name in SETS if name != left]

        def score(policy: str, others: list[str] = others) -> int:
            return sum(counts(policy, n)[0] - 3 * counts(policy, n)[3] for n in others)

        best = max(POLICIES, key=score)
        hits, total, _, alarms, near = counts(best, left)
        base = counts("welsh only", left)
        print(
            f"  {left:24} chosen '{best}': caught {hits}/{total}, alarms {alarms}/{near} "
            f"(welsh only {base[0]}/{total}, {base[3]}/{near})"
        )
    panels = [
        english.line
        for crisis, near in found.values()
        for item in [*(i for i, _ in crisis), *near]
        for english in [item[2]]
        if english is not None and english.read_as is not None and item[1] is None
        if item[3] >= WELSH.gloss_lead
    ]
    print(f"\nEnglish-on-gloss findings the Welsh line missed: {len(panels)}, panels {panels}")
    alarmed = [
        (text, item[2].read_as)
        for name in SETS
        for text, item in zip(load_crisis_set(SETS[name]).near_misses, found[name][1], strict=True)
        if item[1] is None and item[2] is not None and item[2].read_as is not None
        if item[3] >= WELSH.gloss_lead
    ]
    print("near misses asked only by the gloss:", alarmed)
    print()
    _english_unchanged(detector, languages, knowledge)
    _timing(detector, languages, knowledge)


def _before(detector: SafeguardingDetector, knowledge: KnowledgeBase) -> SafeguardingDetector:
    """`detector` as it was before the gloss: the Welsh line alone for Welsh text."""
    line = detector.languages["cy"]
    assert isinstance(line, GlossedLine)
    return SafeguardingDetector(
        knowledge.safeguarding, knowledge.vocabulary, detector.meaning, {"cy": line.own}
    )


def _english_unchanged(
    detector: SafeguardingDetector, languages: LanguageDetector, knowledge: KnowledgeBase
) -> None:
    """Every English set read as a conversation reads it (language detected first), with and
    without the gloss: the verdicts must be the same (an English text the language line
    took for Welsh would be the only way the gloss could change one)."""
    before = _before(detector, knowledge)
    paths = [*TUNED_SETS, DATA / "crisis_holdout6.yaml"]
    for path in paths:
        crisis_set = load_crisis_set(path)
        texts = [*(item.text for item in crisis_set.crisis), *crisis_set.near_misses]
        changed = welsh = 0
        for text in texts:
            guess = languages.detect(text)
            code = guess.code if guess else None
            welsh += code == "cy"
            now = detector.assess(text, meaning=guess is None, language=code)
            changed += now != before.assess(text, meaning=guess is None, language=code)
        print(f"{path.name}: {len(texts)} texts, {welsh} read as Welsh, {changed} verdicts changed")


def _timing(
    detector: SafeguardingDetector, languages: LanguageDetector, knowledge: KnowledgeBase
) -> None:
    """CPU time per Welsh message through `assess`, as a conversation calls it."""
    texts = [
        text
        for path in SETS.values()
        for text in (
            *(item.text for item in load_crisis_set(path).crisis),
            *load_crisis_set(path).near_misses,
        )
    ]
    before = _before(detector, knowledge)
    for name, measured in (("before (Welsh line alone)", before), ("with the gloss", detector)):
        times = []
        for _ in range(2):
            for text in texts:
                guess = languages.detect(text)
                code = guess.code if guess else None
                start = time.process_time()
                measured.assess(text, meaning=guess is None, language=code)
                times.append((time.process_time() - start) * 1000)
        times.sort()
        p99 = times[int(len(times) * 0.99) - 1]
        print(
            f"per Welsh-set message, {name} (CPU): median {statistics.median(times):.1f} ms, "
            f"p99 {p99:.1f} ms, max {times[-1]:.1f} ms over {len(times)}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
