"""How often the first choice is right (issue 12, section 2), and "help at home".

Top-3 says whether the right topic is among those offered. What a person meets
first is the decision on their first message: straight to one topic (`go`), a
choice of a few (`choose`) or the topic list (`none`). So each labelled needs set
is also measured for top-1 (the first topic ranked is of the right need) and for
**straight**: the decision goes to a topic of the right need with no choice
first. Both rankings a person can meet are measured: the lexical index alone
(before the meaning model has loaded, or when it cannot load) and the final
blend (after). The floors are the figures measured (docs/performance.md), so a
drop cannot go unseen; raise them when a change raises a figure.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from navigator.engine.conversation import Conversation
from navigator.engine.matching import TopicMatcher
from navigator.engine.understanding.embedding import EmbeddingModel
from navigator.engine.understanding.pipeline import Understanding
from navigator.engine.understanding.topics import MeaningScorer, TopicRanker
from navigator.engine.views import QuestionView
from navigator.kb import KnowledgeBase, load
from tests.engine.phrasing_set import ISSUE_12_SETS, SETS, Ranker, load_phrasings, measure_matching
from tests.support.held_aside import CountsOnly

REPO = Path(__file__).resolve().parents[2]
RANKINGS = ("lexical alone", "final blend")

FLOORS: dict[tuple[str, str], tuple[int, int, int]] = {
    # Session 10 (needs): examples for situations the story sets missed, and asides in long
    # stories no longer offered as a second need. One straight count fell by one (held-out,
    # lexical alone): a message at the edge of going straight now offered a choice with the
    # right topic first (docs/performance.md, "Session 10: needs").
    ("first", "lexical alone"): (224, 164, 2),  # of 254 (session 12: twoneeds lets two clauses of
    # different needs choose rather than go, one fewer straight on each of these two sets)
    ("first", "final blend"): (228, 150, 2),
    ("held-out", "lexical alone"): (116, 71, 4),  # of 138
    ("held-out", "final blend"): (122, 71, 3),
    ("stories, tuned", "lexical alone"): (95, 49, 2),  # of 120
    ("stories, tuned", "final blend"): (97, 41, 1),
    ("stories, second (tuned)", "lexical alone"): (94, 54, 3),  # of 121
    ("stories, second (tuned)", "final blend"): (94, 45, 1),
    # stories_holdout2.yaml, held aside in session 10: measured by the lead on main before that
    # merge (final blend top-1 112, straight 44, none wrong) and once after it (these); read
    # and tuned on from session 11.
    ("stories, third (tuned)", "lexical alone"): (112, 62, 1),  # of 140
    ("stories, third (tuned)", "final blend"): (113, 46, 0),
    # stories_holdout3.yaml, held aside in session 11: measured by the lead on main before
    # that merge and once after it (104/36/2 and 111/20/0); read and tuned on from session 12.
    # Session 12 (oos4) raised first, third and fourth with three topic examples.
    ("stories, fourth (tuned)", "lexical alone"): (105, 36, 2),  # of 140
    ("stories, fourth (tuned)", "final blend"): (112, 20, 0),
    # stories_holdout4.yaml, held aside: written in session 12 before its tuning, measured by
    # the lead on main before the merge (lexical 114/55/0, final blend 123/35/0) and once after.
    ("stories, held aside", "lexical alone"): (114, 55, 0),  # of 140
    ("stories, held aside", "final blend"): (123, 36, 0),
    ("typos, held aside", "lexical alone"): (100, 74, 1),  # of 111
    ("typos, held aside", "final blend"): (101, 66, 1),
}
"""(set, ranking) -> (top-1 at least, straight at least, straight to a wrong need at most),
counts on the set's need phrasings, as measured (docs/performance.md)."""


@pytest.fixture(scope="module")
def rankers() -> dict[str, Ranker]:
    knowledge = load(REPO / "knowledge").knowledge
    lexical = TopicMatcher(knowledge)
    meaning = MeaningScorer(knowledge, EmbeddingModel(), wait=True)
    return {"lexical alone": lexical, "final blend": TopicRanker(lexical, [meaning])}


@pytest.mark.parametrize(
    ("name", "ranking"),
    [(name, ranking) for name in SETS | ISSUE_12_SETS for ranking in RANKINGS],
)
def test_the_first_choice_is_right_at_least_as_often_as_measured(
    rankers: dict[str, Ranker], name: str, ranking: str
) -> None:
    report = measure_matching(rankers[ranking], load_phrasings((SETS | ISSUE_12_SETS)[name]))
    overall = report.overall
    print(
        f"{name}, {ranking}: top-1 {overall.top_1}/{overall.total}, "
        f"straight {overall.straight}/{overall.total}, wrong go {len(report.straight_wrong)}"
    )
    top_1, straight, wrong = FLOORS[(name, ranking)]
    if "held aside" in name:  # counts only (`CountsOnly`): its texts are not to be read
        floors = CountsOnly(f"{name}, {ranking}")
        floors.at_least("top-1", overall.top_1, top_1, overall.total)
        floors.at_least("straight", overall.straight, straight, overall.total)
        floors.at_most("straight to a wrong need", len(report.straight_wrong), wrong)
        floors.check()
        return
    assert overall.top_1 >= top_1
    assert overall.straight >= straight
    assert len(report.straight_wrong) <= wrong, report.straight_wrong


# --- "help at home" (session 6): the everyday name for care at home -----------------------

HOME_CARE = ("care at home", "help at home")
""""help at home" offered a choice of topics (or, by the words alone, nothing) while
"care at home" went straight to adult social care: "help" is filler, so the words read
"home", which housing, energy and equipment use as much as care does."""


@pytest.mark.parametrize("said", HOME_CARE)
def test_help_at_home_goes_straight_to_adult_care_by_the_words_alone(
    demo_kb: KnowledgeBase, said: str
) -> None:
    """The lexical line alone: what a person gets before the meaning model has loaded."""
    conversation = Conversation(demo_kb, channel="kiosk", site="test")
    view = conversation.say(said)
    assert conversation.state.topic_id == "adult-social-care", view.kind
    assert isinstance(view, QuestionView)


@pytest.mark.parametrize("said", HOME_CARE)
def test_help_at_home_goes_straight_to_adult_care_with_the_meaning_model(
    demo_kb: KnowledgeBase, rankers: dict[str, Ranker], said: str
) -> None:
    matcher = rankers["final blend"]
    assert isinstance(matcher, TopicRanker)
    understanding = Understanding(demo_kb, topics=matcher)
    conversation = Conversation(demo_kb, channel="kiosk", site="test", understanding=understanding)
    view = conversation.say(said)
    assert conversation.state.topic_id == "adult-social-care", view.kind
    assert isinstance(view, QuestionView)


def test_help_at_home_in_plain_chat_asks_adult_cares_first_question(tmp_path: Path) -> None:
    """The real command on the demo, the meaning model loaded (plain chat waits for it)."""
    environment = {
        **os.environ,
        "NAVIGATOR_DATA_DIR": str(tmp_path / "data"),
        "NAVIGATOR_CONFIG": str(tmp_path / "none.toml"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "navigator.cli", "chat", "--plain", "--kb", str(REPO / "knowledge")],
        input=b"help at home\n",
        capture_output=True,
        env=environment,
        timeout=120,
        check=False,
    )
    shown = done.stdout.decode("utf-8").splitlines()
    assert done.returncode == 0, done.stderr.decode("utf-8")
    assert "Which of these is closest?" not in shown
    assert "Care and support for adults, step 1" in shown
    assert "What sort of help are you looking for?" in shown
