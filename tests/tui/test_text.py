"""Every word the app shows comes from the knowledge base, and every key it uses is there."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml

from navigator.kb import KnowledgeBase, load
from navigator.tui.text import AppText, Msg

REPO = Path(__file__).resolve().parents[2]
APP_MESSAGES = REPO / "knowledge" / "messages" / "app.yaml"
TUI = REPO / "navigator" / "tui"


def test_every_key_the_app_uses_is_in_app_yaml() -> None:
    defined = yaml.safe_load(APP_MESSAGES.read_text(encoding="utf-8"))["messages"]
    missing = [key.value for key in Msg if key.value not in defined]
    assert missing == []


def test_app_yaml_has_no_words_the_app_never_uses() -> None:
    defined = set(yaml.safe_load(APP_MESSAGES.read_text(encoding="utf-8"))["messages"])
    assert defined - {key.value for key in Msg} == set()


def test_the_demo_knowledge_base_loads_the_app_words() -> None:
    knowledge = load(REPO / "knowledge").knowledge
    assert AppText(knowledge).missing() == []


def test_placeholders_are_filled_and_unknown_ones_left_visible(test_kb: KnowledgeBase) -> None:
    text = AppText(test_kb)
    assert text(Msg.CARD_PHONE, number="01632 960 001") == "Phone: 01632 960 001"
    assert text(Msg.PROGRESS_STEP, topic="Help at home") == "Help at home: step {step}"


def test_a_stray_brace_in_the_words_never_raises(test_kb: KnowledgeBase) -> None:
    from navigator.kb.schema import Text

    stray = Text.model_validate("Phone {")
    knowledge = KnowledgeBase(root=test_kb.root, messages={"app_card_phone": stray})
    assert AppText(knowledge)(Msg.CARD_PHONE, number="1") == "Phone {"


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of docstring nodes, which are for developers, not residents."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def test_python_in_the_app_holds_no_resident_sentences() -> None:
    """String literals in the app's screens and widgets that read like sentences are a smell:
    resident words belong in knowledge/messages/app.yaml."""
    sentence = re.compile(r"^[A-Z][a-z']+(?: [a-z']+){3,}[.?!]?$")
    offenders = []
    for path in [*TUI.glob("screens/*.py"), *TUI.glob("widgets/*.py"), TUI / "app.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                skip.add(id(node.value))  # attribute docstrings
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in {
                "error",
                "warning",
                "info",
            }:
                skip.update(id(child) for child in ast.walk(node))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
                and sentence.match(node.value.strip())
            ):
                offenders.append(f"{path.name}:{node.lineno}: {node.value}")
    assert offenders == []


def test_every_key_is_used_somewhere() -> None:
    """A key nobody uses is words content staff would edit for nothing."""
    code = "\n".join(
        path.read_text(encoding="utf-8")
        for path in (REPO / "navigator").rglob("*.py")
        if path != TUI / "text.py"
    )
    unused = [key.name for key in Msg if not re.search(rf"(?<!\w)Msg\.{key.name}\b", code)]
    assert unused == []
