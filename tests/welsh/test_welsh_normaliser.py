"""The Welsh reading of crisis signs: mutated, unaccented and joined words meet their sign.

`navigator.engine.understanding.welsh` folds the letters a mutation can put at the
start of a word, so one sign finds every mutated form; these tests pin the grammar
it relies on, and show the sign line using it on a real knowledge base.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding import welsh
from navigator.kb import KnowledgeBase, load


@pytest.mark.parametrize(
    "forms",
    [
        ("plentyn", "blentyn", "mhlentyn", "phlentyn"),  # soft, nasal, aspirate
        ("tad", "dad", "nhad", "thad"),
        ("coes", "goes", "nghoes", "choes"),
        ("brifo", "frifo"),
        ("byw", "fyw"),
        ("mam", "fam"),
        ("lladd", "ladd"),
        ("rhywun", "rywun"),
        ("gwneud", "wneud"),
        ("gwr", "ngwr", "ngŵr", "gŵr"),  # a velar dropped would leave "wr": kept a word
        ("anafu", "hanafu"),  # h before a vowel, after "ei" (her) and "eu"
        ("tŷ", "ty"),
    ],
)
def test_every_mutation_of_a_word_has_the_same_key(forms: tuple[str, ...]) -> None:
    assert len({welsh.key(form) for form in forms}) == 1, [welsh.key(f) for f in forms]


@pytest.mark.parametrize(
    ("first", "second"),
    [("ffon", "bon"), ("hun", "un"), ("fy", "by"), ("ffrind", "brind")],
)
def test_letters_no_mutation_makes_stay_apart(first: str, second: str) -> None:
    """ "ff" is a letter of its own; short words ("fy", "hun") are kept as they are."""
    assert welsh.key(first) != welsh.key(second)


def test_short_words_joined_by_an_apostrophe_are_split_and_accents_dropped() -> None:
    assert welsh.words("Mae'n brifo, dwi’n ofn, i'r tŷ â fi") == [
        "mae", "n", "brifo", "dwi", "n", "ofn", "i", "r", "ty", "a", "fi",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    ["dwi isio marw", "mae o'n fy nharo", "efo'r plant heno", "help plis, dim bwyd"],
)
def test_welsh_is_seen(text: str) -> None:
    assert welsh.looks_welsh(text)


@pytest.mark.parametrize(
    "text",
    ["i want to die", "my dad hits me", "the lights are dim", "help please", "my plant died"],
)
def test_english_is_not_read_as_welsh(text: str) -> None:
    """English text never gets the Welsh reading, so English safeguarding is unchanged."""
    assert not welsh.looks_welsh(text)


def _detector(tmp_path: Path, signs: list[str], not_crisis: list[str]) -> SafeguardingDetector:
    """A knowledge base on disk with one kind and these signs and guards."""
    listed = "".join(f"        - {sign}\n" for sign in signs)
    guards = "".join(f"    - {guard}\n" for guard in not_crisis) or "    []\n"
    (tmp_path / "safeguarding.yaml").write_text(
        "safeguarding:\n"
        "  verified_on: 2026-11-01\n"
        "  kinds:\n"
        "    - id: domestic-abuse\n"
        "      title: Domestic abuse\n"
        "      message: You are not alone.\n"
        "      contacts: [helpline]\n"
        f"      signs:\n{listed}"
        "  contacts:\n"
        '    - {id: helpline, name: Helpline, phone: "0808 2000 247", how: Call any time.}\n'
        f"  not_crisis:\n{guards}",
        encoding="utf-8",
    )
    result = load(tmp_path)
    assert result.ok, [str(d) for d in result.diagnostics]
    return SafeguardingDetector(result.knowledge.safeguarding)


@pytest.mark.parametrize(
    "text",
    [
        "mae fy ngŵr yn fy nharo",  # as written
        "mae fy ngwr yn taro fi",  # no accent, the verb unmutated
        "mae'r gwr yn fy nharo i bob nos",
        "mae ei gwr hi yn ei tharo",  # her husband hits her: aspirate after "ei"
    ],
)
def test_one_welsh_sign_finds_its_mutated_forms(tmp_path: Path, text: str) -> None:
    detector = _detector(tmp_path, ["gwr yn fy nharo", "gwr yn ei tharo"], [])
    assert detector.check(text) is not None, text


def test_a_welsh_guard_covers_the_mutated_forms_of_its_words(tmp_path: Path) -> None:
    detector = _detector(tmp_path, ["plant yn llwgu"], ["plant yn llwgu ar ol ysgol"])
    assert detector.check("mae'r plant yn llwgu ar ôl ysgol") is None
    assert detector.check("mae'r plant yn llwgu ers dyddiau") is not None


def test_the_demo_reads_a_mutated_welsh_crisis_in_either_conversation(
    demo_kb: KnowledgeBase,
) -> None:
    """The demo's Welsh signs find forms they do not spell out."""
    detector = SafeguardingDetector(demo_kb.safeguarding)
    found = detector.check("mae ei chariad hi yn ei tharo hi bob nos")
    assert found is not None and found.kind_id == "domestic-abuse", found
