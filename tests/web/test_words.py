"""The browser page's words come from the knowledge base, like the app's."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from navigator.kb import KnowledgeBase
from navigator.tui.web.words import missing_page_words
from tests.web.support import serving


def test_the_knowledge_base_has_every_word_the_page_uses(demo_kb: KnowledgeBase) -> None:
    assert missing_page_words(demo_kb) == []


@pytest.mark.slow
def test_the_page_shows_the_words_content_staff_wrote(
    free_port: int, environment: dict[str, str], kb_dir: Path
) -> None:
    words = kb_dir / "messages" / "web.yaml"
    text = words.read_text(encoding="utf-8")
    words.write_text(
        # The English of a text written {en: ..., cy: ...} (the demo has it in Welsh too).
        text.replace("en: Leave this page quickly", "en: Hide this now"),
        encoding="utf-8",
    )
    with serving(free_port, environment) as served:
        page = urllib.request.urlopen(served.url, timeout=20).read().decode()
    assert "Hide this now</a>" in page
    assert "Leave this page quickly" not in page
