"""What the rest of Navigator relies on a knowledge base to declare.

The engine ends conversations with these unmet-need reasons and the front ends
show these messages, so a knowledge base without them would fail part-way
through a real conversation. The validator checks them; other layers add the
keys they use here, next to the code that relies on them being present.
"""

from __future__ import annotations

from dataclasses import dataclass

REQUIRED_REASONS: tuple[str, ...] = (
    "no_service",
    "ineligible",
    "waiting_list",
    "out_of_area",
    "cannot_access",
    "not_helpful",
    "unmatched",
)
"""Unmet-need reasons the engine records by itself, so every knowledge base must declare them."""

REQUIRED_MESSAGES: tuple[str, ...] = ()
"""Message keys the engine and front ends look up in `messages:`."""


@dataclass(frozen=True)
class Requirements:
    """The ids a knowledge base must declare. Passed in, so tests can ask for others."""

    reasons: tuple[str, ...] = REQUIRED_REASONS
    messages: tuple[str, ...] = REQUIRED_MESSAGES
