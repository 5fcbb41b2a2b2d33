"""Advocate mode's own search for services (rule wording and changed answers: tests/engine)."""

from __future__ import annotations

import pytest

from navigator.kb import KnowledgeBase
from navigator.tui.advocate.search import SearchQuery, ServiceIndex, normalise_area

# --- Search --------------------------------------------------------------------------


def found(index: ServiceIndex, **query: str | None) -> list[str]:
    return [item.service.id for item in index.search(SearchQuery(**query))]  # type: ignore[arg-type]


def test_search_by_name_forgives_a_typo(test_kb: KnowledgeBase) -> None:
    index = ServiceIndex(test_kb)
    assert found(index, words="advise centre")[0] == "advice-centre"
    assert found(index, words="befriend")[0] == "befriending"


def test_search_by_what_a_service_does(test_kb: KnowledgeBase) -> None:
    index = ServiceIndex(test_kb)
    assert found(index, words="damp")[0] == "repairs-line"
    assert found(index, words="xyzzy plover") == []


def test_a_need_title_alone_does_not_find_a_service(test_kb: KnowledgeBase) -> None:
    """Issue 20: "debt" found Child Benefit by its need title; the need filter lists a need."""
    index = ServiceIndex(test_kb)
    assert found(index, words="housing") == ["housing-advice"]
    assert found(index, need_id="housing") == ["housing-advice", "repairs-line"]


def test_debt_finds_the_debt_services_on_the_demo(demo_kb: KnowledgeBase) -> None:
    index = ServiceIndex(demo_kb)
    assert found(index, words="debt") == [
        "money-breathing-space",
        "money-national-debtline",
        "money-stepchange",
        "money-advice-centre",
    ]
    assert found(index, words="food bank")[:2] == ["food-bank-delivery", "food-bank"]


def test_the_count_is_every_service_that_matches(demo_kb: KnowledgeBase) -> None:
    index = ServiceIndex(demo_kb)
    assert len(index.search(SearchQuery())) == len(demo_kb.services) > 50  # more than a page
    assert len(index.search(SearchQuery(), limit=50)) == 50


def test_need_and_area_filter_the_results(test_kb: KnowledgeBase) -> None:
    index = ServiceIndex(test_kb)
    assert found(index, need_id="housing") == ["housing-advice", "repairs-line"]
    assert found(index, need_id="housing", area="TB1") == ["housing-advice"]
    every_care_service_in_tb1 = found(index, need_id="care", area="TB1")
    assert "meals-tb2" not in every_care_service_in_tb1 and "home-help" in every_care_service_in_tb1
    assert found(index, words="meals", area="TB2")[0] == "meals-tb2"


@pytest.mark.parametrize(
    ("typed", "area"),
    [("tb3", "TB3"), (" NB12 ", "NB12"), ("LS6 2AB", "LS6"), ("hello", None), ("12", None)],
)
def test_areas_are_postcode_districts(typed: str, area: str | None) -> None:
    assert normalise_area(typed) == area
