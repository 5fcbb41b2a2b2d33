"""The browser page's own words, from the `messages:` in knowledge/messages/web.yaml.

The page around the app (its quick-exit link, its notices) is read by
residents too, so its words belong to content staff like the app's.
"""

from __future__ import annotations

from enum import StrEnum

from navigator.kb import KnowledgeBase


class PageMsg(StrEnum):
    """Every message key the browser page uses."""

    QUICK_EXIT = "web_quick_exit"
    LINKS = "web_links"
    START = "web_start"
    BUSY = "web_busy"
    TRY_AGAIN = "web_try_again"


def page_words(knowledge: KnowledgeBase, language: str) -> dict[str, str]:
    """Each page key and its words in `language` (a key with no words shows as itself)."""
    return {key.value: knowledge.message(key.value, language) for key in PageMsg}


def missing_page_words(knowledge: KnowledgeBase) -> list[str]:
    """Page keys the knowledge base does not define."""
    return [key.value for key in PageMsg if key.value not in knowledge.messages]
