"""Topic scorers a council installs as a package, found by entry point at start.

A council that wants its own way of ranking topics (a rules table, its own model)
writes a `TopicScorer` (`navigator.engine.understanding.topics`) in its own package
and declares it in that package's `pyproject.toml`:

    [project.entry-points."navigator.topic_scorers"]
    rules = "council_rules:RulesScorer"

The entry point names a callable that takes the knowledge base and returns the
scorer (a class whose constructor takes the knowledge base will do). Navigator's
front ends read the group once at start and give what it finds to the understanding
pipeline, which fuses it with the lexical index and meaning. Nothing else changes.

A scorer that cannot be imported or built must not stop a kiosk: it is left out, and
the reason is logged once (and printed by the command-line tools), in words that say
which package to fix or remove.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from navigator.engine.understanding.topics import TopicScorer
from navigator.kb.knowledge import KnowledgeBase

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

log = logging.getLogger(__name__)

SCORER_GROUP = "navigator.topic_scorers"
"""The entry-point group a council's topic scorers are declared under."""


def installed_scorers(
    knowledge: KnowledgeBase, group: str = SCORER_GROUP
) -> tuple[tuple[TopicScorer, ...], tuple[str, ...]]:
    """Every installed scorer built for `knowledge`, and a message for each that failed.

    Each problem is also logged as a warning; the scorers that work are kept.
    """
    # Here, not on top: importlib.metadata brings email, csv and zipfile (10-25 ms), and
    # the apps import this module on the way to their first screen but read it after.
    from importlib.metadata import entry_points

    scorers: list[TopicScorer] = []
    problems: list[str] = []
    for entry in sorted(entry_points(group=group), key=lambda found: found.name):
        scorer, problem = _built(entry, knowledge, group)
        if scorer is not None:
            scorers.append(scorer)
        if problem is not None:
            log.warning("%s", problem)
            problems.append(problem)
    return tuple(scorers), tuple(problems)


def _built(
    entry: EntryPoint, knowledge: KnowledgeBase, group: str
) -> tuple[TopicScorer | None, str | None]:
    """The scorer an entry point makes, or the reason it could not, in a sentence."""
    where = f"topic scorer '{entry.name}' ({entry.value}, entry point group {group})"
    after = "Topics are ranked without it: fix or uninstall the package that provides it."
    try:
        factory = entry.load()
    except Exception as error:  # any import failure: the kiosk carries on without it
        return None, f"The {where} could not be imported: {_said(error)}. {after}"
    try:
        scorer = factory(knowledge)
    except Exception as error:  # a scorer's own bug must not stop the kiosk either
        return None, f"The {where} could not be built: {_said(error)}. {after}"
    missing = [part for part in ("name", "weight", "scores") if not hasattr(scorer, part)]
    if missing:
        return None, f"The {where} is not a topic scorer: it has no {', '.join(missing)}. {after}"
    return scorer, None


def _said(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
