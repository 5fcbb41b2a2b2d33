"""The managers' figures by language (issue 19) in the review: on the Overview tab and in every
export, protected with the overview's totals (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest

from navigator.engine import events as ev
from navigator.kb import KnowledgeBase
from navigator.records.database import make_engine, upgrade
from navigator.records.reports.export import render
from navigator.records.reports.review import Review
from navigator.records.reports.sections import section
from tests.manager.known_data import FILTERS, TODAY, WEEK_1, Walk, known_sessions, store
from tests.records.conftest import throwaway_postgres
from tests.support.reports import shown


def welsh(start: dt.datetime) -> Walk:
    """A session held in Welsh (chosen on the first screen) that ended in no outcome."""
    walk = Walk(start).begin().add(ev.LanguageChosen, language="cy")
    return walk.end("abandoned", None, False)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def bilingual(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    knowledge: KnowledgeBase,
) -> Iterator[Review]:
    """The known sessions (in English) and three held in Welsh."""
    extra = [welsh(WEEK_1 + dt.timedelta(hours=20, minutes=n)) for n in range(3)]
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('bilingual') / 'records.sqlite3'}"
        yield _review(url, knowledge, extra)
        return
    with throwaway_postgres("navigator_lang") as url:
        review = _review(url, knowledge, extra)
        try:
            yield review
        finally:
            review.engine.dispose()


def _review(url: str, knowledge: KnowledgeBase, extra: list[Walk]) -> Review:
    engine = make_engine(url, writing=True)
    upgrade(engine)
    store(engine, [*known_sessions(knowledge.content_hash), *extra])
    return Review(engine=engine, knowledge=knowledge, threshold=5, today=lambda: TODAY)


def test_the_overview_tab_and_every_export_show_sessions_by_language(bilingual: Review) -> None:
    assert section("overview").shows("languages")
    assert [table.key for table in bilingual.section("overview", FILTERS)] == [
        "headline",
        "weekly",
        "languages",
    ]
    report = bilingual.report(FILTERS)
    # 65 sessions: 62 in English, 3 in Welsh. Welsh's 3 is hidden, and English's 62 with
    # it, since the overview shows all 65 (the total is the overview's, pinned).
    assert shown(report.table("headline"))[0] == ["Sessions", "65", ""]
    assert shown(report.table("languages")) == [
        ["English", "[c]", "53"],
        ["cy", "<5", "0"],
        ["All languages", "65", "53"],
    ]
    html = render(report, "html")
    assert '<section id="languages">' in html
    assert html.index('<section id="weekly">') < html.index('<section id="languages">')
    assert "Sessions by language" in render(report, "md")


def test_a_language_filter_of_one_site_hides_with_the_overview(bilingual: Review) -> None:
    market = bilingual.report(dataclasses.replace(FILTERS, site="market-hall"))
    assert shown(market.table("languages")) == [
        ["English", "<5", "<5"],
        ["All languages", "<5", "<5"],
    ]
