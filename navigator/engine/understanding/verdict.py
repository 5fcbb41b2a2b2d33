"""What the safeguarding lines decide about a text: one verdict, whichever line decided.

Its own module because every line makes one (the sign lexicon, `signs`; the meaning
lines, `safety` and `gloss`) and the detector, the pipeline, the conversation and
`navigator match` all read it.
"""

from __future__ import annotations

import msgspec

from navigator.engine.understanding.safety import Line, Nearest, View

__all__ = ["SafetyVerdict"]


class SafetyVerdict(msgspec.Struct, frozen=True):
    """What the safeguarding lines decided about a text, and why (for content staff)."""

    kind_id: str
    line: Line
    """`sign` (a sign phrase), `meaning` (close to the examples): show the crisis panel;
    `check-in`: ask the calm question first."""
    phrase: str = ""
    """The sign phrase, for the sign line."""
    nearest: tuple[Nearest, ...] = ()
    """What the decision leaned on, with scores from 0 to 1: the sign phrase for the
    sign line, the nearest examples for the meaning lines."""
    view: View = "margins"
    """For the meaning lines: which view decided, the examples' `margins` or the `trained`
    view alone (the sign line: `margins`, unused)."""
    trained: float | None = None
    """The trained view's probability that the text is a crisis, when it read it."""
    read_as: str | None = None
    """The English a message in another language was read as (its gloss), when the English
    line decided on it; None otherwise."""
