"""The managers' review's words are the knowledge base's (`knowledge/messages/manager.yaml`),
so content staff change them without a release: changed in the file, changed on screen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static, TabbedContent

from navigator.kb import load
from navigator.records.reports.access import load_hash, set_password
from navigator.tui.manager.app import ManagerApp
from navigator.tui.manager.dashboard import DashboardScreen
from navigator.tui.manager.text import missing
from tests.conftest import DEMO_KNOWLEDGE
from tests.manager.conftest import sqlite_review
from tests.manager.known_data import write_knowledge
from tests.manager.test_dashboard import PASSWORD, counted, log_in, settle


def test_the_demo_knowledge_base_has_every_word_the_review_uses() -> None:
    assert missing(load(DEMO_KNOWLEDGE).knowledge) == []


async def test_words_changed_in_the_knowledge_base_show_on_the_dashboard(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    write_knowledge(folder)
    words = folder / "manager.yaml"
    changed = (
        words.read_text(encoding="utf-8")
        .replace("hidden to protect privacy", "kept back for privacy")
        .replace("No records for these filters.", "Nothing recorded in this period.")
    )
    assert changed != words.read_text(encoding="utf-8")
    words.write_text(changed, encoding="utf-8")
    review = sqlite_review(tmp_path / "records", load(folder).knowledge)
    set_password(tmp_path / "config", PASSWORD)
    app = ManagerApp(load_hash(tmp_path / "config"), lambda: review, counted(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(app, pilot)
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        key = str(screen.query_one("#symbol-key", Static).render()).replace("\n", " ")
        assert key.startswith("[c]: kept back for privacy: fewer than 5 people, or a figure")
        assert screen.sub_title.endswith("· [c]: kept back for privacy")
        # A period with no records: each figure says so in the knowledge base's words.
        screen.query_one("#date-from", Input).value = "2020-01-06"
        to = screen.query_one("#date-to", Input)
        to.value = "2020-01-19"
        to.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        screen.query_one(TabbedContent).active = "cost"  # its tables are empty then
        await settle(app, pilot)
        empty = [str(found.render()) for found in screen.query(".figure-empty").results(Static)]
        assert empty and set(empty) == {"Nothing recorded in this period."}
