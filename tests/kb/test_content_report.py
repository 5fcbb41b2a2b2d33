"""`navigator content-report`: every rule in words and every rate dated, on one safe page."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from tests.conftest import DEMO_KNOWLEDGE
from tests.kb.kbfiles import TOPIC, write_kb


class _Page(HTMLParser):
    """What a browser would load or run from the page, and its visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.fetched: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name == "src" or (tag == "link" and name == "href"):
                self.fetched.append(value or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _report(*options: str, kb: Path = DEMO_KNOWLEDGE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "navigator.cli", "content-report", "--kb", str(kb), *options],
        capture_output=True,
        text=True,
    )


def _read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_the_demo_report_says_each_rule_in_words_with_its_figures(tmp_path: Path) -> None:
    out = tmp_path / "content.html"
    run = _report("--out", str(out), "--as-of", "2026-12-06")
    assert run.returncode == 0, run.stderr
    page = _read(out.read_text(encoding="utf-8"))
    text = " ".join(" ".join(page.text).split())
    allowance = re.search(r"Carer's Allowance Department for Work.*?Offered when (.*?)\.", text)
    assert allowance is not None
    assert "at least 35" in allowance.group(1) and "£204 a week or less" in allowance.group(1)
    assert "£4.65: from 2026-04-01 on" in text and "£4.25: from 2021-04-01 to 2026-03-31" in text
    assert "Nothing is due for review." in text
    assert "script" not in page.tags and page.fetched == []  # one file: nothing loaded, nothing run


def test_an_earlier_day_shows_that_days_figures_and_a_later_one_what_is_due() -> None:
    earlier = " ".join(_read(_report("--as-of", "2025-06-01").stdout).text)
    assert "£196 a week or less" in " ".join(earlier.split())
    later = " ".join(" ".join(_read(_report("--as-of", "2027-09-01").stdout).text).split())
    assert "Due for review" in later and "was last checked against its source" in later


def test_words_from_the_knowledge_base_are_shown_never_run(tmp_path: Path) -> None:
    hostile = '<script>alert(1)</script><img src="http://evil.example/x">'
    write_kb(tmp_path, topics=TOPIC.replace("name: Carers grant", f"name: '{hostile}'", 1))
    page = _read(_report(kb=tmp_path).stdout)
    assert "script" not in page.tags and "img" not in page.tags and page.fetched == []
    assert hostile in "".join(page.text)


def test_a_broken_knowledge_base_lists_its_errors_first_and_exits_1(tmp_path: Path) -> None:
    write_kb(tmp_path, topics=TOPIC.replace("next: carers-age", "next: carers-nowhere", 1))
    run = _report(kb=tmp_path)
    assert run.returncode == 1
    assert run.stdout.index("Errors to fix first") < run.stdout.index("Services by topic")
    assert "carers-nowhere" in run.stdout
    missing = _report(kb=tmp_path / "absent")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
