"""The publication pack reads the section registry: every open-data section's tables, as the
review shows them under the pack's own disclosure rule (issue 16, "Shape of the code").

The councils' packs are the real `navigator publish`'s (conftest); the added section is
tests/manager/extra_section.py, handed to `publish_pack` as the review would be given it.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from navigator.interop.evidence.periods import parse_period
from navigator.interop.evidence.publishing import publish_pack
from navigator.interop.evidence.review_sections import open_data_tables
from navigator.records.database import make_engine
from navigator.records.reports.presets import preset
from navigator.records.reports.review import Review, default_builders
from navigator.records.reports.sections import SECTIONS
from navigator.records.reports.tables import Filters, Period
from tests.conftest import DEMO_KNOWLEDGE
from tests.evidence.conftest import Place
from tests.manager.extra_section import EXTRA, build


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _url(place: Place, council: str) -> str:
    return f"sqlite:///{place.folder / f'{council}.sqlite3'}"


def test_the_pack_holds_every_open_data_section_as_the_review_shows_it(councils: Place) -> None:
    from navigator.kb import load

    pack = councils.pack("northbrook")
    period = parse_period(councils.period)
    engine = make_engine(_url(councils, "northbrook"))
    try:
        review = Review(
            engine=engine, knowledge=load(DEMO_KNOWLEDGE).knowledge, preset=preset("nhs-digital")
        )
        expected = open_data_tables(review, Filters(Period(period.start, period.end)))
    finally:
        engine.dispose()
    open_sections = [found.key for found in SECTIONS if found.open_data]
    assert open_sections == ["unmet", "cost"]
    order = [open_sections.index(found.section) for found in expected]
    assert order == sorted(order) and set(order) == {0, 1}  # the registry's order
    assert "unmet_cost_by_agency" in [found.table.key for found in expected]
    for found in expected:
        written = _rows(pack / found.path)
        assert written == found.rows(), found.path
    descriptor = json.loads((pack / "datapackage.json").read_text(encoding="utf-8"))
    names = [r["name"] for r in descriptor["resources"] if r["name"].startswith("section-")]
    assert names == [found.name for found in expected]
    cost = pack / "section-unmet-cost-by-agency.csv"
    assert cost.read_text(encoding="utf-8").splitlines()[0] == (
        "agency,low,central,high,not_costed"
    )
    note = (pack / "methodology.md").read_text(encoding="utf-8")
    assert "## Sections from the review" in note
    assert "`section-unmet-cost-by-agency.csv`: Who pays" in note


def test_a_section_added_to_the_registry_is_in_the_next_pack(
    councils: Place, tmp_path: Path
) -> None:
    out = tmp_path / "pack"
    publish_pack(
        _url(councils, "northbrook"),
        DEMO_KNOWLEDGE,
        parse_period(councils.period),
        out,
        council_id="northbrook",
        sections=(*SECTIONS, EXTRA),
        builders={**default_builders(), "extra": build},
    )
    rows = _rows(out / "section-extra-sessions.csv")
    assert [row["channel"] for row in rows] == sorted(row["channel"] for row in rows)
    assert {"kiosk", "web"} <= {row["channel"] for row in rows}
    assert all(row["sessions"].isdigit() or row["sessions"] == "[c]" for row in rows)
    assert all(int(row["sessions"]) % 5 == 0 for row in rows if row["sessions"].isdigit())
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["resources"][-1]["name"] == "section-extra-sessions"
    assert descriptor["resources"][-1]["title"] == (
        "Extra figure: Sessions by channel (a test-only figure)"
    )


def test_the_sections_are_left_out_under_a_rule_that_does_not_round(
    councils: Place, tmp_path: Path
) -> None:
    out = tmp_path / "pack"
    publish_pack(
        _url(councils, "northbrook"),
        DEMO_KNOWLEDGE,
        parse_period(councils.period),
        out,
        suppression="threshold-10",
        council_id="northbrook",
    )
    assert not list(out.glob("section-*.csv"))
    note = (out / "methodology.md").read_text(encoding="utf-8")
    assert "The review's sections are left out: the disclosure rule 'threshold-10' does not" in (
        note.replace("\n", " ")
    )
