"""Shared fixtures: real YAML on disk, real databases, the real app."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEMO_KNOWLEDGE = REPO / "knowledge"


@pytest.fixture
def demo_knowledge_dir() -> Path:
    return DEMO_KNOWLEDGE
