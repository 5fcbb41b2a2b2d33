"""The section registry: one list read by the dashboard, the report and its exports."""

from __future__ import annotations

import pytest

from navigator.records.reports import sections
from navigator.records.reports.review import Review
from navigator.records.reports.sections import SECTIONS, section
from navigator.tui.manager.dashboard import TAB_TITLES
from tests.manager.known_data import FILTERS


def test_the_registry_is_sound_and_names_its_sections() -> None:
    sections.check()
    assert section("cost").title == "Who pays"
    with pytest.raises(KeyError, match="the sections are overview, unmet"):
        section("compare places")


def test_the_dashboard_has_one_tab_per_section_in_the_registrys_order() -> None:
    assert list(TAB_TITLES.items()) == [(found.key, found.title) for found in SECTIONS]


def test_every_table_of_the_report_is_in_exactly_one_section_in_its_order(
    review: Review,
) -> None:
    report = review.report(FILTERS)
    owners = [[found.key for found in SECTIONS if found.shows(t.key)] for t in report.tables]
    assert all(len(owner) == 1 for owner in owners), owners
    order = [found.key for found in SECTIONS]
    positions = [order.index(owner[0]) for owner in owners]
    assert positions == sorted(positions)
    assert {owner[0] for owner in owners} == set(order)


def test_each_section_shows_the_same_tables_on_the_dashboard_and_in_the_report(
    review: Review,
) -> None:
    report = review.report(FILTERS)
    for found in SECTIONS:
        on_screen = [t.key for t in review.section(found.key, FILTERS)]
        in_report = [t.key for t in report.tables if found.shows(t.key)]
        assert on_screen == in_report, found.key
