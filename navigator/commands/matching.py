"""`navigator match`: how Navigator reads free text, for content staff and scripts.

Content staff use it to see what a phrasing lands on after editing keywords;
scripts use `--json` (one object per input line) to measure a batch of
phrasings. Each text goes through the same understanding pipeline as a
conversation (`navigator.engine.understanding.pipeline`), so safeguarding is checked
first and reported beside the matches: which kind, which line decided (a sign phrase,
meaning, or the check-in question) and the examples it leaned on, so content staff can
see why. Topic scorers a council installed (`navigator.topic_scorers`) are fused in;
one that fails to load is named on standard error and left out.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from navigator.commands.loading import limits_for, load_knowledge
from navigator.config import Settings
from navigator.engine.matching import TopicScore
from navigator.engine.understanding.contextual import ContextualModel
from navigator.engine.understanding.embedding import EmbeddingModel
from navigator.engine.understanding.extensions import installed_scorers
from navigator.engine.understanding.pipeline import Reading, Understanding
from navigator.engine.understanding.verdict import SafetyVerdict
from navigator.kb import KnowledgeBase

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2
STDIN = "-"


def match(arguments: argparse.Namespace, settings: Settings) -> int:
    """Print the ranked topics for each text; `-` reads one text per line from stdin."""
    # A content-staff tool for work in progress: it shows nothing to residents, so a
    # knowledge base with errors is read as it is (as `navigator graph` does).
    knowledge = load_knowledge(
        settings.knowledge, "match", allow_broken=True, limits=limits_for(settings)
    )
    if knowledge is None:
        return EXIT_UNREADABLE
    understanding = understanding_for(knowledge, settings)
    for text in _texts(arguments.texts, sys.stdin):
        reading = understanding.read(text)
        sign, matches = reading.safety, _confident(reading)
        if arguments.json:
            found = {**_as_json(text, sign, matches), "language": reading.language_code}
            print(json.dumps(found, ensure_ascii=False), flush=True)
        else:
            _print_text(text, sign, matches, knowledge, sys.stdout)
    return EXIT_OK


def understanding_for(
    knowledge: KnowledgeBase, settings: Settings, *, early: bool = True
) -> Understanding:
    """The understanding pipeline the command-line tools read text with: every stage with
    the meaning models from `settings`, and the topic scorers a council installed (a
    scorer that fails to load is named on standard error, once, and left out).

    `early`: start loading the meaning model now, in a thread (see
    `Understanding.with_meaning`)."""
    scorers, problems = installed_scorers(knowledge)
    for problem in problems:
        print(problem, file=sys.stderr)
    return Understanding.with_meaning(
        knowledge,
        EmbeddingModel(weights=settings.meaning_model),
        ContextualModel(weights=settings.contextual_model),
        early=early,
        scorers=scorers,
    )


def _texts(arguments: Iterable[str], stdin: TextIO) -> Iterator[str]:
    """Each text to match, in order; `-` stands for every line of standard input."""
    for argument in arguments:
        if argument == STDIN:
            for line in stdin:
                text = line.rstrip("\r\n")
                if text.strip():
                    yield text
        else:
            yield argument


def _confident(reading: Reading) -> list[TopicScore]:
    """The topics worth showing, best first: the one clearly ahead, the close choices, or none.

    Only the pipeline's decision is shown, so what is printed is what a person
    typing the text would be offered.
    """
    return list(reading.topics.candidates)


def _as_json(text: str, sign: SafetyVerdict | None, matches: list[TopicScore]) -> dict[str, object]:
    return {
        "text": text,
        "safeguarding": _safeguarding_json(sign) if sign is not None else False,
        "matches": [
            {"topic": scored.topic_id, "need": scored.need_id, "score": scored.score}
            for scored in matches
        ],
    }


def _safeguarding_json(sign: SafetyVerdict) -> dict[str, object]:
    """Which kind, which line fired (`sign`, `meaning`, `check-in`), and what it leaned on;
    for the meaning lines also which view decided (`margins` or `trained`), the trained
    view's probability of a crisis (null when it did not read the text), and `read_as`: the
    English a Welsh message was glossed into when the English line decided on it (null when
    it was read as written)."""
    found: dict[str, object] = {
        "kind": sign.kind_id,
        "line": sign.line,
        "nearest": [{"example": near.example, "score": near.score} for near in sign.nearest],
    }
    if sign.line != "sign":
        found["view"] = sign.view
        found["trained"] = sign.trained
        found["read_as"] = sign.read_as  # session 9 welshgloss: the English a gloss gave
    return found


def _print_text(
    text: str,
    sign: SafetyVerdict | None,
    matches: list[TopicScore],
    knowledge: KnowledgeBase,
    out: TextIO,
) -> None:
    print(text, file=out)
    if sign is not None:
        print(f"  safeguarding: {sign.kind_id} (line: {sign.line})", file=out)
        if sign.read_as is not None:
            print(f"    read as: {sign.read_as}", file=out)
        for near in sign.nearest:
            print(f"    {near.score:.2f}  {near.example}", file=out)
    if not matches:
        print("  no confident match: the person would be offered the topic list", file=out)
    for place, scored in enumerate(matches, start=1):
        topic = knowledge.topics[scored.topic_id]
        print(
            f"  {place}. {scored.score:5.1f}  {scored.topic_id} ({scored.need_id}): {topic.title}",
            file=out,
        )
