"""The conversation: session state, eligibility rules, free-text matching, safeguarding.

Pure Python: no Textual, no database. It emits events (`navigator.engine.events`).

The public names below are imported on first use (PEP 562), so a module that
needs only `navigator.engine.events`, such as the records store, does not pay
for the matcher and its indexes.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from navigator.engine.conversation import Conversation, Listener, clean_text
    from navigator.engine.eligibility import RuleResult, ServiceAssessment, assess, evaluate
    from navigator.engine.state import State
    from navigator.engine.views import (
        Choice,
        ChooseTopicView,
        CrisisContactView,
        FinishedView,
        HelpView,
        InfoView,
        NoMatchView,
        OutcomeView,
        Progress,
        QuestionView,
        ReaskView,
        SafeguardingView,
        ServiceView,
        TalkToPersonView,
        UnmetView,
        View,
        WelcomeView,
    )

_MODULES = {
    "navigator.engine.conversation": ("Conversation", "Listener", "clean_text"),
    "navigator.engine.eligibility": ("RuleResult", "ServiceAssessment", "assess", "evaluate"),
    "navigator.engine.state": ("State",),
    "navigator.engine.views": (
        "Choice",
        "ChooseTopicView",
        "CrisisContactView",
        "FinishedView",
        "HelpView",
        "InfoView",
        "NoMatchView",
        "OutcomeView",
        "Progress",
        "QuestionView",
        "ReaskView",
        "SafeguardingView",
        "ServiceView",
        "TalkToPersonView",
        "UnmetView",
        "View",
        "WelcomeView",
    ),
}
_EXPORTS = {name: module for module, names in _MODULES.items() for name in names}

__all__ = [
    "Choice",
    "ChooseTopicView",
    "Conversation",
    "CrisisContactView",
    "FinishedView",
    "HelpView",
    "InfoView",
    "Listener",
    "NoMatchView",
    "OutcomeView",
    "Progress",
    "QuestionView",
    "ReaskView",
    "RuleResult",
    "SafeguardingView",
    "ServiceAssessment",
    "ServiceView",
    "State",
    "TalkToPersonView",
    "UnmetView",
    "View",
    "WelcomeView",
    "assess",
    "clean_text",
    "evaluate",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'navigator.engine' has no attribute '{name}'")
    return getattr(importlib.import_module(module), name)
