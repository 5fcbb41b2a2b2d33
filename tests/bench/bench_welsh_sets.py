"""Every Welsh crisis set read as a conversation reads it, with what was missed and why
(session 10, branch welsh5).

Run from the repository root:

    .venv/bin/python tests/bench/bench_welsh_sets.py [--english] [--show]

Prints, per Welsh set (the tuned ones, the check set, welsh_crisis_holdout3.yaml and
welsh_crisis_holdout4.yaml, both read and tuned on from session 10): caught, the right kind
and near-miss alarms; with `--show`, each miss, wrong kind and alarm with its gloss (what
the English line read), to group them by situation. Then a hash over every Welsh text's
verdict (kind, tier, view, gloss; the ordinary Welsh requests too), so a change meant to
decide nothing (a tidy) is shown to decide nothing. `--english`: the same counts and hash
over every English crisis set, which a Welsh change must leave alone.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from navigator.engine.safeguarding import SafeguardingDetector  # noqa: E402
from navigator.engine.understanding.gloss import Gloss  # noqa: E402
from navigator.engine.understanding.language import LanguageDetector  # noqa: E402
from navigator.engine.understanding.verdict import SafetyVerdict  # noqa: E402
from navigator.kb import load  # noqa: E402
from tests.engine.crisis_set import load_crisis_set  # noqa: E402
from tests.welsh.test_welsh_safeguarding import READ_FILES  # noqa: E402

DATA = REPO / "tests" / "data"
WELSH_SETS = tuple(path.stem for path in READ_FILES)
"""The tuned Welsh sets and the one read this session (tests/welsh/test_welsh_safeguarding.py's
READ_FILES): never the held-aside one."""


def _verdict(
    detector: SafeguardingDetector, languages: LanguageDetector, text: str
) -> SafetyVerdict | None:
    guess = languages.detect(text)
    code = guess.code if guess else None
    return detector.assess(text, meaning=guess is None, language=code)


def _said(verdict: SafetyVerdict | None) -> str:
    if verdict is None:
        return "-"
    return f"{verdict.kind_id}|{verdict.line}|{verdict.view}|{verdict.read_as}"


def main() -> None:
    show = "--show" in sys.argv
    knowledge = load(REPO / "knowledge").knowledge
    detector = SafeguardingDetector.for_knowledge(knowledge)
    detector.prepare_meaning()
    languages = LanguageDetector.for_knowledge(knowledge)
    gloss = Gloss.for_knowledge(knowledge, "cy")
    digest = hashlib.sha256()
    totals = [0, 0, 0, 0, 0]
    for name in WELSH_SETS:
        crisis_set = load_crisis_set(DATA / f"{name}.yaml")
        caught = right = alarms = 0
        notes: list[str] = []
        for item in crisis_set.crisis:
            verdict = _verdict(detector, languages, item.text)
            digest.update(f"{item.text}\t{_said(verdict)}\n".encode())
            caught += verdict is not None
            right += verdict is not None and verdict.kind_id in item.kinds
            if verdict is None or verdict.kind_id not in item.kinds:
                got = "MISS" if verdict is None else f"WRONG {verdict.kind_id}"
                notes.append(f"  {got} want {','.join(item.kinds)}: {item.text}")
                notes.append(f"      gloss: {gloss.read(item.text).english}")
        for text in crisis_set.near_misses:
            verdict = _verdict(detector, languages, text)
            digest.update(f"{text}\t{_said(verdict)}\n".encode())
            if verdict is not None:
                alarms += 1
                notes.append(f"  ALARM {verdict.kind_id} {verdict.line}: {text}")
                notes.append(f"      gloss: {gloss.read(text).english}")
        total, near = len(crisis_set.crisis), len(crisis_set.near_misses)
        print(f"{name:24} caught {caught}/{total} (right kind {right}), alarms {alarms}/{near}")
        for at, value in enumerate((caught, total, right, alarms, near)):
            totals[at] += value
        if show:
            print("\n".join(notes))
    print(
        f"{'all Welsh sets':24} caught {totals[0]}/{totals[1]} (right kind {totals[2]}), "
        f"alarms {totals[3]}/{totals[4]}"
    )
    phrasings = yaml.safe_load((DATA / "welsh_phrasings.yaml").read_text(encoding="utf-8"))
    ordinary = [item["text"] for part in phrasings.values() for item in part]
    interrupted = []
    for text in ordinary:
        verdict = _verdict(detector, languages, text)
        digest.update(f"{text}\t{_said(verdict)}\n".encode())
        if verdict is not None:
            interrupted.append(text)
    print(f"ordinary Welsh requests interrupted {len(interrupted)}/{len(ordinary)}")
    if show:
        for text in interrupted:
            print(f"  INTERRUPTED: {text}")
    print(f"Welsh verdicts hash {digest.hexdigest()[:16]}")
    if "--english" in sys.argv:
        _english(detector, languages)


def _english(detector: SafeguardingDetector, languages: LanguageDetector) -> None:
    """Every English crisis set: counts and one hash over every verdict."""
    digest = hashlib.sha256()
    for path in sorted(DATA.glob("crisis*.yaml")):
        crisis_set = load_crisis_set(path)
        caught = right = alarms = 0
        for item in crisis_set.crisis:
            verdict = _verdict(detector, languages, item.text)
            digest.update(f"{item.text}\t{_said(verdict)}\n".encode())
            caught += verdict is not None
            right += verdict is not None and verdict.kind_id in item.kinds
        for text in crisis_set.near_misses:
            verdict = _verdict(detector, languages, text)
            digest.update(f"{text}\t{_said(verdict)}\n".encode())
            alarms += verdict is not None
        print(
            f"{path.stem:24} caught {caught}/{len(crisis_set.crisis)} (right kind {right}), "
            f"alarms {alarms}/{len(crisis_set.near_misses)}"
        )
    print(f"English verdicts hash {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
