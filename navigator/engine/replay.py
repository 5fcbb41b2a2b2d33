"""Changing one earlier answer and keeping the later ones: a move advocate mode offers.

Changing one answer in the resident app drops every answer after it. At a
drop-in that wastes the resident's time: an advocate checking "what if they
were 65 or over?" wants the results for that at once. `change_answer_to`
changes one answer through the engine's own moves (`change_answer`, then
`choose`) and then gives the later answers again wherever the new path
asks the same questions, stopping at the first question that is new or
whose old answer no longer exists. Every step is an ordinary engine move,
so the events recorded are exactly those of a person answering. It is
conversation logic, so it lives in the engine; advocate mode's screen calls it.
"""

from __future__ import annotations

from navigator.engine.conversation import Conversation
from navigator.engine.views import View

REPLAY_LIMIT = 100
"""Most answers given again after a change; a guard, far above any real path."""


def change_answer_to(conversation: Conversation, node_id: str, option_key: str) -> View:
    """Answer the earlier question `node_id` with `option_key`, keeping later answers that fit."""
    asked = conversation.answers()
    position = next(
        (index for index, (question, _) in enumerate(asked) if question.id == node_id), None
    )
    if position is None or all(option.key != option_key for option in asked[position][0].options):
        return conversation.view  # not a question on this path, or not one of its answers
    answers = [(question.id, option.key) for question, option in asked]
    later = dict(answers[position + 1 :])
    view = conversation.change_answer(node_id)
    if view.node_id != node_id or view.choice(option_key) is None:
        return view
    view = conversation.choose(option_key)
    for _ in range(REPLAY_LIMIT):
        key = later.get(view.node_id or "") if view.kind == "question" else None
        if key is None or view.choice(key) is None:
            break
        view = conversation.choose(key)
    return view
