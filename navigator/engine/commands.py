"""Commands a person can type at any point: back, start again, help, talk to a person, finish.

The words for each command live in the knowledge base's `vocabulary.commands`,
so content staff can add "go back", "start over" or a dialect word without a
release. In a session in another language, that language's command words
(`vocabulary.languages.<code>.commands`: "yn ôl", "dechrau eto") work too, with
the English ones beside them. A command is the whole of what was typed (perhaps with filler such as
"please"): "I want to go back to work" is a request about work, not "back".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from enum import StrEnum

from navigator.engine.textnorm import normalise
from navigator.kb.model import DEFAULT_LANGUAGE, Vocabulary


class Command(StrEnum):
    """The commands the conversation understands; each value is its vocabulary id."""

    BACK = "back"
    START_AGAIN = "start_again"
    HELP = "help"
    TALK_TO_PERSON = "talk_to_person"
    FINISH = "finish"


TYPO_SCORE = 88.0
"""A typed command this close to a command phrase counts ("strat again", "go bak")."""
MIN_TYPO_LENGTH = 6
"""Phrases shorter than this must be typed exactly: "back" and "bank" are different words."""


def parse_command(
    text: str, vocabulary: Vocabulary, language: str = DEFAULT_LANGUAGE
) -> Command | None:
    """The command `text` gives, or None when it is anything else.

    Filler words around the command are ignored ("back please"), unless the
    command phrase itself uses them. Long phrases may carry a typo; short ones
    must be exact. `language` adds that language's command words and filler.
    """
    typed = normalise(text).split()
    if not typed:
        return _symbol_command(text, vocabulary)
    own = vocabulary.languages.get(language) if language != DEFAULT_LANGUAGE else None
    fillers = [*vocabulary.filler, *(own.filler if own is not None else ())]
    filler = {word for phrase in fillers for word in normalise(phrase).split()}
    best: tuple[float, Command] | None = None
    for command_id, phrases in _command_phrases(vocabulary, language):
        command = _command_for(command_id)
        if command is None:
            continue
        for phrase in phrases:
            wanted = normalise(phrase)
            if not wanted:
                continue
            words = set(wanted.split())
            kept = " ".join(word for word in typed if word in words or word not in filler)
            score = _closeness(kept, wanted)
            if score and (best is None or score > best[0]):
                best = (score, command)
    return best[1] if best else None


def _command_phrases(vocabulary: Vocabulary, language: str) -> Iterator[tuple[str, Sequence[str]]]:
    """Each command's English phrases, then its phrases in `language` (when it has some)."""
    yield from vocabulary.commands.items()
    own = vocabulary.languages.get(language) if language != DEFAULT_LANGUAGE else None
    if own is not None:
        yield from own.commands.items()


def _symbol_command(text: str, vocabulary: Vocabulary) -> Command | None:
    """A command written as a symbol, such as "?" for help, which normalising would erase."""
    typed = text.strip()
    if not typed:
        return None
    for command_id, phrases in vocabulary.commands.items():
        command = _command_for(command_id)
        if command is not None and any(p.strip() == typed for p in phrases if not normalise(p)):
            return command
    return None


def _closeness(typed: str, phrase: str) -> float:
    if typed == phrase:
        return 100.0
    if min(len(typed), len(phrase)) < MIN_TYPO_LENGTH:
        return 0.0
    import rapidfuzz  # here, not on top: start-up time (the package, see engine/matching.py)

    score = float(rapidfuzz.fuzz.ratio(typed, phrase))
    return score if score >= TYPO_SCORE else 0.0


def _command_for(command_id: str) -> Command | None:
    try:
        return Command(command_id.replace("-", "_"))
    except ValueError:
        return None
