"""Textual's parsed CSS, kept between starts so a start does not parse the same CSS again.

Textual parses every CSS source (the app's and the screens' files, each widget's
`DEFAULT_CSS`, its own) with a tokenizer and parser written in Python, at every
start, and keeps the result only in memory (`Stylesheet._parse_cache`): about
10 ms of the first screen's processor time, a tenth of what Navigator adds to a
bare Textual app's start (issue 12's budget, `docs/performance.md`). Unpickling
the same rules takes about a millisecond.

What Textual parses depends only on the CSS text, where it was read from, its
priority and scope (the in-memory cache's own key, kept with each entry here), on
the theme's variables (substituted while parsing) and on Textual's parser. So the
file is keyed by the variables, Textual's CSS code (each file's size and
modification time) and Python's version; an entry is used only for exactly the
text it was parsed from, so an edited `.tcss` file is parsed again.

The cache is only ever a shortcut: a missing, damaged or other-keyed file, or one
another user wrote, is a miss (Textual parses as it always did), and the file is
written again after the first screen, when this start parsed anything new. Rules
with errors are never kept, so Textual reports a broken style sheet as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import textual
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet

Key = tuple[Any, ...]
"""Textual's own key of a parse: the CSS text, where it was read from, priority and scope."""

FORMAT = 1
"""Bump when the layout of the file changes."""

FILE_NAME = "textual-styles.pickle"

_TEXTUAL_CSS_CODE = Path(textual.__file__).resolve().parent / "css"


def style_key(variables: Mapping[str, str]) -> str:
    """What parsed rules depend on besides their own text: the theme's variables,
    Textual's CSS code and Python's version."""
    parts = [f"format={FORMAT}", sys.version]
    parts += [f"{name}={value}" for name, value in sorted(variables.items())]
    for path in sorted(_TEXTUAL_CSS_CODE.glob("*.py")):
        status = path.stat()
        parts.append(f"{path.name}|{status.st_size}|{status.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def restore(stylesheet: Stylesheet, folder: Path) -> frozenset[Key]:
    """Put the rules kept in `folder` into `stylesheet`'s parse cache; the keys put back.

    Call it once the theme's variables are set and before any CSS is parsed (setting
    the variables empties Textual's cache). Nothing is restored on any problem.
    """
    try:
        entries = _read(folder / FILE_NAME, style_key(_variables(stylesheet)))
    except Exception:  # a cache of any kind of damage is a miss: Textual parses as usual
        return frozenset()
    if entries is None:
        return frozenset()
    for key, rules in entries.items():
        stylesheet._parse_cache[key] = rules
    return frozenset(entries)


def keep(stylesheet: Stylesheet, folder: Path, restored: frozenset[Key]) -> bool:
    """Write `stylesheet`'s parsed rules to `folder` if it parsed anything not restored.

    Whether the file was written; a folder that cannot be written is left alone.
    """
    entries = {
        key: rules
        for key in list(stylesheet._parse_cache.keys())
        if (rules := stylesheet._parse_cache.get(key)) is not None
        and not any(rule.errors for rule in rules)
    }
    if not entries or set(entries) <= restored:
        return False
    try:
        data = pickle.dumps(
            (style_key(_variables(stylesheet)), entries), protocol=pickle.HIGHEST_PROTOCOL
        )
        _write(folder / FILE_NAME, data)
    except Exception:  # a cache that cannot be written only makes the next start slower
        return False
    return True


def _variables(stylesheet: Stylesheet) -> Mapping[str, str]:
    return stylesheet._variables


def _read(path: Path, key: str) -> dict[Key, list[RuleSet]] | None:
    """The entries kept at `path` under `key`; None when there are none for it."""
    try:
        with path.open("rb") as stream:
            if hasattr(os, "getuid") and os.fstat(stream.fileno()).st_uid != os.getuid():
                return None  # never unpickle a file someone else could have written
            kept_key, entries = pickle.load(stream)
    except FileNotFoundError:
        return None
    if kept_key != key or not _well_formed(entries):
        return None
    return entries  # type: ignore[no-any-return]


def _well_formed(entries: Any) -> bool:
    return isinstance(entries, dict) and all(
        isinstance(rules, list) and all(isinstance(rule, RuleSet) for rule in rules)
        for rules in entries.values()
    )


def _write(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (a start never reads half a file)."""
    import tempfile  # after the first screen only

    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(prefix=".styles-", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        temporary.replace(path)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
