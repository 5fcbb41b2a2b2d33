"""What the resident app has imported by the time its first question is interactive.

The first screen must be up within 1.5x a bare Textual app (issue 12), so the heavy
libraries wait until after it: the records store (SQLAlchemy), the meaning models
(numpy, onnxruntime, safetensors, tokenizers), the language model (lingua), the
fuzzy matcher (rapidfuzz), the installed scorers' entry points (importlib.metadata,
which brings email, csv and zipfile) and, from the knowledge cache, the YAML reader
and its schema (PyYAML, pydantic). A fresh Python process runs the real app headless
on the demo knowledge base, started as `navigator` starts it (the knowledge cache
warmed by an earlier start), and reports what it had imported when the keyboard
reached the first answer and the first frame was drawn. The slow set-up is given a
long delay (`AppConfig.background_delay_seconds`), so it cannot start and import
its own libraries before the check, however slow the machine. It also reports which
of the knowledge sections the cache keeps encoded until first read (services, facts,
locations, questions: `navigator.kb.cache.LATER_SECTIONS`) had been decoded by then: none should be.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(180)

HEAVY = (
    "sqlalchemy",
    "numpy",
    "onnxruntime",
    "safetensors",
    "tokenizers",
    "scipy",
    "lingua",
    "rapidfuzz",
    "importlib.metadata",
    "yaml",
    "pydantic",
)
"""Modules none of which the first screen needs."""

SCRIPT = """
import json, sys
from dataclasses import replace
from pathlib import Path

from navigator.commands.app import quick_start

with quick_start():
    from navigator.commands.loading import open_knowledge
    from navigator.config import load_settings
    from navigator.tui.app import AppConfig, NavigatorApp
    from navigator.tui.widgets.quick_replies import QuickReplies

    data, cache, heavy = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
    settings = replace(load_settings(), data_dir=data)
    knowledge = open_knowledge(settings.knowledge, "", cache_dir=cache).knowledge
    if sys.argv[4] == "warm":  # only filled the cache, as a first start does
        raise SystemExit(0)
    config = AppConfig(settings=settings, knowledge=knowledge, background_delay_seconds=3600)
    app = NavigatorApp(config)
report = {}

async def pilot(driver):
    while not isinstance(app.focused, QuickReplies):
        await driver.pause(0.01)
    await driver.pause()
    report["imported"] = sorted(name for name in heavy if name in sys.modules)
    report["matcher_built"] = app.matcher.built
    from navigator.kb.cache import LATER_SECTIONS
    report["decoded"] = [name for name in LATER_SECTIONS if name in vars(knowledge)]
    app.exit()

app.run(headless=True, size=(100, 40), auto_pilot=pilot)
print(json.dumps(report))
"""


def _start(tmp_path: Path, stage: str) -> str:
    env = {"NAVIGATOR_CONFIG": str(tmp_path / "none.toml"), "PATH": "/usr/bin:/bin"}
    arguments = [str(tmp_path / "data"), str(tmp_path / "cache"), json.dumps(HEAVY), stage]
    finished = subprocess.run(
        [sys.executable, "-c", SCRIPT, *arguments],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
        timeout=150,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout


def test_the_first_question_is_interactive_before_any_heavy_library_is_imported(
    tmp_path: Path,
) -> None:
    _start(tmp_path, "warm")
    report = json.loads(_start(tmp_path, "run").strip().splitlines()[-1])
    assert report == {"imported": [], "matcher_built": False, "decoded": []}
