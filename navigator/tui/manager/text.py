"""The managers' review's words, looked up by key like the resident app's (`navigator.tui.text`).

The words live in `knowledge/messages/manager.yaml`, so content staff can change them
without a release. The review is in English only. A key the knowledge base does not
define shows as the key itself: visible in testing, never an error on a manager's screen.
"""

from __future__ import annotations

from enum import StrEnum

from navigator.engine.wording import fill
from navigator.kb.knowledge import KnowledgeBase


class ManagerMsg(StrEnum):
    """Every message key the managers' review uses."""

    SYMBOL_KEY = "manager_symbol_key"
    """The on-screen key to "[c]", the one symbol printed for a hidden figure, in the
    methodology's words (every export prints the same "[c]"); `{threshold}` is filled in."""
    SYMBOL_SHORT = "manager_symbol_short"
    """The same key, short, for the screen's subtitle."""
    NO_RECORDS = "manager_no_records"
    """Under a figure's title when the filters leave it no rows."""
    NO_PACKS = "manager_no_packs"
    """"Compare places" with no pack to read, and what to do about it."""


def manager_text(knowledge: KnowledgeBase, key: ManagerMsg, **values: object) -> str:
    """The words for `key`, with `values` filled in."""
    return fill(knowledge.message(key.value), values)


def missing(knowledge: KnowledgeBase) -> list[str]:
    """Keys the review uses that `knowledge` does not define."""
    return [key.value for key in ManagerMsg if key.value not in knowledge.messages]
