"""Every output reads the one registered list of sections (issue 16, "Shape of the code").

Two checks: every section of the registry heads its part of every export (HTML, CSV,
Markdown, JSON), and a section module that only the tests have (extra_section.py),
handed to the review, shows up on the dashboard, in every export and in the
publication pack (tests/evidence/test_pack_sections.py) with no change to any of them.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from textual.widgets import DataTable, TabbedContent

from navigator.records.reports.access import load_hash, set_password
from navigator.records.reports.export import render
from navigator.records.reports.review import Review
from navigator.records.reports.sections import SECTIONS
from navigator.tui.manager.app import ManagerApp
from navigator.tui.manager.dashboard import DashboardScreen
from tests.manager.extra_section import EXTRA, with_extra
from tests.manager.known_data import FILTERS
from tests.manager.test_dashboard import PASSWORD, counted, log_in, settle


def _csv_sections(text: str) -> list[str]:
    return [row[1] for row in csv.reader(io.StringIO(text)) if row[:1] == ["Section"]]


def test_every_registered_section_heads_its_part_of_every_export(review: Review) -> None:
    report = review.report(FILTERS)
    titles = [found.title for found in SECTIONS]
    html, md = render(report, "html"), render(report, "md")
    for found in SECTIONS:
        assert f'<h2 class="part" id="part-{found.key}">{found.title}</h2>' in html
        assert f'<a href="#part-{found.key}">' in html  # and in the contents
        assert f"\n## {found.title}\n" in md
    assert _csv_sections(render(report, "csv")) == titles
    document = json.loads(render(report, "json"))
    assert [part["title"] for part in document["sections"]] == titles
    for part, found in zip(document["sections"], SECTIONS, strict=True):
        assert part["tables"] == [t.key for t in report.tables if found.shows(t.key)]


def test_a_section_added_to_the_review_is_in_every_export(review: Review) -> None:
    extended = with_extra(review)
    report = extended.report(FILTERS)
    assert report.sections[-1].key == "extra"
    assert report.tables[-1].key == "extra_sessions"
    # Known data: 62 sessions, one by an advocate (hidden), so the kiosk's 61 is hidden too:
    # the overview publishes the 62. The added section is protected like every other.
    assert [list(map(str, row)) for row in report.table("extra_sessions").rows] == [
        ["advocate", "<5"],
        ["kiosk", "[c]"],
    ]
    html = render(report, "html")
    assert '<h2 class="part" id="part-extra">Extra figure</h2>' in html
    assert '<section id="extra_sessions">' in html
    assert _csv_sections(render(report, "csv"))[-1] == "Extra figure"
    assert "Sessions by channel (a test-only figure)" in render(report, "csv")
    assert "\n## Extra figure\n" in render(report, "md")
    assert json.loads(render(report, "json"))["sections"][-1] == {
        "key": "extra",
        "title": "Extra figure",
        "tables": ["extra_sessions"],
    }
    # The registry itself is untouched: the plain review has no such section.
    assert "extra" not in [part.key for part in review.report(FILTERS).sections]


async def test_a_section_added_to_the_review_is_a_tab_of_the_dashboard(
    tmp_path: Path, review: Review
) -> None:
    if review.engine.dialect.name != "sqlite":
        return  # the dashboard is the same on every engine; once is enough
    set_password(tmp_path / "config", PASSWORD)
    extended = with_extra(review)
    app = ManagerApp(load_hash(tmp_path / "config"), lambda: extended, counted(tmp_path))
    async with app.run_test(size=(160, 50)) as pilot:
        await log_in(app, pilot)
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        tabs = screen.query_one(TabbedContent)
        panes = [pane.id for pane in tabs.query("TabPane")]
        assert panes == [*(found.key for found in SECTIONS), EXTRA.key]
        tabs.active = EXTRA.key
        await settle(app, pilot)
        body = screen.query_one("#body-extra")
        shown = body.query(DataTable).first()
        assert shown.row_count >= 1
        assert [str(cell) for cell in shown.get_row_at(0)][:2] == ["advocate", "[c]"]
