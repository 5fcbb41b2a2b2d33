"""The trained view of crisis (session 8): learnt from the knowledge base at load time.

Real knowledge base, real models, real YAML on disk, real cache files. The view's
quality on the labelled sets is in tests/engine/test_safeguarding_meaning.py and
tests/bench/bench_safeguarding_trained.py; here, what it does and how it is kept.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import msgspec
import numpy as np
import pytest

import navigator.engine.understanding.safety as safety
from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding import trained
from navigator.engine.understanding.contextual import ContextualModel, default_cache_dir
from navigator.engine.understanding.embedding import EmbeddingModel
from navigator.engine.understanding.safety import MeaningLine
from navigator.kb import KnowledgeBase
from tests.conftest import DEMO_KNOWLEDGE, load_ok

MISSED_BY_MARGINS = (
    "the woman who does my dads shopping keeps his change and his account is empty every week"
)
"""Financial abuse of an older man, said plainly but in words near no single example."""
CLEARED_BY_TRAINED = "this printer wants shooting"
"""An idiom (a near miss of crisis_holdout4.yaml) the margins find a little nearer a crisis
example than anything ordinary. Session 11 (branch nearmiss): "the traffic on the ring road is
murder today" was this until the near misses written by family put the margins themselves
against it."""
LEARNT_FROM_NEAR_MISSES = (
    "my daughter fell off her bike and grazed her knee wheres the nearest chemist"
)
"""A near miss of crisis_holdout4.yaml the margins ask about, which the view learnt with every
ordinary row weighed alike (session 8) does not clear and the session 9 view does. Session 11
(branch nearmiss): "how do i kill the weeds on my allotment without hurting the bees" was this
until the near misses written by family let even the session 8 view clear it."""


def _tuned(
    monkeypatch: pytest.MonkeyPatch, detector: SafeguardingDetector, **changes: object
) -> None:
    """The detector's English line with some of its tuning changed, for this test only."""
    line = detector.meaning
    assert line is not None
    monkeypatch.setattr(line, "english", msgspec.structs.replace(line.english, **changes))


def test_the_trained_view_asks_about_a_disclosure_the_margins_miss(
    detector: SafeguardingDetector, monkeypatch: pytest.MonkeyPatch
) -> None:
    verdict = detector.assess(MISSED_BY_MARGINS)
    assert verdict is not None
    assert (verdict.kind_id, verdict.line, verdict.view) == ("adult-abuse", "check-in", "trained")
    assert verdict.trained is not None and verdict.trained >= safety.ENGLISH.trained_adds
    assert len(verdict.nearest) == safety.SHOWN  # that kind's nearest examples, for staff
    _tuned(monkeypatch, detector, trained_adds=2.0)  # the margins alone
    assert detector.assess(MISSED_BY_MARGINS) is None


def test_the_trained_view_clears_a_near_miss_the_margins_would_ask(
    detector: SafeguardingDetector, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert safety.ENGLISH.trained_clears is not None
    assert detector.assess(CLEARED_BY_TRAINED) is None
    _tuned(monkeypatch, detector, trained_clears=None)  # the margins alone
    verdict = detector.assess(CLEARED_BY_TRAINED)
    assert verdict is not None and verdict.line == "check-in" and verdict.view == "margins"
    assert verdict.trained is not None and verdict.trained < safety.ENGLISH.trained_clears


def test_a_panel_by_the_margins_is_never_cleared(detector: SafeguardingDetector) -> None:
    """Only the unsure band is the trained view's to clear: a clear margin is a panel."""
    verdict = detector.assess("dads slurring and one arm has gone floppy")
    assert verdict is not None and verdict.kind_id == "medical-emergency"
    assert detector.assess("this form is killing me") is None


# --- How the trained weights are kept --------------------------------------------------


def _knowledge_copy(tmp_path: Path) -> Path:
    """The demo knowledge base copied to disk, to be edited as content staff would."""
    copy = tmp_path / "knowledge"
    shutil.copytree(DEMO_KNOWLEDGE, copy)
    return copy


def _cache(tmp_path: Path) -> Path:
    """A cache folder of its own, given the contextual vectors the user's cache already
    has (reading 2,000 examples afresh takes a minute on a busy machine)."""
    cache = tmp_path / "cache"
    cache.mkdir()
    for vectors in default_cache_dir().glob("contextual-*.npz"):
        shutil.copy(vectors, cache / vectors.name)
    return cache


def _line(knowledge: Path, cache: Path) -> MeaningLine:
    kb = load_ok(knowledge)
    line = MeaningLine.for_knowledge(kb, EmbeddingModel(), ContextualModel(cache_dir=cache))
    assert line.prepare()
    return line


def test_trained_weights_are_kept_and_learnt_again_when_an_example_changes(
    tmp_path: Path,
) -> None:
    knowledge, cache = _knowledge_copy(tmp_path), _cache(tmp_path)
    first = _line(knowledge, cache)
    assert first.trained_reading(MISSED_BY_MARGINS) is not None
    [kept] = cache.glob("trained-*.npz")
    written = kept.stat().st_mtime_ns
    again = _line(knowledge, cache)  # unchanged: read from the cache, not learnt again
    assert list(cache.glob("trained-*.npz")) == [kept]
    assert kept.stat().st_mtime_ns == written
    assert again.trained_reading(MISSED_BY_MARGINS) == first.trained_reading(MISSED_BY_MARGINS)

    safeguarding = knowledge / "safeguarding.yaml"
    text = safeguarding.read_text(encoding="utf-8")
    anchor = "        - my uncles new lodger has got hold of his bank card"
    assert anchor in text
    added = "        - the lady who collects my dads pension keeps half of it for herself\n"
    safeguarding.write_text(text.replace(anchor, added + anchor), encoding="utf-8")
    edited = _line(knowledge, cache)
    assert len(list(cache.glob("trained-*.npz"))) == 2  # learnt afresh from the new example
    assert edited.trained_reading(MISSED_BY_MARGINS) != first.trained_reading(MISSED_BY_MARGINS)


def test_a_corrupt_trained_cache_file_is_ignored_and_written_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    knowledge, cache = _knowledge_copy(tmp_path), _cache(tmp_path)
    first = _line(knowledge, cache).trained_reading(MISSED_BY_MARGINS)
    [kept] = cache.glob("trained-*.npz")
    kept.write_bytes(b"PK\x03\x04 not really a numpy file")
    with caplog.at_level(logging.INFO):
        again = _line(knowledge, cache).trained_reading(MISSED_BY_MARGINS)
    assert again is not None and first is not None
    assert again[1] == first[1] and abs(again[0] - first[0]) < 1e-6
    assert any("Ignoring the trained view's cache" in r.getMessage() for r in caplog.records)
    with np.load(kept, allow_pickle=False) as stored:  # written again, whole
        assert np.isfinite(stored["weights"]).all()


def test_without_the_contextual_model_there_is_no_trained_view_and_nothing_raises(
    demo_kb: KnowledgeBase, tmp_path: Path
) -> None:
    corrupt = tmp_path / "minilm.safetensors"
    corrupt.write_bytes(b"\x00" * 4096)
    line = MeaningLine.for_knowledge(demo_kb, EmbeddingModel(), ContextualModel(weights=corrupt))
    detector = SafeguardingDetector.for_knowledge(demo_kb, meaning=line)
    assert detector.prepare_meaning()
    assert line.trained_reading(MISSED_BY_MARGINS) is None
    verdict = detector.assess("dads slurring and one arm has gone floppy")
    assert verdict is not None and verdict.view == "margins" and verdict.trained is None
    assert detector.assess("i want to kill myself") is not None


def test_a_tuning_variant_changes_its_own_line_only(
    demo_kb: KnowledgeBase, detector: SafeguardingDetector
) -> None:
    """Session 9: the English line's thresholds are a value given to one line
    (`safety.EnglishTuning`), not module globals a benchmark flips: a variant line decides
    by its own, and the shipped line beside it in the same process is untouched."""
    margins_alone = msgspec.structs.replace(safety.ENGLISH, trained_adds=2.0, trained_clears=None)
    line = MeaningLine.for_knowledge(demo_kb, EmbeddingModel(), english=margins_alone)
    variant = SafeguardingDetector.for_knowledge(demo_kb, meaning=line)
    assert variant.prepare_meaning()
    assert variant.assess(MISSED_BY_MARGINS) is None
    asked = variant.assess(CLEARED_BY_TRAINED)
    assert asked is not None and asked.line == "check-in"
    shipped = detector.assess(MISSED_BY_MARGINS)
    assert shipped is not None and shipped.view == "trained"
    assert detector.assess(CLEARED_BY_TRAINED) is None
    assert safety.EnglishTuning() == safety.ENGLISH  # the defaults are the module's constants


def test_near_misses_weigh_more_than_topic_phrases_in_training(
    demo_kb: KnowledgeBase,
    detector: SafeguardingDetector,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Session 9 (issue 12, "no false alarm on the near misses"): the near misses and guards
    content staff wrote weigh `trained.HARD_WEIGHT` times a topic's phrase, so the view
    learns where everyday words stop being a crisis. Learnt with every ordinary row alike
    (session 8), the same knowledge base asks about the grazed knee; learnt so, it clears it."""
    assert trained.HARD_WEIGHT > 1
    assert detector.assess(LEARNT_FROM_NEAR_MISSES) is None
    cache = _cache(tmp_path)
    monkeypatch.setattr(trained, "HARD_WEIGHT", 1.0)
    line = MeaningLine.for_knowledge(demo_kb, EmbeddingModel(), ContextualModel(cache_dir=cache))
    alike = SafeguardingDetector.for_knowledge(demo_kb, meaning=line)
    assert alike.prepare_meaning()
    verdict = alike.assess(LEARNT_FROM_NEAR_MISSES)
    assert verdict is not None and verdict.line == "check-in" and verdict.view == "margins"
    clears = safety.ENGLISH.trained_clears
    assert verdict.trained is not None and clears is not None and verdict.trained >= clears
    shipped = detector.assess("i keep standing on the edge of the car park roof")
    assert shipped is not None  # the margins' catch the clearing threshold was chosen around
    # The rows' weights are part of the cache key: the shipped weight learns afresh.
    assert len(list(cache.glob("trained-*.npz"))) == 1
    monkeypatch.undo()
    again = MeaningLine.for_knowledge(demo_kb, EmbeddingModel(), ContextualModel(cache_dir=cache))
    assert again.prepare()
    assert len(list(cache.glob("trained-*.npz"))) == 2
