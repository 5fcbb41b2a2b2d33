"""A crisis said in Welsh, or in English, is caught whatever language the conversation is in.

The sign lexicon of every language always runs (the Welsh reading with mutations
folded runs for any text that shows Welsh), so an English conversation catches a
Welsh disclosure and a Welsh conversation an English one. Mid-topic, at a question,
the crisis panel opens in the conversation's language. Real conversations on the
demo knowledge base, and the real `navigator chat --plain --language cy`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from navigator.engine.conversation import Conversation
from navigator.engine.views import QuestionView, SafeguardingView
from navigator.kb import KnowledgeBase

WELSH_CRISES = {
    "domestic-abuse": "mae ei chariad hi yn ei tharo hi bob nos a dwi'n poeni",
    "suicide-self-harm": "dwi jyst ddim isio bod yma dim mwy",
    "children-no-food": "does dim bwyd yn y tŷ i'r plant ers dydd sadwrn",
    "nowhere-to-sleep": "ni'n cysgu yn y car heno gyda'r babi",
}
ENGLISH_CRISES = {
    "suicide-self-harm": "i just want to kill myself",
    "domestic-abuse": "my husband hits me when he drinks",
}


def _title(knowledge: KnowledgeBase, kind: str, language: str) -> str:
    crisis = next(k for k in knowledge.safeguarding.kinds if k.id == kind)  # type: ignore[union-attr]
    return crisis.title.get(language)


def _at_a_question(knowledge: KnowledgeBase, language: str) -> Conversation:
    conversation = Conversation(knowledge, channel="kiosk", site="library", language=language)
    conversation.choose("money-debt")
    assert isinstance(conversation.view, QuestionView)
    return conversation


@pytest.mark.parametrize(("kind", "said"), WELSH_CRISES.items())
@pytest.mark.parametrize("language", ["cy", "en"])
def test_a_welsh_crisis_typed_mid_topic_opens_the_panel(
    demo_kb: KnowledgeBase, kind: str, said: str, language: str
) -> None:
    """In a Welsh conversation the panel is Welsh; in an English one, English."""
    view = _at_a_question(demo_kb, language).say(said)
    assert isinstance(view, SafeguardingView), (said, view.kind)
    assert view.crisis_kind == kind
    assert view.title == _title(demo_kb, kind, language)


@pytest.mark.parametrize(("kind", "said"), ENGLISH_CRISES.items())
def test_an_english_crisis_in_a_welsh_conversation_opens_the_welsh_panel(
    demo_kb: KnowledgeBase, kind: str, said: str
) -> None:
    view = _at_a_question(demo_kb, "cy").say(said)
    assert isinstance(view, SafeguardingView), (said, view.kind)
    assert view.crisis_kind == kind
    assert view.title == _title(demo_kb, kind, "cy")


def test_navigator_chat_plain_language_cy_shows_the_welsh_panel_mid_topic(
    demo_kb: KnowledgeBase, tmp_path: Path
) -> None:
    """The real command in a child process: a topic chosen by number, then at its first
    question a Welsh disclosure the signs do not spell out word for word."""
    trial = Conversation(demo_kb, channel="plain", site="library", language="cy")
    number = next(c.number for c in trial.view.choices if c.key == "money-debt")
    said = WELSH_CRISES["domestic-abuse"]
    environment = {
        **os.environ,
        "NAVIGATOR_DATA_DIR": str(tmp_path / "data"),
        "NAVIGATOR_CONFIG": str(tmp_path / "none.toml"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "navigator.cli", "chat", "--plain", "--language", "cy"],
        input=f"{number}\n{said}\n".encode(),
        capture_output=True,
        env=environment,
        timeout=120,
        check=False,
    )
    shown = done.stdout.decode("utf-8")
    assert done.returncode == 0, done.stderr.decode("utf-8")
    first = demo_kb.nodes[demo_kb.topics["money-debt"].start]
    assert first.text.get("cy") in shown  # the disclosure came mid-topic
    assert _title(demo_kb, "domestic-abuse", "cy") in shown
    assert _title(demo_kb, "domestic-abuse", "en") not in shown


UNSURE_IN_WELSH = "dim ond bara sych sy ar ol i'r plant a dim pres tan ddydd iau"
"""No Welsh sign matches it: the Welsh meaning line finds it near the Welsh examples."""


@pytest.mark.parametrize("language", ["cy", "en"])
def test_a_welsh_disclosure_no_sign_matches_is_read_by_the_welsh_meaning_line(
    demo_kb: KnowledgeBase, language: str
) -> None:
    """Detected as Welsh whatever the conversation's language, so read by the Welsh line
    (letter groups against Welsh examples), not the English model: a response follows."""
    conversation = _at_a_question(demo_kb, language)
    view = conversation.say(UNSURE_IN_WELSH)
    assert view.kind in {"safeguarding", "check_in"}, view.kind
    if isinstance(view, SafeguardingView):
        assert view.crisis_kind == "children-no-food"
