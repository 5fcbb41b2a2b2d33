"""Fixtures for the engine tests that run on the shared test borough."""

from __future__ import annotations

import pytest

from navigator.engine.conversation import Conversation
from navigator.kb import KnowledgeBase


@pytest.fixture
def advocate_conversation(test_kb: KnowledgeBase) -> Conversation:
    """A fresh conversation on the test borough, on an advocate's channel."""
    return Conversation(test_kb, channel="advocate", site="market-hall")
