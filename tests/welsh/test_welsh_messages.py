"""Every message has Welsh, or is English on purpose for a reason written here (issue 19).

Messages are added to `knowledge/messages/` every session; a new one without a
`cy` would put an English line in the middle of a Welsh screen. This test names
each one that has none, so the author either translates it or says here why it
stays English. And the card's "why" words about the right person ("This may
suit your mum because...") read in Welsh, with "they" in Welsh.
"""

from __future__ import annotations

import re

from navigator.engine.conversation import Conversation
from navigator.engine.views import OutcomeView
from navigator.engine.wording import Wording
from navigator.kb import KnowledgeBase

ENGLISH_ONLY: dict[str, str] = {
    r"advocate_(?!summary_)": (
        "the advocate's own screen, used by staff; the summary handed to the "
        "resident (advocate_summary_) is translated"
    ),
    r"referral_": (
        "written to the receiving service, whose reply words ('accepted', 'declined') "
        "Navigator reads in English"
    ),
    r"app_staff_": "the staff PIN to leave the kiosk, read by staff only",
    r"manager_": "the managers' review (dashboard, figures, packs), which has no Welsh yet",
    r"app_confirm_quit_advocate$": "asked of the advocate (staff) on leaving",
    r"app_store_problem$": "tells staff to run a command; residents carry on regardless",
    r"engine_other_language_english$": (
        "the English half of the 'we can only help in English here' message, shown "
        "beside the person's own language"
    ),
}
"""Message key patterns that stay English, each with why."""


def _english_only(key: str) -> bool:
    return any(re.match(pattern, key) for pattern in ENGLISH_ONLY)


def test_every_message_has_welsh_or_a_reason_to_stay_english(demo_kb: KnowledgeBase) -> None:
    missing = [
        key
        for key, text in demo_kb.messages.items()
        if "cy" not in text.translations and not _english_only(key)
    ]
    assert missing == []


def test_each_english_only_reason_still_names_a_message(demo_kb: KnowledgeBase) -> None:
    """A pattern that matches nothing is a stale excuse: remove it."""
    for pattern in ENGLISH_ONLY:
        assert any(re.match(pattern, key) for key in demo_kb.messages), pattern


def test_welsh_reasons_about_someone_else_say_they_in_welsh(demo_kb: KnowledgeBase) -> None:
    wording = Wording(demo_kb, "cy").about(
        "eich mam", frozenset({"lives_in_borough", "can_get_out"})
    )
    assert wording.fact_phrase("lives_in_borough", "yes") == "maen nhw'n byw yn Northbrook"
    assert wording.fact_phrase("can_get_out", "no") == "mae'n anodd iddyn nhw fynd allan"
    assert Wording(demo_kb, "cy").fact_phrase("lives_in_borough", "yes") == (
        "rydych chi'n byw yn Northbrook"
    )


def test_a_welsh_card_about_my_mum_names_her_in_welsh(demo_kb: KnowledgeBase) -> None:
    """ "help gartref i fy mam", then the first answers to an end: the cards speak of
    "eich mam", and say why in Welsh."""
    conversation = Conversation(demo_kb, channel="kiosk", site="test", language="cy")
    conversation.say("help gartref i fy mam")
    for answer in ["help-at-home", "65-plus", "lives-here", "several", "a-lot", "today"]:
        choice = next(c for c in conversation.view.choices if c.key == answer)
        conversation.choose(choice.number)
    view = conversation.view
    assert isinstance(view, OutcomeView), (view.kind, view.text)
    assert conversation.person_helped == "eich mam"
    reasons = {service.service_id: service.reason for service in view.services}
    assert reasons["asc-needs-assessment"] == (
        "Gall hwn fod yn addas ar gyfer eich mam oherwydd maen nhw'n byw yn Northbrook."
    )
    assert reasons["asc-urgent-line"] == (
        "Mae'n helpu gyda Gofal a chymorth i oedolion, a gall unrhyw un ei ddefnyddio, "
        "felly gall fod yn addas ar gyfer eich mam."
    )
