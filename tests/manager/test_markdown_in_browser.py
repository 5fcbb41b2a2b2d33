"""The Markdown export, rendered by a CommonMark renderer and opened in Chromium, runs no script.

Request text is what residents typed. A Markdown report is often pasted into
a wiki or a repository that renders it as HTML, and raw HTML in Markdown
passes straight through a CommonMark renderer (markdown-it-py with its
CommonMark preset, as GitLab, many wikis and static-site tools do). So every
hostile text below is put in the report, rendered, loaded in a real browser,
and the page must have run nothing and hold no element but the report's own.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from navigator.records.reports.export import to_markdown
from navigator.records.reports.tables import Column, Filters, Period, Report, Table

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HOSTILE = (
    "<script>window.ran = 'script'</script>",
    '<img src="x" onerror="window.ran = \'img\'">',
    "<svg onload=\"window.ran = 'svg'\"></svg>",
    "<iframe src=\"javascript:parent.ran = 'iframe'\"></iframe>",
    "<details open ontoggle=\"window.ran = 'details'\">",
    '<a href="javascript:window.ran=1">click</a>',
    "[click](javascript:window.ran=1)",
    '![x](x" onerror="window.ran=1)',
    "&lt;script&gt;window.ran = 'entity'&lt;/script&gt;",
    "`<b>` and **bold** and <https://example.invalid>",
)
ALLOWED_TAGS = {
    "html", "head", "body", "h1", "h2", "ul", "li", "strong", "p", "table", "thead", "tbody",
    "tr", "th", "td",
}  # fmt: skip


def hostile_report() -> Report:
    table = Table(
        key="unmatched_requests",
        title="What people asked for <b>that nothing matched</b>",
        columns=(Column("request", "Request", "text"), Column("count", "People")),
        rows=tuple((text, 5) for text in HOSTILE),
        note="Typed by <i>residents</i>",
    )
    return Report(
        title="Unmet need review <script>window.ran='title'</script>",
        filters=Filters(Period(dt.date(2025, 1, 6), dt.date(2025, 1, 26))),
        threshold=5,
        generated_at=dt.datetime(2025, 2, 1, 9, 30, tzinfo=dt.UTC),
        tables=(table,),
    )


def test_markdown_export_renders_hostile_request_text_as_text_in_a_browser(
    tmp_path: Path,
) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    html = MarkdownIt("commonmark").enable("table").render(to_markdown(hostile_report()))
    page_file = tmp_path / "report.html"
    page_file.write_text(f"<!DOCTYPE html><html><body>{html}</body></html>", encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri())
            page.wait_for_timeout(300)
            ran = page.evaluate("window.ran === undefined ? null : String(window.ran)")
            tags = set(page.evaluate("[...document.querySelectorAll('*')].map(e => e.localName)"))
            handlers = page.evaluate(
                "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
                ".map(a => a.name)).filter(n => n.startsWith('on') || n === 'href' || n === 'src')"
            )
            cells = page.evaluate("[...document.querySelectorAll('td')].map(td => td.textContent)")
        finally:
            browser.close()
    assert ran is None, f"a script ran: {ran}"
    assert tags <= ALLOWED_TAGS, f"elements from request text: {tags - ALLOWED_TAGS}"
    assert handlers == []
    for text in HOSTILE:
        assert text in cells, f"{text!r} is not shown as the words people typed"
