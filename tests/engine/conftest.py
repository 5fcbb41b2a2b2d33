"""Fixtures for the engine tests: the shared test borough, and the demo's meaning line."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from navigator.engine.conversation import Conversation
from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding.pipeline import Understanding
from navigator.kb import KnowledgeBase

KioskConversation = Callable[[SafeguardingDetector], Conversation]


@pytest.fixture
def advocate_conversation(test_kb: KnowledgeBase) -> Conversation:
    """A fresh conversation on the test borough, on an advocate's channel."""
    return Conversation(test_kb, channel="advocate", site="market-hall")


@pytest.fixture(scope="module")
def detector(demo_kb: KnowledgeBase) -> SafeguardingDetector:
    """The demo's safeguarding detector, its meaning models loaded: one a module, as each
    test module had its own (a test that changes its tuning does so for itself, with
    monkeypatch or try/finally). A module that needs another detector defines its own."""
    detector = SafeguardingDetector.for_knowledge(demo_kb)
    assert detector.prepare_meaning()
    return detector


@pytest.fixture
def kiosk_conversation(demo_kb: KnowledgeBase) -> KioskConversation:
    """Makes a fresh kiosk conversation on the demo whose pipeline uses the detector given
    (the module's `detector`, or one a test built)."""

    def conversation(detector: SafeguardingDetector) -> Conversation:
        understanding = Understanding(demo_kb, safeguarding=detector)
        return Conversation(demo_kb, channel="kiosk", site="test", understanding=understanding)

    return conversation
