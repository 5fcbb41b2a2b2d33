"""The apps fuse the topic scorers a council installed (`navigator.topic_scorers`), read in
the background matcher's build, off the first screen's path; a broken one is logged."""

from __future__ import annotations

from pathlib import Path

import pytest

from navigator.kb import KnowledgeBase
from navigator.tui.background_matcher import BackgroundMatcher
from tests.engine.test_understanding_pipeline import installed

__all__ = ["installed"]  # the fixture: a real .dist-info with a scorer and a broken entry

TEXT = "my nan needs help getting washed and dressed"


def test_the_apps_matcher_fuses_an_installed_scorer(
    installed: Path, demo_kb: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    matcher = BackgroundMatcher(demo_kb)
    assert not matcher.built, "nothing is read before the background build"
    assert matcher.decide(TEXT).candidates[0].topic_id == "energy-bills"
    assert "topic scorer 'broken'" in caplog.text


def test_without_installed_scorers_the_ranking_is_todays(
    installed: Path, demo_kb: KnowledgeBase
) -> None:
    matcher = BackgroundMatcher(demo_kb, installed=False)
    assert matcher.decide(TEXT).candidates[0].topic_id == "adult-social-care"
