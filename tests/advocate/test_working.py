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


def test_search_by_what_a_service_does_or_its_need(test_kb: KnowledgeBase) -> None:
    index = ServiceIndex(test_kb)
    assert found(index, words="damp")[0] == "repairs-line"
    assert set(found(index, words="housing")[:2]) == {"repairs-line", "housing-advice"}
    assert found(index, words="xyzzy plover") == []


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
