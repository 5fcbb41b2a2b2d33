"""`navigator match`: how Navigator reads free text, for content staff and scripts.

Content staff use it to see what a phrasing lands on after editing keywords;
scripts use `--json` (one object per input line) to measure a batch of
phrasings. Safeguarding is checked first, as in a conversation, and reported
beside the matches.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from navigator.commands.loading import limits_for, load_knowledge
from navigator.config import Settings
from navigator.engine.matching import TopicMatcher, TopicScore
from navigator.engine.safeguarding import CrisisSign, SafeguardingDetector
from navigator.kb import KnowledgeBase

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2
STDIN = "-"


def match(arguments: argparse.Namespace, settings: Settings) -> int:
    """Print the ranked topics for each text; `-` reads one text per line from stdin."""
    knowledge = load_knowledge(settings.knowledge, "match", limits=limits_for(settings))
    if knowledge is None:
        return EXIT_UNREADABLE
    matcher = TopicMatcher(knowledge)
    detector = SafeguardingDetector.for_knowledge(knowledge)
    for text in _texts(arguments.texts, sys.stdin):
        sign = detector.check(text)
        matches = _confident(matcher, text)
        if arguments.json:
            print(json.dumps(_as_json(text, sign, matches), ensure_ascii=False), flush=True)
        else:
            _print_text(text, sign, matches, knowledge, sys.stdout)
    return EXIT_OK


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


def _confident(matcher: TopicMatcher, text: str) -> list[TopicScore]:
    """The topics worth showing, best first: the one clearly ahead, the close choices, or none.

    Only the matcher's decision is shown, so what is printed is what a person
    typing the text would be offered.
    """
    return list(matcher.decide(text).candidates)


def _as_json(text: str, sign: CrisisSign | None, matches: list[TopicScore]) -> dict[str, object]:
    return {
        "text": text,
        "safeguarding": sign is not None,
        "matches": [
            {"topic": scored.topic_id, "need": scored.need_id, "score": scored.score}
            for scored in matches
        ],
    }


def _print_text(
    text: str,
    sign: CrisisSign | None,
    matches: list[TopicScore],
    knowledge: KnowledgeBase,
    out: TextIO,
) -> None:
    print(text, file=out)
    if sign is not None:
        print(
            f"  safeguarding: {sign.kind_id} (sign '{sign.phrase}', score {sign.score:.0f})",
            file=out,
        )
    if not matches:
        print("  no confident match: the person would be offered the topic list", file=out)
    for place, scored in enumerate(matches, start=1):
        topic = knowledge.topics[scored.topic_id]
        print(
            f"  {place}. {scored.score:5.1f}  {scored.topic_id} ({scored.need_id}): {topic.title}",
            file=out,
        )
