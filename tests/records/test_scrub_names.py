"""Names are scrubbed where people say them, and ordinary words after the same cues are kept.

"I'm Sarah Jones and I need help with my mum" must not reach the store with the
name in it; "I'm struggling", "this is urgent" and "this is Leeds City Council" must
reach it word for word, since the places and services people name are the evidence.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from navigator.records.outbox import Outbox
from navigator.records.scrub import NAME, PLACEHOLDERS, scrub
from navigator.records.writer import RecordWriter, WriterOptions
from tests.records.conversations import Conversation
from tests.records.test_scrub import words_and_small_numbers

FAST = WriterOptions(retry_first=0.05, retry_max=0.2, busy_timeout=0.2, idle_poll=0.05)

# Some are in the scrubber's first-name list, some are not (Oluwaseun, Siobhán, Wojciech).
FIRST_NAMES = ["Sarah", "Joan", "Priya", "Mohammed", "Oluwaseun", "Siobhán", "Wojciech", "Zoë"]
SURNAMES = ["Jones", "Patel", "O'Brien", "Smith-Jones", "Nowak", "Okafor", "McDonald", "Khan"]

# Cues that say outright a name follows: the name may be typed in any case.
EXPLICIT_CUES = [
    "my name is",
    "My name's",
    "MY NAME IS",
    "call me",
    "Name:",
    "name -",
    "I'm called",
]
# Cues where only a capitalised word is taken as a name.
CAPITAL_CUES = ["I'm", "I am", "this is", "This is", "my son", "my mum,", "my neighbour"]


def whole_word(name: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE) is not None


@st.composite
def full_names(draw: st.DrawFn) -> str:
    first = draw(st.sampled_from(FIRST_NAMES))
    surname = draw(st.one_of(st.just(""), st.sampled_from(SURNAMES)))
    return f"{first} {surname}".strip()


# --- Properties ---------------------------------------------------------------------------


@given(
    words_and_small_numbers(),
    st.sampled_from(EXPLICIT_CUES),
    full_names(),
    st.sampled_from([str, str.lower, str.upper]),
    words_and_small_numbers(),
)
@example("", "my name is", "sarah jones", str, "and I need help")
def test_a_name_after_an_explicit_cue_never_survives(
    before: str, cue: str, name: str, case: type[str], after: str
) -> None:
    typed = case(name)
    stored = scrub(f"{before} {cue} {typed}, {after}")
    for part in name.split():
        assert not whole_word(part, stored), stored
    assert NAME in stored


@given(
    words_and_small_numbers(),
    st.sampled_from([*CAPITAL_CUES, "Mrs", "Mr", "Dr", "Miss", "Ms", "Mx", "thanks"]),
    full_names(),
)
def test_a_capitalised_name_after_a_cue_or_title_never_survives(
    before: str, cue: str, name: str
) -> None:
    stored = scrub(f"{before} {cue} {name}")
    for part in name.split():
        assert not whole_word(part, stored), stored


@given(
    words_and_small_numbers(),
    st.sampled_from(["Sarah", "Joan", "Priya", "Mohammed"]),
    st.sampled_from(SURNAMES),
    words_and_small_numbers(),
)
def test_a_known_first_name_with_a_surname_never_survives(
    before: str, first: str, surname: str, after: str
) -> None:
    stored = scrub(f"{before} {first} {surname} {after}")
    assert not whole_word(first, stored) and not whole_word(surname, stored), stored


ORDINARY_AFTER_CUES = [
    "struggling", "Worried", "67", "a carer", "in Leeds", "not sure", "Disabled", "Deaf",
    "so tired", "really Lonely", "looking for help", "trying to find a lunch club", "on PIP",
    "back", "urgent", "Very worried",
]  # fmt: skip


@given(
    st.sampled_from(["I'm", "I am", "this is", "This is", "call me", "my name is"]),
    st.sampled_from(ORDINARY_AFTER_CUES),
    words_and_small_numbers(),
)
def test_ordinary_words_after_a_cue_are_kept(cue: str, ordinary: str, after: str) -> None:
    text = f"{cue} {ordinary}. {after}"
    assert scrub(text) == text


@given(st.lists(st.one_of(st.sampled_from(EXPLICIT_CUES + CAPITAL_CUES), full_names())))
def test_scrubbing_names_twice_changes_nothing_more(parts: list[str]) -> None:
    once = scrub(" ".join(parts))
    assert scrub(once) == once


@given(st.sampled_from([*EXPLICIT_CUES, *CAPITAL_CUES, "Mrs", "thanks"]))
def test_placeholders_are_never_taken_for_names(cue: str) -> None:
    for placeholder in PLACEHOLDERS:
        text = f"{cue} {placeholder}"
        assert scrub(text) == text


# Known first names as people type them in lower case, and lower-case surnames.
LOWER_FIRST_NAMES = ["sarah", "joan", "priya", "mohammed", "dave", "tom"]
LOWER_SURNAMES = ["", "jones", "patel", "o'brien", "smith-jones", "nowak"]
# Cues after which a lower-case known first name is still a name.
LOWER_CASE_CUES = ["i'm", "I'm", "i am", "this is", "my mum", "my son", "my neighbour"]


@given(
    words_and_small_numbers(),
    st.sampled_from(LOWER_CASE_CUES),
    st.sampled_from(LOWER_FIRST_NAMES),
    st.sampled_from(LOWER_SURNAMES),
    words_and_small_numbers(),
)
@example("", "i'm", "sarah", "", "and i need help")
def test_a_lower_case_first_name_after_a_cue_never_survives(
    before: str, cue: str, first: str, surname: str, after: str
) -> None:
    stored = scrub(f"{before} {cue} {f'{first} {surname}'.strip()}, {after}")
    assert not whole_word(first, stored), stored
    if surname:
        assert not whole_word(surname, stored), stored


# Organisations, services and places people name after "this is" or "I'm": the words a
# manager needs. One that starts with a known first name is a known organisation, or has
# an organisation word that is not a surname next ("Victoria Hospital").
ORGANISATIONS_AND_PLACES = [
    "Leeds City Council", "Carers Leeds", "Citizens Advice", "Citizens Advice Leeds",
    "St Mary's Church", "Women's Aid", "Northbrook Food Bank", "Age UK", "the Council",
    "Friends of the Earth", "Action for Children", "Mind", "Marie Curie", "Sue Ryder",
    "Leeds & York Partnership", "NHS Direct", "Victoria Hospital", "Leeds", "Northbrook",
    "Bradford Royal Infirmary", "Northbrook Community Hub", "Barnardo's",
]  # fmt: skip
WEAKER_CUES = ["this is", "This is", "I'm", "I am", "i'm"]


@given(
    words_and_small_numbers(),
    st.sampled_from(WEAKER_CUES),
    st.sampled_from(ORGANISATIONS_AND_PLACES),
    st.sampled_from(["", ".", ",", " and", " about"]),
    words_and_small_numbers(),
)
def test_an_organisation_or_place_after_a_weaker_cue_is_kept(
    before: str, cue: str, organisation: str, joiner: str, after: str
) -> None:
    # A full stop after `before`: "2 help this is St Mary's" would be a house address. The
    # text around may hold a name of its own ("my mum Market"), so it is scrubbed apart.
    stored = scrub(f"{before}. {cue} {organisation}{joiner} {after}")
    assert stored == f"{scrub(before)}. {cue} {organisation}{joiner} {scrub(after)}"


@given(
    st.sampled_from(EXPLICIT_CUES),
    st.sampled_from(["Sarah", "Wojciech", "Zoë"]),
    st.sampled_from(["Council", "Leeds", "Trust", "Mind", "Church"]),
)
def test_a_name_after_an_explicit_cue_wins_over_what_follows_it(
    cue: str, first: str, organisation_word: str
) -> None:
    stored = scrub(f"{cue} {first} {organisation_word}, please help")
    assert not whole_word(first, stored), stored


# --- Examples -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("I'm Sarah Jones and I need help with my mum", "I'm [name] and I need help with my mum"),
        ("my name is sarah", "my name is [name]"),
        ("my name is sarah jones and i need help", "my name is [name] and i need help"),
        ("this is Mrs Patel", "this is [name]"),
        ("mrs patel next door needs meals", "[name] next door needs meals"),
        ("Mr and Mrs Smith both need care", "Mr and [name] both need care"),
        ("call me jo please", "call me [name] please"),
        ("It's Dave here", "It's [name] here"),
        ("I'm Sarah's mum and carer", "I'm [name]'s mum and carer"),
        ("my husband, Dave, has dementia", "my husband, [name], has dementia"),
        ("Dr Khan said to ask about a ramp", "[name] said to ask about a ramp"),
        ("Thanks, Sarah", "Thanks, [name]"),
        ("I'm Sarah, 07700 900123", "I'm [name], [phone]"),
        ("this is Joan Smith at 14 Elm Road", "this is [name] at [address]"),
        ("Name: Zoë Nowak, email zoe@example.com", "Name: [name], email [email]"),
        ("my name is Tom, born 3rd March 1950", "my name is [name], born [date]"),
        # Lower-case known first names after the weaker cues.
        ("i'm sarah and i need help", "i'm [name] and i need help"),
        ("i'm sarah jones and i need help", "i'm [name] and i need help"),
        ("this is joan, my mum needs a sitter", "this is [name], my mum needs a sitter"),
        ("it's dave here", "it's [name] here"),
        ("my mum joan needs a sitter", "my mum [name] needs a sitter"),
        ("i am priya need help with rent", "i am [name] need help with rent"),
        # A person beside an organisation: the person goes, the organisation stays.
        ("I'm Sarah from Age UK", "I'm [name] from Age UK"),
        ("this is Sarah at Carers Leeds", "this is [name] at Carers Leeds"),
        ("I'm Wojciech Nowak, Leeds City Council", "I'm [name], Leeds City Council"),
        ("I'm Wojciech and Social Services said no", "I'm [name] and Social Services said no"),
        # A known first name then a surname that is also an organisation word.
        ("my mum Joan Church needs meals", "my mum [name] needs meals"),
        ("I'm Sarah Hall", "I'm [name]"),
        ("Mrs Hall next door", "[name] next door"),
        ("I'm Sarah Jones Council tenant", "I'm [name] Council tenant"),
        # Explicit cues: a name wins over a place or an organisation word.
        ("my name is Sarah Council", "my name is [name] Council"),
        ("my name is Wojciech Leeds", "my name is [name]"),
        ("call me Mind", "call me [name]"),
        # A cue that starts where a failed one looked is still seen.
        ("Name: my name is Jo", "Name: my name is [name]"),
    ],
)
def test_names_are_replaced(typed: str, stored: str) -> None:
    assert scrub(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "I'm struggling",
        "I am Worried",
        "I'm 67",
        "this is urgent",
        "I'm a carer",
        "I am in Leeds",
        "I'm on Universal Credit",
        "I'm PIP assessed",
        "call me back on Friday",
        "call me anytime",
        "I miss my wife",
        "the dr appointment is too far",
        "Will Social Services call?",
        "St Mary's Church has a lunch club",
        "my son has ADHD",
        "I'm Deaf and need a BSL interpreter",
        "I called Social Services",
        "it's cold here",
        "my ms nurse and the MS Society",
        "name-change form",
        "i'm worried",
        "i'm deaf and need a BSL interpreter",
        "i'm carer for my mum",
        "i'm frank, I can't cope",
        "this is urgent, sarah",
        "this is Leeds City Council",
        "I'm in Age UK's lunch club",
        "this is the Citizens Advice",
        "I'm Deaf",
        "I am Leeds born and bred",
        "this is St Mary's Church",
        "This is Women's Aid, can you help",
        "I'm Carers Leeds' volunteer",
        "my carer Northbrook Home Care comes twice a day",
        "Thanks, Carers Leeds",
        "this is Mind",
        "this is Marie Curie",
    ],
)
def test_ordinary_words_are_kept(typed: str) -> None:
    assert scrub(typed) == typed


# --- End to end ---------------------------------------------------------------------------


SAID = "I'm Sarah Jones, my mum Joan needs a sitter"
STORED = "I'm [name], my mum [name] needs a sitter"


def _outbox_bytes(folder: Path) -> bytes:
    """Every file of the outbox, its write-ahead log included (new rows sit there first)."""
    return b"".join(path.read_bytes() for path in sorted(folder.glob("outbox.sqlite3*")))


def test_the_outbox_never_holds_the_names(tmp_path: Path) -> None:
    """Through the real writer, with the main database unusable so the need stays queued."""
    main = tmp_path / "main.sqlite3"
    main.write_bytes(b"this is not a database" * 100)
    conversation = Conversation()
    writer = RecordWriter(tmp_path / "outbox.sqlite3", f"sqlite:///{main}", FAST)
    writer.submit(conversation.started())
    writer.submit(conversation.unmet(text=SAID))
    assert writer.wait_durable(timeout=10)
    raw = _outbox_bytes(tmp_path)
    writer.close(timeout=0.5)
    assert b"Sarah" not in raw and b"Joan" not in raw
    with Outbox(tmp_path / "outbox.sqlite3") as outbox:
        pending = [p.payload for p in outbox.peek(10) if p.payload["kind"] == "unmet_need"]
    assert len(pending) == 1
    assert all(payload["text"] == STORED for payload in pending)


def test_a_stored_unmet_need_has_its_names_scrubbed(tmp_path: Path) -> None:
    """Through the real writer: neither the outbox files nor the main database hold the name."""
    main = tmp_path / "main.sqlite3"
    conversation = Conversation()
    with RecordWriter(tmp_path / "outbox.sqlite3", f"sqlite:///{main}", FAST) as writer:
        writer.submit(conversation.started())
        writer.submit(conversation.unmet(text=SAID))
        assert writer.wait_durable(timeout=10)
        assert writer.flush(timeout=20)
    raw = _outbox_bytes(tmp_path)
    assert b"Sarah" not in raw and b"Joan" not in raw
    with sqlite3.connect(main) as database:
        texts = database.execute("SELECT text FROM unmet_needs").fetchall()
    assert texts == [(STORED,)]
