"""The scrubber on 200+ realistic messages with planted details (tests/data/scrub_messages*.yaml).

Made by tests/data/make_scrub_messages.py: each message's expected stored text
is exact by construction. The tuning set must come out exactly; the held-aside
set (its own templates and fillers, never tuned on) is measured and must stay at
or above the figure in docs/performance.md.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from navigator.records.scrub import EMAIL, NAME, NUMBER, VEHICLE, scrub

DATA = Path(__file__).parents[1] / "data"


def load(name: str) -> list[dict[str, str]]:
    entries: list[dict[str, str]] = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    return entries


def test_every_tuning_message_is_stored_exactly_as_expected() -> None:
    entries = load("scrub_messages.yaml")
    assert len(entries) >= 200
    for placeholder in (EMAIL, NAME, NUMBER, VEHICLE, "[date]", "[address]"):
        assert any(placeholder in entry["stored"] for entry in entries), placeholder
    wrong = [
        (entry["text"], scrub(entry["text"]))
        for entry in entries
        if scrub(entry["text"]) != entry["stored"]
    ]
    assert wrong == []


def test_the_held_aside_messages_stay_at_their_measured_level() -> None:
    """Measured once, before any tuning on them: 38 of 41 exact (the misses: "our twins",
    a cue the rules do not know, and a lower-case postcode with one letter spelt out)."""
    entries = load("scrub_messages_holdout.yaml")
    exact = sum(scrub(entry["text"]) == entry["stored"] for entry in entries)
    assert len(entries) >= 40
    assert exact / len(entries) >= 38 / 41
