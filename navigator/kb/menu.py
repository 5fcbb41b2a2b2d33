"""The order of the topic menu: written once by content staff, so numbers do not move.

Residents press a topic's number, advocates learn them, and transcripts and
tests press them too. Without a menu, topics come in file-name order, so a
new topic file ("energy.yaml") would shift every number after it. With
`menu:` (in `knowledge/menu.yaml`), the listed topics come first in the
order written; a topic left out still appears, after them, and the
validator says to add it at the end, where it moves no one else's number.
"""

from __future__ import annotations

from collections.abc import Iterator

from navigator.kb.diagnostics import Diagnostic, error, warning
from navigator.kb.knowledge import KnowledgeBase


def put_in_menu_order(knowledge: KnowledgeBase) -> None:
    """Reorder `knowledge.topics` as the menu lists them, then any unlisted in file order.

    Everything that offers topics reads `knowledge.topics` in order, so doing it
    once here keeps the menu's numbers the same on every screen and in the cache.
    """
    if not knowledge.menu:
        return
    topics = knowledge.topics
    listed = [topic_id for topic_id in dict.fromkeys(knowledge.menu) if topic_id in topics]
    rest = [topic_id for topic_id in topics if topic_id not in set(listed)]
    knowledge.topics = {topic_id: topics[topic_id] for topic_id in (*listed, *rest)}


def check_menu(knowledge: KnowledgeBase) -> Iterator[Diagnostic]:
    """Menu entries that name no topic or name one twice (errors); topics it leaves out."""
    if knowledge.menu is None:
        return
    seen: set[str] = set()
    for index, topic_id in enumerate(knowledge.menu):
        where = knowledge.where("menu", "", index)
        field = knowledge.field_of("menu", "", index)
        if topic_id in seen:
            yield error(
                "menu-duplicate",
                f"topic '{topic_id}' is in the menu twice. Keep the first; removing a later "
                "one moves the numbers of the topics after it.",
                where,
                field,
            )
        elif topic_id not in knowledge.topics and ("topics", topic_id) not in knowledge.skipped:
            yield error(
                "menu-unknown-topic",
                f"the menu lists topic '{topic_id}', which does not exist. Check the spelling "
                "against the topic's 'id:', or remove the line.",
                where,
                field,
            )
        seen.add(topic_id)
    for topic in knowledge.topics.values():
        if topic.id not in seen:
            yield warning(
                "not-in-menu",
                f"topic '{topic.id}' is not in the menu, so it is shown after the listed "
                "topics. Add it at the end of 'menu:', so no other topic's number moves.",
                knowledge.where("topics", topic.id),
                knowledge.field_of("topics", topic.id),
            )
