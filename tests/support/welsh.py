"""Is every service card at the end of a Welsh journey in Welsh? (issue 19)

The texts a card shows are compared with the knowledge base's own `cy`, so a
card that fell back to English (a text with no Welsh) is named, field by field.
"""

from __future__ import annotations

import re

from navigator.engine.views import ServiceView
from navigator.engine.wording import Wording
from navigator.kb import KnowledgeBase
from navigator.kb.model import Text

ENGLISH_REASON = re.compile(r"\b(because|anyone|you|they)\b", re.IGNORECASE)
"""Words every English "why" sentence has, and no Welsh one."""


def english_on_cards(services: tuple[ServiceView, ...], knowledge: KnowledgeBase) -> list[str]:
    """`service-id field` for each text on these cards that is not the service's Welsh."""
    problems: list[str] = []
    welsh = Wording(knowledge, "cy")  # fills in rates ({healthy_start.weekly}) as the card does
    for card in services:
        service = knowledge.services[card.service_id]
        shown: dict[str, tuple[str, Text | None]] = {
            "name": (card.name, service.name),
            "description": (card.description, service.description),
            "provider": (card.provider, service.provider),
            "cost": (card.cost, service.cost_options),
            "schedules": (card.schedules, service.schedules),
            "eligibility_description": (
                card.eligibility_description,
                service.eligibility_description,
            ),
            "how_to_start": (card.contact.how_to_start, service.contact.how_to_start),
            "address": (card.contact.address, service.contact.address),
        }
        for field, (words, text) in shown.items():
            if text is not None and ("cy" not in text.translations or words != welsh.text(text)):
                problems.append(f"{card.service_id} {field}")
        if ENGLISH_REASON.search(card.reason):
            problems.append(f"{card.service_id} reason: {card.reason}")
    return problems
