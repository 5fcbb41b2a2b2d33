"""The engine scrubs a referral's note with the scrubber its front end gives it (issue 20).

Scrubbing lives in the records layer, beside the stored text it protects; the
engine cannot import it, so `compose_referral` takes it as an argument. These
tests pass the records' real `scrub`, and a second scrubber to show the
engine uses the one it is given (and only on the note).
"""

from __future__ import annotations

from navigator.engine.referral import ReferralDetails, compose_referral, new_code
from navigator.kb import KnowledgeBase
from navigator.records.scrub import scrub

NOTE = "her daughter Sarah Jones rings on 07700 900987 or sarah.jones@example.org"


def details(test_kb: KnowledgeBase, note: str = NOTE) -> ReferralDetails:
    return ReferralDetails(
        service=test_kb.services["home-help"],
        need_id="care",
        name="Winifred Quaxley",
        contact_way="phone",
        contact_detail="07700 900461",
        note=note,
        consent="The person agreed.",
    )


def test_the_note_goes_out_scrubbed_and_the_residents_own_details_as_typed(
    test_kb: KnowledgeBase,
) -> None:
    code = new_code()
    message = compose_referral(
        test_kb, details(test_kb), code=code, site="market-hall", made_on="2026-03-03", scrub=scrub
    )
    assert "Note from the advocate: her daughter [name] rings on [phone] or [email]" in message.body
    for personal in ("Sarah", "Jones", "900987", "example.org"):
        assert personal not in message.body, personal
    assert "Name: Winifred Quaxley" in message.body
    assert "by phone, 07700 900461" in message.body


def test_the_engine_uses_the_scrubber_it_is_given(test_kb: KnowledgeBase) -> None:
    seen: list[str] = []

    def shouting(text: str) -> str:
        seen.append(text)
        return text.upper()

    message = compose_referral(
        test_kb,
        details(test_kb, note="  call after two  "),
        code=new_code(),
        site="market-hall",
        made_on="2026-03-03",
        scrub=shouting,
    )
    assert seen == ["call after two"], "only the note is scrubbed"
    assert "Note from the advocate: CALL AFTER TWO" in message.body


def test_a_note_scrubbed_to_nothing_reads_as_a_dash(test_kb: KnowledgeBase) -> None:
    message = compose_referral(
        test_kb,
        details(test_kb, note="   "),
        code=new_code(),
        site="market-hall",
        made_on="2026-03-03",
        scrub=scrub,
    )
    assert "Note from the advocate: -" in message.body
