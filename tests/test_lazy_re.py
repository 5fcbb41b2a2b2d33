"""Patterns compiled on first use (`navigator/lazy_re.py`): the same answers as `re.compile`,
and none of the start's patterns compiled by importing the app (issue 12's start-up)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from navigator.lazy_re import LazyPattern

REPO = Path(__file__).resolve().parents[1]


def test_a_lazy_pattern_answers_as_the_compiled_one() -> None:
    source, flags = r"\b([a-z]+)(\d*)\b", re.IGNORECASE
    lazy, compiled = LazyPattern(source, flags), re.compile(source, flags)
    assert lazy._compiled is None
    assert (lazy.pattern, lazy.flags) == (source, flags)
    assert lazy._compiled is None, "reading the pattern's source does not compile it"
    text = "Flat 12, Abc Road; apt9 x"

    def groups(match: re.Match[str] | None) -> object:
        return None if match is None else (match.span(), match.groups())

    assert groups(lazy.search(text)) == groups(compiled.search(text))
    assert groups(lazy.search(text, 5)) == groups(compiled.search(text, 5))
    assert groups(lazy.match(text)) == groups(compiled.match(text))
    assert groups(lazy.fullmatch("abc12")) == groups(compiled.fullmatch("abc12"))
    assert lazy.findall(text) == compiled.findall(text)
    assert [groups(m) for m in lazy.finditer(text)] == [groups(m) for m in compiled.finditer(text)]
    assert lazy.split(text, maxsplit=2) == compiled.split(text, maxsplit=2)
    assert lazy.sub("-", text) == compiled.sub("-", text)
    assert lazy.sub(lambda m: m.group(1).upper(), text, 1) == compiled.sub(
        lambda m: m.group(1).upper(), text, 1
    )
    assert lazy.compiled is lazy.compiled


SCRIPT = """
import json, sys
import navigator.tui.app, navigator.commands.loading, navigator.kb.places
from navigator.lazy_re import LazyPattern
lazy = [
    value
    for module in list(sys.modules.values()) if module and module.__name__.startswith("navigator")
    for value in vars(module).values() if isinstance(value, LazyPattern)
]
print(json.dumps({"lazy": len(lazy), "compiled": [p.pattern for p in lazy if p._compiled]}))
"""


def test_importing_the_app_compiles_none_of_the_lazy_patterns() -> None:
    finished = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
        timeout=120,
    )
    report = json.loads(finished.stdout.strip().splitlines()[-1])
    assert report["lazy"] >= 15
    assert report["compiled"] == []
