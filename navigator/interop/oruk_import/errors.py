"""The one error an import raises: what was refused, and what to do about it."""

from __future__ import annotations


class ImportRefused(Exception):
    """The source cannot be imported safely; nothing was written.

    The message is for content staff: it names the URL or file and says what
    to do. The last good import, if any, is left exactly as it was.
    """
