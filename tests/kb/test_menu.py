"""The topic menu: numbers residents press stay put when content staff add a topic."""

from __future__ import annotations

from pathlib import Path

from navigator.kb import load
from navigator.kb.cache import load_cached
from navigator.kb.loader import content_hash
from tests.conftest import DEMO_KNOWLEDGE
from tests.kb.kbfiles import at, check, line_of, only, write_kb

ADVICE = """\
topics:
  - id: advice
    need: housing
    title: Advice about anything
    summary: General advice.
    keywords: [advice]
    start: advice-start

nodes:
  - id: advice-start
    type: unmet
    text: We have noted what you asked for.
    need: housing
    reason: no_service
"""
"""A topic whose file name ("a...") sorts before the others, as a new topic's often does."""


def _menu(*ids: str) -> dict[str, str]:
    return {"menu.yaml": "menu:\n" + "".join(f"  - {topic_id}\n" for topic_id in ids)}


def test_without_a_menu_topics_come_in_file_order(tmp_path: Path) -> None:
    knowledge = load(write_kb(tmp_path, extra={"topics/advice.yaml": ADVICE})).knowledge
    assert list(knowledge.topics) == ["advice", "carers", "housing"]


def test_a_new_topic_added_at_the_end_of_the_menu_moves_no_number(tmp_path: Path) -> None:
    extra = {"topics/advice.yaml": ADVICE, **_menu("housing", "carers", "advice")}
    result, findings = check(write_kb(tmp_path, extra=extra))
    assert findings == []
    assert list(result.knowledge.topics) == ["housing", "carers", "advice"]


def test_a_topic_left_out_is_offered_last_and_named(tmp_path: Path) -> None:
    extra = {"topics/advice.yaml": ADVICE, **_menu("housing", "carers")}
    result, findings = check(write_kb(tmp_path, extra=extra))
    assert list(result.knowledge.topics) == ["housing", "carers", "advice"]
    finding = only(findings, "not-in-menu")
    assert finding.severity.name == "WARNING"
    assert at(finding) == ("advice.yaml", line_of(tmp_path / "topics/advice.yaml", "id: advice"))
    assert "Add it at the end" in finding.message


def test_a_menu_naming_no_topic_or_one_twice_is_an_error(tmp_path: Path) -> None:
    result, findings = check(write_kb(tmp_path, extra=_menu("housing", "carer", "housing")))
    unknown = only(findings, "menu-unknown-topic")
    assert at(unknown) == ("menu.yaml", 3) and unknown.field == "menu[1]"
    assert "'carer'" in unknown.message
    twice = only(findings, "menu-duplicate")
    assert at(twice) == ("menu.yaml", 4) and twice.field == "menu[2]"
    assert only(findings, "not-in-menu").message.startswith("topic 'carers'")
    assert list(result.knowledge.topics) == ["housing", "carers"]


def test_a_knowledge_base_without_a_menu_keeps_its_content_hash(tmp_path: Path) -> None:
    """Records store the hash: adding the menu feature must not change it for old folders."""
    knowledge = load(write_kb(tmp_path)).knowledge
    assert knowledge.menu is None
    assert content_hash(knowledge) == knowledge.content_hash
    with_menu = load(write_kb(tmp_path / "m", extra=_menu("carers", "housing"))).knowledge
    assert with_menu.content_hash != knowledge.content_hash


def test_the_demo_keeps_its_first_sixteen_numbers_and_appends_new_topics(
    tmp_path: Path,
) -> None:
    """The numbers residents and transcripts press, before the 2026 topics were added."""
    load_cached(DEMO_KNOWLEDGE, tmp_path)
    cached = load_cached(DEMO_KNOWLEDGE, tmp_path).knowledge
    assert cached.from_cache, "the second start is served from the cache, in the same order"
    numbered = list(cached.topics)
    assert numbered[:16] == [
        "adult-social-care",
        "carers-support",
        "childcare-early-years",
        "children-send",
        "disability-equipment",
        "domestic-abuse",
        "employment-skills",
        "family-support",
        "food-essentials",
        "health-wellbeing",
        "housing",
        "loneliness-isolation",
        "mental-health",
        "money-debt",
        "personal-budget",
        "young-people",
    ]
    assert numbered[16] == "energy-bills"
