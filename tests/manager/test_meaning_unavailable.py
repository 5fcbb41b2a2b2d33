"""When the meaning model cannot load, the managers' Content tab says which sites ran without it.

Issue 12: "If the model cannot load (missing file, corrupt file, too little memory),
Navigator says so once in the log and the managers' Content tab, keeps working on the
lexical lines, and the safeguarding lexicon is never skipped." Real files on disk (a
corrupt weights file, a missing one), the real engine, the real records store in a real
SQLite file, the real review and the real manager app under Pilot.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import TabbedContent

from navigator.engine import views as v
from navigator.engine.conversation import Conversation
from navigator.engine.events import Event, MeaningUnavailable
from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding.embedding import EmbeddingModel
from navigator.engine.understanding.pipeline import Understanding
from navigator.engine.understanding.safety import MeaningLine
from navigator.kb import KnowledgeBase, load
from navigator.records.database import make_engine, upgrade
from navigator.records.payloads import to_payload
from navigator.records.reports.access import load_hash, set_password
from navigator.records.reports.review import Review
from navigator.records.reports.tables import Filters, Period
from navigator.records.store import store_payloads
from navigator.tui.manager.app import ManagerApp
from navigator.tui.manager.figures import FigureTable
from tests.manager.test_dashboard import PASSWORD, SIZE, counted, log_in, settle, table_rows
from tests.records.conftest import throwaway_postgres

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo() -> KnowledgeBase:
    return load(REPO / "knowledge").knowledge


def _weights(folder: Path, broken: str) -> Path:
    if broken == "missing":
        return folder / "no-such-model.safetensors"
    corrupt = folder / "corrupt.safetensors"
    corrupt.write_bytes(b"\x00\x01 not a weights file " * 500)
    return corrupt


def _conversation(
    knowledge: KnowledgeBase, site: str, detector: SafeguardingDetector
) -> Conversation:
    understanding = Understanding(knowledge, safeguarding=detector)
    return Conversation(knowledge, channel="kiosk", site=site, understanding=understanding)


def _session(knowledge: KnowledgeBase, weights: Path, site: str, texts: list[str]) -> list[Event]:
    line = MeaningLine.for_knowledge(knowledge, EmbeddingModel(weights=weights))
    detector = SafeguardingDetector.for_knowledge(knowledge, meaning=line)
    conversation = _conversation(knowledge, site, detector)
    for text in texts:
        conversation.say(text)
    conversation.finish()
    return list(conversation.events)


@pytest.mark.parametrize("broken", ["missing", "corrupt"])
def test_a_broken_model_is_logged_once_and_noted_once_a_session(
    demo: KnowledgeBase, tmp_path: Path, broken: str, caplog: pytest.LogCaptureFixture
) -> None:
    weights = _weights(tmp_path, broken)
    line = MeaningLine.for_knowledge(demo, EmbeddingModel(weights=weights))
    detector = SafeguardingDetector.for_knowledge(demo, meaning=line)
    with caplog.at_level(logging.WARNING):
        views, events = [], []
        for _ in range(2):  # two residents, one kiosk
            conversation = _conversation(demo, "library", detector)
            views.append(conversation.say("he has got a knife and is outside my door"))
            conversation.continue_after_safeguarding()
            views.append(conversation.say("my mum is 82 and keeps falling"))
            events.append(conversation.events)
    # The sign lexicon is never skipped; topics still answer by their words.
    assert isinstance(views[0], v.SafeguardingView) and views[0].crisis_kind == "immediate-danger"
    assert views[1].kind not in {"safeguarding", "check_in"}
    # Once in the log for the machine, once in the records for each session.
    logged = [r for r in caplog.records if "Meaning model unavailable" in r.getMessage()]
    assert len(logged) == 1 and str(weights.name) in logged[0].getMessage()
    for session in events:
        assert sum(isinstance(event, MeaningUnavailable) for event in session) == 1


def test_a_working_model_notes_nothing(demo: KnowledgeBase) -> None:
    detector = SafeguardingDetector.for_knowledge(demo)
    conversation = _conversation(demo, "library", detector)
    conversation.say("my mum is 82 and keeps falling")
    assert not any(isinstance(event, MeaningUnavailable) for event in conversation.events)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'navigator.sqlite3'}"
        return
    with throwaway_postgres("navigator_mu") as url:
        yield url


@pytest.fixture
def review(tmp_path: Path, demo: KnowledgeBase, database_url: str) -> Iterator[Review]:
    """Two kiosks with a broken model (one missing, one corrupt) and one that works, stored
    through the real payloads and store into a real database (SQLite, and PostgreSQL)."""
    events = [
        *_session(demo, _weights(tmp_path, "missing"), "east-library", ["i need help with rent"]),
        *_session(demo, _weights(tmp_path, "corrupt"), "west-library", ["grab rails"]),
        *_session(demo, _weights(tmp_path, "corrupt"), "west-library", ["my nan is lonely"]),
        *_session(demo, REPO / "does-not-matter", "quiet-site", []),  # nothing typed
    ]
    ok = SafeguardingDetector.for_knowledge(demo)
    working = _conversation(demo, "town-hall", ok)
    working.say("i need help with rent")
    events += working.events
    engine = make_engine(database_url, writing=True)
    upgrade(engine)
    with engine.begin() as connection:
        store_payloads(connection, [to_payload(e) for e in events], dt.datetime.now(dt.UTC))
    today = dt.datetime.now(dt.UTC).date()
    yield Review(engine=engine, knowledge=demo, threshold=5, today=lambda: today)
    engine.dispose()


def test_the_content_tab_names_the_sites_that_ran_without_the_model(review: Review) -> None:
    today = review.today()
    report = review.report(Filters(Period(today - dt.timedelta(days=7), today)))
    table = report.table("meaning_unavailable")
    assert [row[0] for row in table.rows] == ["east-library", "west-library"]
    assert "Crisis signs were still checked" in str(table.rows[0][1])
    assert "Meaning model unavailable" in str(table.rows[0][2])
    elsewhere = report.table("content_versions")  # the rest of the tab is unchanged
    assert elsewhere.rows


async def test_the_managers_app_shows_it_on_the_content_tab(tmp_path: Path, review: Review) -> None:
    set_password(tmp_path / "config", PASSWORD)
    app = ManagerApp(load_hash(tmp_path / "config"), lambda: review, counted(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await log_in(app, pilot)
        await settle(app, pilot)
        app.screen.query_one(TabbedContent).active = "content"
        await settle(app, pilot)
        rows = table_rows(app.screen.query_one("#table-meaning_unavailable", FigureTable))
    assert [row[0] for row in rows] == ["east-library", "west-library"]
