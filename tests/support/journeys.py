"""Walking the test borough's conversation to the places several tests start from."""

from __future__ import annotations

from navigator.engine.conversation import Conversation


def at_care_result(conversation: Conversation, age: str = "over-65", where: str = "tb1") -> None:
    """The care topic's result for someone of `age` living in `where`, as an advocate would."""
    conversation.start_topic("care", via="advocate")
    conversation.choose(age)
    conversation.choose(where)
