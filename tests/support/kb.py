"""The test borough on disk, with the real app and engine words beside it.

Every copy takes `knowledge/messages/` from the repository, so the tests read
the words residents really see, and a test that writes into its copy cannot
change what another test reads.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from navigator.kb import KnowledgeBase, load

REPO = Path(__file__).resolve().parents[2]
TEST_BOROUGH = Path(__file__).resolve().parent / "data" / "kb"
MESSAGES = REPO / "knowledge" / "messages"

Change = Callable[[dict[str, Any]], None]


def copy_test_borough(root: Path) -> Path:
    """Copy the test borough and the real messages into `root` (made if missing)."""
    shutil.copytree(TEST_BOROUGH, root, dirs_exist_ok=True)
    shutil.copytree(MESSAGES, root / "messages")
    return root


def write_test_borough_variant(root: Path, change: Change) -> Path:
    """Copy the test borough into `root`, with `change` applied to its parsed YAML.

    For the rare test that needs the borough a little different (say why where
    it is used): the variant is still real YAML on disk, read by the real loader.
    """
    copy_test_borough(root)
    borough = root / "borough.yaml"
    data: dict[str, Any] = yaml.safe_load(borough.read_text(encoding="utf-8"))
    change(data)
    borough.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return root


def load_ok(root: Path) -> KnowledgeBase:
    """Load a knowledge base that must load cleanly; the assertion lists what did not."""
    result = load(root)
    assert result.ok, [str(diagnostic) for diagnostic in result.diagnostics]
    return result.knowledge
