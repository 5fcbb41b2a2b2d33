"""Exports: spreadsheet-safe cells, hidden figures as "[c]", and a self-contained HTML file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html.parser import HTMLParser

import pytest

from navigator.records.reports.export import render, safe_text
from navigator.records.reports.suppression import Hidden
from navigator.records.reports.tables import (
    NOT_AVAILABLE,
    Chart,
    Column,
    Filters,
    Period,
    Report,
    Table,
)

HIDDEN = Hidden(5)
CONFIDENTIAL = Hidden(5, primary=False)


def sample_report() -> Report:
    requests = Table(
        key="unmatched",
        title="What people asked for that nothing matched",
        columns=(Column("request", "Request", "text"), Column("count", "People")),
        rows=(
            ('=HYPERLINK("evil","click")', 12),
            ("+1 help with rent", 8),
            ("-cmd|' /C calc'!A0", 7),
            ("@SUM(1+1)", 6),
            ("\tleading tab", 6),
            ("\rleading return", 5),
            ("help with my boiler | heating", HIDDEN),
        ),
    )
    by_need = Table(
        key="unmet_by_need",
        title="Unmet need by category",
        columns=(
            Column("need", "Need", "label"),
            Column("count", "Unmet"),
            Column("change", "Change", "change"),
            Column("rate", "Per 100,000", "rate"),
        ),
        rows=(("Housing", 40, -3, 12.5), ("Carers", HIDDEN, CONFIDENTIAL, CONFIDENTIAL)),
        chart=Chart("bar", "need", "count"),
    )
    weekly = Table(
        key="weekly",
        title="Weekly trend",
        columns=(Column("week", "Week starting", "date"), Column("sessions", "Sessions")),
        rows=(("2025-01-06", 30), ("2025-01-13", HIDDEN), ("2025-01-20", 41)),
        chart=Chart("line", "week", "sessions"),
    )
    return Report(
        title="Unmet need review",
        filters=Filters(Period(dt.date(2025, 1, 6), dt.date(2025, 1, 26)), site="central-library"),
        threshold=5,
        generated_at=dt.datetime(2025, 2, 1, 9, 30, tzinfo=dt.UTC),
        tables=(requests, by_need, weekly),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 7700", "'+44 7700"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("help = food", "help = food"),
        ("", ""),
    ],
)
def test_cells_that_a_spreadsheet_would_run_get_an_apostrophe(text: str, expected: str) -> None:
    assert safe_text(text) == expected


def test_csv_neutralises_every_formula_and_keeps_numbers_as_numbers() -> None:
    rows = list(csv.reader(io.StringIO(render(sample_report(), "csv"))))
    texts = [cell for row in rows for cell in row]
    dangerous = [cell for cell in texts if cell[:1] in {"=", "+", "@", "\t", "\r"}]
    assert dangerous == []
    assert '\'=HYPERLINK("evil","click")' in texts
    assert "'-cmd|' /C calc'!A0" in texts
    housing = next(row for row in rows if row[:1] == ["Housing"])
    assert housing == ["Housing", "40", "-3", "12.5"]
    carers = next(row for row in rows if row[:1] == ["Carers"])
    assert carers == ["Carers", "[c]", "[c]", "[c]"]


def test_json_shows_hidden_figures_as_text_never_as_numbers() -> None:
    document = json.loads(render(sample_report(), "json"))
    need = next(table for table in document["tables"] if table["key"] == "unmet_by_need")
    assert need["rows"][1] == {"need": "Carers", "count": "[c]", "change": "[c]", "rate": "[c]"}
    assert document["tables"][0]["rows"][0]["request"].startswith("'=")
    assert document["suppression_threshold"] == 5


def test_markdown_escapes_table_bars() -> None:
    text = render(sample_report(), "md")
    assert "help with my boiler \\| heating | [c] |" in text
    assert "| Carers | [c] | [c] | [c] |" in text


class _Checker(HTMLParser):
    """Checks nesting, and collects every attribute that could fetch or link."""

    VOID = {"meta", "br", "img", "input", "link", "hr", "circle", "rect", "line", "polyline"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.references: list[str] = []
        self.problems: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in {"href", "src", "xlink:href", "action", "srcset", "data"}:
                self.references.append(value or "")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()


def test_html_is_valid_self_contained_and_has_inline_charts() -> None:
    page = render(sample_report(), "html")
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert page.startswith("<!DOCTYPE html>")
    assert checker.problems == [] and checker.stack == []
    assert "http" not in page.lower() and "url(" not in page and "//" not in page
    assert all(reference.startswith("#") for reference in checker.references)
    assert {"svg", "rect", "polyline", "table", "style"} <= checker.tags
    assert "script" not in checker.tags and "link" not in checker.tags
    assert "&lt;5" not in page and "[c]" in page
    assert "&#x27;=HYPERLINK" in page


def test_hidden_values_draw_no_bar() -> None:
    page = render(sample_report(), "html")
    need_chart = page[page.index('<section id="unmet_by_need">') : page.index("</figure>")]
    assert need_chart.count("<rect") == 1


@pytest.mark.parametrize("form", ["csv", "json", "md", "html"])
def test_every_export_prints_the_gss_symbols(form: str) -> None:
    """Every hidden figure reads "[c]", small counts included (never "<5"); a figure
    Navigator does not have (a rate with no population) "[x]"; one that does not apply
    "[z]"; and the heading says what each symbol means (issue 16)."""
    rates = Table(
        key="unmet_by_district",
        title="Unmet need by postcode district",
        columns=(Column("district", "District", "label"), Column("rate", "Per 100,000", "rate")),
        rows=(
            ("NB1", 12.5),
            ("Not given", None),
            ("NB2", CONFIDENTIAL),
            ("NB3", HIDDEN),
            ("NB4", NOT_AVAILABLE),
        ),
    )
    report = Report(
        title="Unmet need review",
        filters=Filters(Period(dt.date(2025, 1, 6), dt.date(2025, 1, 26))),
        threshold=5,
        generated_at=dt.datetime(2025, 2, 1, 9, 30, tzinfo=dt.UTC),
        tables=(rates,),
    )
    text = render(report, form).replace("\\[", "[").replace("\\]", "]")  # type: ignore[arg-type]
    figures = text.split("Per 100,000", 1)[1]
    cells = re.findall(r"\[[a-z]\]|<5", figures)
    assert cells == ["[z]", "[c]", "[c]", "[x]"], cells
    assert "<5" not in text
    if form != "json":
        for meaning in ("[c] confidential", "[x] not available", "[z] not applicable"):
            assert meaning in text
