"""Shared fixtures: real YAML on disk, real databases, the real app."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parent.parent
DEMO_KNOWLEDGE = REPO / "knowledge"

# Property tests judge behaviour, not speed: on a loaded two-core CI machine, generation
# and each example can be slow, and a deadline or "too slow" health check would make
# the suite fail for reasons that say nothing about Navigator.
settings.register_profile(
    "navigator",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("navigator")


@pytest.fixture
def demo_knowledge_dir() -> Path:
    return DEMO_KNOWLEDGE
