"""Plural forms in messages, chosen by CLDR's rules (babel) for the session's language.

Issue 19: "Welsh plural and number forms come from CLDR data (babel), not from
hand-written rules". A message may write `{weeks, plural, one {# week} other
{# weeks}}`; Welsh has six categories (zero, one, two, few, many, other).
Real knowledge bases on disk and the demo's own messages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from navigator.engine.wording import Wording, fill, plural_category
from navigator.kb import KnowledgeBase
from navigator.tui.text import AppText, Msg
from tests.kb.kbfiles import write_kb
from tests.support.kb import load_ok

CATS = (
    "{cats, plural, zero {dim cathod} one {# gath} two {# gath, dwy} few {# cath, tair}"
    " many {# chath, chwech} other {# cath}}"
)


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (0, "dim cathod"),
        (1, "1 gath"),
        (2, "2 gath, dwy"),
        (3, "3 cath, tair"),
        (6, "6 chath, chwech"),
        (7, "7 cath"),
    ],
)
def test_welsh_0_1_2_3_6_7_pick_six_different_forms(count: int, shown: str) -> None:
    assert fill(CATS, {"cats": count}, "cy") == shown


def test_welsh_has_the_six_cldr_categories_and_english_two() -> None:
    assert [plural_category(n, "cy") for n in (0, 1, 2, 3, 6, 7)] == [
        "zero",
        "one",
        "two",
        "few",
        "many",
        "other",
    ]
    assert [plural_category(n, "en") for n in (0, 1, 2, 3, 6, 7)] == [
        "other",
        "one",
        "other",
        "other",
        "other",
        "other",
    ]


def test_english_falls_back_to_other_and_exact_numbers_come_first() -> None:
    message = "{n, plural, =0 {no services} one {# service} other {# services}} for {who}"
    assert fill(message, {"n": 0, "who": "you"}, "en") == "no services for you"
    assert fill(message, {"n": 1, "who": "you"}, "en") == "1 service for you"
    assert fill(message, {"n": 2, "who": "you"}, "en") == "2 services for you"
    assert fill(CATS, {"cats": 2}, "en") == "2 cath"  # English rules: "other"
    assert fill(CATS, {"cats": 1}, "xx") == "1 gath"  # no such language: English rules


@pytest.mark.parametrize(
    "broken",
    ["{n, plural, one {# week}", "{n, plural, }", "{n, plural, lots {#}}", "{n, plural, one"],
)
def test_a_plural_written_wrong_is_shown_as_written_never_an_error(broken: str) -> None:
    assert fill(broken, {"n": 1}, "en") == broken


def test_a_plural_whose_value_is_missing_is_left_as_written() -> None:
    message = "{n, plural, one {# week} other {# weeks}}"
    assert fill(message, {}, "en") == message


def test_the_demo_waiting_list_says_1_week_and_3_weeks(demo_kb: KnowledgeBase) -> None:
    english = Wording(demo_kb, "en")
    assert english.message("engine_service_waiting_list", weeks=1).endswith("about 1 week.")
    assert english.message("engine_service_waiting_list", weeks=3).endswith("about 3 weeks.")
    welsh = Wording(demo_kb, "cy")
    assert welsh.message("engine_service_waiting_list", weeks=1) == (
        "Mae rhestr aros o tua 1 wythnos."
    )
    app = AppText(demo_kb)
    assert app(Msg.CARD_WAITING, weeks=1) == "Waiting list: about 1 week."
    assert app(Msg.IDLE_COUNTDOWN, seconds=1).endswith("clear in 1 second.")
    assert app(Msg.IDLE_COUNTDOWN, seconds=20).endswith("clear in 20 seconds.")


def test_a_council_message_in_welsh_with_six_forms_through_the_loader(tmp_path: Path) -> None:
    """The format as content staff write it, loaded and validated by the real loader."""
    root = write_kb(tmp_path)
    (root / "plural.yaml").write_text(
        "messages:\n"
        "  council_waiting:\n"
        '    en: "About {weeks, plural, one {# week} other {# weeks}}."\n'
        '    cy: "' + CATS.replace("cats", "weeks") + '"\n',
        encoding="utf-8",
    )
    knowledge = load_ok(root)
    welsh = Wording(knowledge, "cy")
    shown = [welsh.message("council_waiting", weeks=n) for n in (0, 1, 2, 3, 6, 7)]
    assert len(set(shown)) == 6
    assert Wording(knowledge, "en").message("council_waiting", weeks=1) == ("About 1 week.")
