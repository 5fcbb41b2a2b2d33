"""One reading of postcode districts for the search box, consent, eligibility and records."""

from __future__ import annotations

from typing import Literal

import pytest

from navigator.kb.places import postcode_district, serves_area


@pytest.mark.parametrize(
    ("typed", "district"),
    [
        ("ls6 2ab", "LS6"),
        ("LS6 2AB", "LS6"),
        ("nb12ab", "NB1"),
        ("NB1-2AB", "NB1"),
        ("nb1.2ab", "NB1"),
        ("NB1  2AB", "NB1"),
        ("NB1 2 AB", "NB1"),
        ("nb12 3ab", "NB12"),
        ("NB12", "NB12"),
        ("nb12", "NB12"),
        (" nb3 ", "NB3"),
        ("ec1a 1bb", "EC1A"),
        ("m1", "M1"),
    ],
)
def test_postcodes_and_districts_give_the_district(typed: str, district: str) -> None:
    assert postcode_district(typed) == district


@pytest.mark.parametrize(
    "typed",
    [None, "", "   ", "my house", "12", "hello", "NB", "QB1", "NB1 2AB please", "NB1 2CA"],
)
def test_anything_else_gives_no_district(typed: str | None) -> None:
    assert postcode_district(typed) is None


@pytest.mark.parametrize(
    ("areas", "district", "served"),
    [
        ("all", "NB1", True),
        ("all", None, True),
        (["NB1", "NB2"], "NB2", True),
        (["NB1", "NB2"], "nb2", True),
        (["NB1", "NB2"], "NB12", False),
        (["NB1", "NB2"], "TB1", False),
        (["NB1", "NB2"], None, True),
        ([], "NB1", False),
    ],
)
def test_serves_area_rules_out_only_a_known_district_outside_the_list(
    areas: list[str] | Literal["all"], district: str | None, served: bool
) -> None:
    assert serves_area(areas, district) is served


def test_a_parsed_postcode_is_checked_against_the_district_it_starts_with() -> None:
    assert serves_area(["NB1"], postcode_district("nb12ab"))
    assert not serves_area(["NB12"], postcode_district("nb12ab"))
    assert serves_area(["NB12"], postcode_district("nb12 3ab"))
