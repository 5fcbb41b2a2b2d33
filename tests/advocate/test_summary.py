"""The session summary (`navigator.engine.summary`) on the test borough: its exact words."""

from __future__ import annotations

import datetime as dt

from navigator.engine.conversation import Conversation
from navigator.engine.summary import (
    QR_LIMIT,
    SUMMARY_MESSAGES,
    SummaryJournal,
    build_summary,
    md,
)
from navigator.kb import KnowledgeBase, load
from tests.support.kb import REPO

MADE_ON = dt.date(2026, 3, 3)

EXPECTED_MARKDOWN = """\
# Your support summary

You talked with an advocate about the help you need. Show this to any service, so you do not \
have to explain everything again.

Made on 3 March 2026.

## Help at home

### What we talked about

- How old are you? **65 or over**
- Where do you live? **TB1**

### Services that may help

#### Testborough Home Help

Open: taking new people now.

Run by Testborough Council.

Help with washing, dressing and meals at home.

This may suit you because you are 65 or over.

- Phone: 01632 960 001 (Monday to Friday)
- Website: <https://testborough.example/home_help>
- Opening times: Monday to Friday, 9am to 5pm
- Cost: Free for most people

#### Riverside Day Centre

There is a waiting list of about 6 weeks.

Run by Riverside Trust.

Activities and a hot lunch, weekdays.

It helps with Help at home, and anyone can use it.

- Phone: 01632 960 002

#### Thursday Lunch Club

This service is not taking new people right now.

Run by Testborough Churches.

A weekly lunch with company.

It helps with Help at home, and anyone can use it.

- Phone: 01632 960 005

## Next steps

1. Testborough Home Help: Phone and ask for a care assessment.
2. Riverside Day Centre: phone 01632 960 002.

*Navigator keeps no copy of this summary. It has your answers on it, so keep it somewhere safe.*
"""

EXPECTED_PLAIN = """\
Your support summary
====================

You talked with an advocate about the help you need. Show this to any
service, so you do not have to explain everything again.

Made on 3 March 2026.

Help at home
------------

What we talked about:
- How old are you? 65 or over
- Where do you live? TB1

Services that may help:

* Testborough Home Help
  Open: taking new people now.
  Run by Testborough Council.
  Help with washing, dressing and meals at home.
  This may suit you because you are 65 or over.
  Phone: 01632 960 001 (Monday to Friday)
  Website: https://testborough.example/home_help
  Opening times: Monday to Friday, 9am to 5pm
  Cost: Free for most people

* Riverside Day Centre
  There is a waiting list of about 6 weeks.
  Run by Riverside Trust.
  Activities and a hot lunch, weekdays.
  It helps with Help at home, and anyone can use it.
  Phone: 01632 960 002

* Thursday Lunch Club
  This service is not taking new people right now.
  Run by Testborough Churches.
  A weekly lunch with company.
  It helps with Help at home, and anyone can use it.
  Phone: 01632 960 005

Next steps
----------

1. Testborough Home Help: Phone and ask for a care assessment.
2. Riverside Day Centre: phone 01632 960 002.

Navigator keeps no copy of this summary. It has your answers on it, so keep
it somewhere safe.
"""


def conversation_on(knowledge: KnowledgeBase) -> tuple[Conversation, SummaryJournal]:
    conversation = Conversation(knowledge, channel="advocate", site="market-hall")
    return conversation, SummaryJournal(conversation)


def test_markdown_on_a_known_path(test_kb: KnowledgeBase) -> None:
    conversation, journal = conversation_on(test_kb)
    conversation.start_topic("care", via="advocate")
    conversation.choose("over-65")
    conversation.choose("tb1")
    summary = build_summary(conversation, journal, made_on=MADE_ON)
    assert summary.markdown() == EXPECTED_MARKDOWN


def test_plain_text_on_a_known_path(test_kb: KnowledgeBase) -> None:
    conversation, journal = conversation_on(test_kb)
    conversation.start_topic("care", via="advocate")
    conversation.choose("over-65")
    conversation.choose("tb1")
    text = build_summary(conversation, journal, made_on=MADE_ON).plain_text()
    assert text == EXPECTED_PLAIN
    assert max(len(line) for line in text.splitlines()) <= 76


def test_every_topic_looked_at_is_kept_in_order(test_kb: KnowledgeBase) -> None:
    conversation, journal = conversation_on(test_kb)
    conversation.start_topic("money", via="advocate")
    conversation.choose("yes")  # to the money result
    conversation.start_topic("care", via="advocate")
    conversation.choose("under-65")  # care left half-way
    summary = build_summary(conversation, journal, made_on=MADE_ON)
    assert [part.topic_id for part in summary.parts] == ["money", "care"]
    money, care = summary.parts
    assert money.reached_end and [s.service_id for s in money.services] == ["advice-centre"]
    assert not care.reached_end and [a.answer for a in care.asked] == ["Under 65"]
    text = summary.plain_text()
    assert text.index("Money and bills") < text.index("Help at home")
    assert "We did not finish talking about this." in text
    assert "1. Testborough Advice Centre: phone 01632 960 004." in text


def test_without_a_journal_only_the_current_topic_is_summarised(
    test_kb: KnowledgeBase,
) -> None:
    conversation = Conversation(test_kb, channel="advocate", site="market-hall")
    conversation.start_topic("money", via="advocate")
    conversation.choose("yes")
    conversation.start_topic("care", via="advocate")
    conversation.choose("over-65")
    summary = build_summary(conversation, made_on=MADE_ON)
    assert [part.topic_id for part in summary.parts] == ["care"]


def test_a_changed_answer_replaces_the_old_result(test_kb: KnowledgeBase) -> None:
    conversation, journal = conversation_on(test_kb)
    conversation.start_topic("care", via="advocate")
    conversation.choose("over-65")
    conversation.choose("elsewhere")  # an unmet end, with other help
    unmet = build_summary(conversation, journal, made_on=MADE_ON)
    assert unmet.parts[0].other_help
    assert "Other help you could try" in unmet.markdown()
    assert "Testborough Befriending" in unmet.markdown()
    conversation.change_answer("care-where")
    conversation.choose("tb1")
    outcome = build_summary(conversation, journal, made_on=MADE_ON)
    assert len(outcome.parts) == 1 and not outcome.parts[0].other_help
    assert "Befriending" not in outcome.markdown()
    assert "Where do you live? **TB1**" in outcome.markdown()


def test_start_again_forgets_everything(test_kb: KnowledgeBase) -> None:
    conversation, journal = conversation_on(test_kb)
    conversation.start_topic("money", via="advocate")
    conversation.choose("yes")
    conversation.start_again()
    summary = build_summary(conversation, journal, made_on=MADE_ON)
    assert summary.parts == ()
    assert "We have not looked at any topics yet." in summary.markdown()
    assert "Your advocate will talk with you about what else could help." in summary.plain_text()


def test_the_qr_version_carries_services_and_steps_but_no_answers(
    test_kb: KnowledgeBase,
) -> None:
    conversation, journal = conversation_on(test_kb)
    conversation.start_topic("care", via="advocate")
    conversation.choose("over-65")
    conversation.choose("tb1")
    summary = build_summary(conversation, journal, made_on=MADE_ON)
    qr = summary.qr_text()
    assert len(qr) <= QR_LIMIT
    assert "Testborough Home Help\nPhone: 01632 960 001" in qr
    assert "1. Testborough Home Help: Phone and ask for a care assessment." in qr
    assert "65 or over" not in qr and "How old" not in qr
    short = summary.qr_text(limit=120)
    assert len(short) <= 120 and short.startswith("Your support summary")


def test_markdown_shows_symbols_as_written() -> None:
    assert md("Fish *and* chips [cheap] #1") == r"Fish \*and\* chips \[cheap\] \#1"
    assert md("two\nlines") == "two lines"


def test_the_demo_knowledge_base_has_every_summary_message() -> None:
    knowledge = load(REPO / "knowledge").knowledge
    assert [key for key in SUMMARY_MESSAGES if key not in knowledge.messages] == []


def test_a_listener_failure_never_reaches_the_conversation(test_kb: KnowledgeBase) -> None:
    conversation, journal = conversation_on(test_kb)
    journal.conversation = None  # type: ignore[assignment]  # break it on purpose
    conversation.start_topic("care", via="advocate")
    conversation.choose("over-65")  # the engine carries on
    assert conversation.view.node_id == "care-where"
    assert journal.problem is not None


def test_the_demo_knowledge_base_has_every_advocate_screen_message() -> None:
    from navigator.tui.advocate.text import AdvocateText

    knowledge = load(REPO / "knowledge").knowledge
    assert AdvocateText(knowledge).missing() == []


def test_services_found_by_search_are_added_with_a_next_step(test_kb: KnowledgeBase) -> None:
    from navigator.engine.eligibility import assess
    from navigator.engine.render import service_view

    conversation, journal = conversation_on(test_kb)
    conversation.start_topic("care", via="advocate")
    conversation.choose("under-65")
    conversation.choose("tb1")
    wording = conversation.wording
    for service_id in ("housing-advice", "home-help", "housing-advice", "day-centre"):
        service = test_kb.services[service_id]
        journal.add_found(service_view(conversation, assess(service, conversation.facts, wording)))
    found_ids = [service.service_id for service in journal.found()]
    assert found_ids == ["housing-advice", "home-help", "day-centre"]
    summary = build_summary(conversation, journal, made_on=MADE_ON)
    markdown = summary.markdown()
    found = markdown.index("## Other services we found for you")
    assert markdown.index("#### Housing Options Team") > found
    assert markdown.index("#### Testborough Home Help") > found  # ruled out, but chosen
    assert markdown.count("#### Riverside Day Centre") == 1  # shown once, in its topic
    steps = markdown[markdown.index("## Next steps") :]
    assert "Housing Options Team: phone 01632 960 009." in steps
    assert "Testborough Home Help: Phone and ask for a care assessment." in steps
    assert "Other services we found for you\n-------------------------------" in (
        summary.plain_text()
    )
    conversation.start_again()
    assert journal.found() == ()


def test_with_records_kept_the_summary_carries_the_follow_up_code(test_kb: KnowledgeBase) -> None:
    conversation, journal = conversation_on(test_kb)
    conversation.start_topic("care", via="advocate")
    conversation.choose("over-65")
    conversation.choose("tb1")
    summary = build_summary(conversation, journal, made_on=MADE_ON, followup=True)
    code, _ = conversation.followup_code()
    assert code in summary.followup and code in summary.qr_text()
    line = f"**{md(summary.followup)}**\n\n"
    assert summary.markdown().replace(line, "") == EXPECTED_MARKDOWN
    text = summary.plain_text()
    assert text.replace(f"{summary.followup}\n\n", "") == EXPECTED_PLAIN
