"""The Welsh gloss (session 9, branch welshgloss): Welsh read a second time as English words.

`vocabulary.languages.cy.gloss` in the knowledge base maps Welsh words and short phrases to
English; `navigator.engine.understanding.gloss` reads a Welsh message through it (every
mutation of a word finds its entry, words without one are kept) and lets the English
meaning line read the result beside the Welsh line. Figures: docs/performance.md,
"Session 9: welshgloss"; how to write entries: docs/knowledge-format.md.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import msgspec
import pytest

from navigator.cli import main
from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding import welsh
from navigator.engine.understanding.contextual import ContextualModel
from navigator.engine.understanding.embedding import EmbeddingModel
from navigator.engine.understanding.gloss import Gloss, GlossedLine, glossed
from navigator.engine.understanding.language import LanguageDetector
from navigator.engine.understanding.safety import WELSH, MeaningLine
from navigator.kb import KnowledgeBase, load
from tests.conftest import DEMO_KNOWLEDGE
from tests.engine.crisis_set import load_crisis_set

DATA = Path(__file__).resolve().parents[1] / "data"
NO_MILK = "dydy'r babi ddim wedi cael llaeth ers ddoe a does gen i ddim pres"
"""Written for these tests (in no set): no sign, the Welsh line lets it pass, and the
English line finds it on the gloss ("is not the baby not has get milk since yesterday
and i have no money")."""


def test_one_entry_finds_every_mutation_of_its_word() -> None:
    gloss = Gloss({"plentyn": "child", "tad": "father", "brifo": "hurt"})
    for said in ("plentyn", "fy mhlentyn", "ei blentyn", "ei phlentyn"):
        assert gloss.read(said).english.split()[-1] == "child", said
    assert gloss.read("fy nhad wedi fy mrifo").english == "fy father wedi fy hurt"
    assert gloss.read("ei thad").english == "ei father"


@pytest.mark.parametrize(
    "entries",
    [
        {"cleisiau": "bruises", "lleisiau": "voices", "mam": "mum", "pam": "why"},
        {"lleisiau": "voices", "cleisiau": "bruises", "pam": "why", "mam": "mum"},
    ],
    ids=["bruises first", "voices first"],
)
def test_words_that_share_a_key_read_as_the_word_typed(entries: dict[str, str]) -> None:
    """Session 10 (welsh5): "cleisiau" and "lleisiau", "mam" and "pam" share a key, and the
    first entry written answered for both ("mae gen i gleisiau" read as voices, "pam" as
    mum). A form typed as written finds its own entry, a mutated form the entry it can be
    a mutation of, whichever entry comes first."""
    gloss = Gloss(entries)
    assert gloss.read("cleisiau gleisiau nghleisiau").english == "bruises bruises bruises"
    assert gloss.read("lleisiau leisiau").english == "voices voices"
    assert gloss.read("mam fam").english == "mum mum"
    assert gloss.read("pam bam").english == "why why"


def test_the_demo_gloss_tells_its_colliding_words_apart(demo_kb: KnowledgeBase) -> None:
    """The demo gloss's pairs that share a key: each read as the word typed."""
    gloss = Gloss.for_knowledge(demo_kb, "cy")
    said = {
        "mae gen i gleisiau": "bruises",
        "clywed lleisiau": "voices",
        "pam": "why",
        "fy mam": "mum",
        "ei fam": "mum",
        "dim nwy": "gas",
        "dwy": "two",
        "deud": "say",
        "neud": "do",
        "pwy": "who",
        "dim mwy": "anymore",  # session 11: "mwy" (more) had no entry and was read as "pwy"
        "sa i moyn rhagor o fwy": "more",
    }
    for text, english in said.items():
        assert gloss.read(text).english.split()[-1] == english, text


@pytest.mark.parametrize(
    ("typed", "english"),
    [
        ("cleisia", "bruises"),
        ("cleisie", "bruises"),
        ("gleisia", "bruises"),
        ("tridie", "three days"),
        ("da", "good"),
        ("de", "de"),
        ("gyda", "with"),
    ],
)
def test_spoken_plurals_read_as_their_written_plural(typed: str, english: str) -> None:
    """Session 11 (welsh6): spoken Welsh says the plural -au as -a (North) or -e (South),
    and "cleisia ar ei breichia" was left in Welsh. A word of four letters or more with no
    entry of its own is read as its -au plural when that has one; a short word ("da", good,
    not "dau", two) or a word with its own entry ("gyda") is read as typed."""
    gloss = Gloss(
        {"cleisiau": "bruises", "tridiau": "three days", "dau": "two", "da": "good", "gyda": "with"}
    )
    assert gloss.read(typed).english == english


def test_the_demo_gloss_reads_everyday_south_and_north_phrases(demo_kb: KnowledgeBase) -> None:
    """Session 11 (welsh6): phrases whose words read one by one said something else ("pen
    tost" a sore head, not "head ill"; "bore ma" this morning, not "morning is")."""
    gloss = Gloss.for_knowledge(demo_kb, "cy")
    said = {
        "pen tost": "headache",
        "bore ma": "this morning",
        "cinio am ddim": "free school meals",
        "cyfri banc newydd": "new bank account",
        "llosgiada sigaret": "burns cigarette",
        "gwylie ysgol": "school holidays",
    }
    for text, english in said.items():
        assert gloss.read(text).english == english, text


def test_mutations_are_the_forms_grammar_makes() -> None:
    assert welsh.mutations("pam") == {"pam", "bam", "mham", "pham"}
    assert welsh.mutations("mam") == {"mam", "fam"}
    assert welsh.mutations("llaw") == {"llaw", "law"}
    assert welsh.mutations("chwaer") == {"chwaer"}  # ch is a letter: no mutation
    assert welsh.mutations("afon") == {"afon", "hafon"}
    assert welsh.mutations("gŵr") == {"gwr", "wr", "ngwr"}


def test_words_without_an_entry_are_kept_as_they_are() -> None:
    reading = Gloss({"heno": "tonight", "mae": "is"}).read("mae o'n stressed heno")
    assert reading.english == "is o n stressed tonight"
    assert (reading.glossed, reading.words) == (2, 5)


def test_the_longest_phrase_is_read_first_and_accents_do_not_matter() -> None:
    gloss = Gloss({"dim": "no", "dim bwyd": "no food", "ers dyddiau": "for days", "tŷ": "house"})
    assert gloss.read("dim bwyd yn y ty ers dyddiau").english == "no food yn y house for days"
    assert gloss.read("dim pres").english == "no pres"


def test_a_short_entry_does_not_take_a_word_a_longer_phrase_after_it_needs() -> None:
    """Session 12 (welsh7): read left to right, "yn barod" (already) took "barod", and the
    entry "barod i'w cymryd" (ready to take) was never found; the fewest pieces win now."""
    gloss = Gloss({"yn barod": "already", "barod i w cymryd": "ready to take", "heno": "tonight"})
    reading = gloss.read("tabledi yn barod i'w cymryd heno")
    assert reading.english == "tabledi yn ready to take tonight"
    assert (reading.glossed, reading.words) == (5, 7)
    assert gloss.read("yn barod heno").english == "already tonight"


def test_an_english_verb_borrowed_with_the_welsh_ending_is_read_as_the_english_verb() -> None:
    """Session 12 (welsh7): "sortio", "stressio" are English verbs with the Welsh ending -io,
    which no gloss lists one by one; a Welsh verb in -io with an entry keeps its entry, and a
    short word is kept."""
    gloss = Gloss({"mae": "is", "cofio": "remember"})
    assert gloss.read("mae o'n stressio").english == "is o n stress"
    assert gloss.read("dwi'n mynd i sortio fo").english == "dwi n mynd i sort fo"
    assert gloss.read("cofio").english == "remember"
    assert gloss.read("llio").english == "llio"  # too short to be a borrowed verb


def test_the_demo_gloss_reads_time_and_danger_words(demo_kb: KnowledgeBase) -> None:
    gloss = Gloss.for_knowledge(demo_kb, "cy")
    assert len(gloss) > 300
    reading = gloss.read("heb fwyd ers dyddiau, mae o'n fy nharo heno")
    assert "for days" in reading.english and "tonight" in reading.english
    assert "hit" in reading.english
    assert len(Gloss.for_knowledge(demo_kb, "pl")) == 0  # no Polish gloss: nothing


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('"mae o wedi fy nharo i": "he hit me"', "write a word or a phrase of up to 4 words"),
        ('"mewn perygl mawr": "  "', "give the English it means"),
    ],
)
def test_a_bad_gloss_entry_names_its_file_and_line(
    tmp_path: Path, entry: str, message: str
) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(DEMO_KNOWLEDGE, root)
    vocabulary = root / "vocabulary.yaml"
    lines = vocabulary.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.strip() == "gloss:")
    lines.insert(at + 1, f"        {entry}\n")
    vocabulary.write_text("".join(lines), encoding="utf-8")
    errors = [d for d in load(root).diagnostics if d.severity.value == "error"]
    assert len(errors) == 1, errors
    error = errors[0]
    assert message in error.message
    assert error.location is not None and error.location.file == vocabulary
    assert error.location.line is not None and at < error.location.line <= at + 2
    assert error.field == "vocabulary.languages.cy.gloss"


@pytest.fixture(scope="module")
def detector(demo_kb: KnowledgeBase) -> SafeguardingDetector:
    return SafeguardingDetector.for_knowledge(demo_kb)


def test_the_english_line_reads_the_gloss_the_welsh_line_lets_pass(
    detector: SafeguardingDetector,
) -> None:
    line = detector.languages["cy"]
    assert isinstance(line, GlossedLine)
    assert detector.check(NO_MILK) is None  # no sign
    assert line.own.check(NO_MILK) is None  # the Welsh line alone lets it pass
    verdict = detector.assess(NO_MILK, meaning=False, language="cy")
    assert verdict is not None and verdict.kind_id == "children-no-food", verdict
    assert verdict.read_as is not None and "milk since yesterday" in verdict.read_as


def test_english_text_is_never_glossed(detector: SafeguardingDetector) -> None:
    verdict = detector.assess("there has been no food in the house for days for my kids")
    assert verdict is not None and verdict.read_as is None


def test_without_the_contextual_model_the_welsh_line_answers_as_before(
    demo_kb: KnowledgeBase, detector: SafeguardingDetector, tmp_path: Path
) -> None:
    """The contextual model missing: every Welsh decision is the Welsh line's alone, as
    before the gloss (the static model still loads, so the English line is up)."""
    english = MeaningLine.for_knowledge(
        demo_kb, EmbeddingModel(), contextual=ContextualModel(weights=tmp_path / "missing")
    )
    without = SafeguardingDetector.for_knowledge(demo_kb, meaning=english)
    line = without.languages["cy"]
    assert isinstance(line, GlossedLine)
    welsh_alone = SafeguardingDetector(
        demo_kb.safeguarding, demo_kb.vocabulary, english, {"cy": line.own}
    )
    assert without.assess(NO_MILK, meaning=False, language="cy") is None
    languages = LanguageDetector.for_knowledge(demo_kb)
    crisis_set = load_crisis_set(DATA / "welsh_crisis_holdout3.yaml")
    texts = [*(item.text for item in crisis_set.crisis), *crisis_set.near_misses]
    for text in texts:
        guess = languages.detect(text)
        if guess is None:
            continue
        assert without.assess(text, meaning=False, language=guess.code) == welsh_alone.assess(
            text, meaning=False, language=guess.code
        ), text


def test_match_json_shows_what_the_gloss_read(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["match", "--kb", str(DEMO_KNOWLEDGE), "--json", NO_MILK]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["language"] == "cy"
    safeguarding = found["safeguarding"]
    assert safeguarding["kind"] == "children-no-food"
    assert "milk since yesterday" in safeguarding["read_as"]


def test_match_json_read_as_is_null_for_text_read_as_written(
    capsys: pytest.CaptureFixture[str],
) -> None:
    said = "there has been no food in the house for days for my kids"
    assert main(["match", "--kb", str(DEMO_KNOWLEDGE), "--json", said]) == 0
    safeguarding = json.loads(capsys.readouterr().out)["safeguarding"]
    assert safeguarding["line"] != "sign" and safeguarding["read_as"] is None


def test_the_gloss_switches_are_the_welsh_tuning(demo_kb: KnowledgeBase) -> None:
    """Session 10 (welsh5): the gloss's switches are fields of the Welsh line's frozen
    `Tuning`, so a variant is built with `msgspec.structs.replace`, never by assigning a
    module global, and two lines in one process can differ."""
    english = MeaningLine.for_knowledge(demo_kb)
    shipped = glossed(MeaningLine.for_language(demo_kb, "cy", english.model), english, demo_kb)
    strict = MeaningLine.for_language(
        demo_kb, "cy", english.model, msgspec.structs.replace(WELSH, min_glossed=100)
    )
    variant = glossed(strict, english, demo_kb)
    assert isinstance(shipped, GlossedLine) and isinstance(variant, GlossedLine)
    assert shipped.tuning == WELSH and variant.tuning.min_glossed == 100
    assert shipped.read_glossed(NO_MILK) is not None
    assert variant.read_glossed(NO_MILK) is None  # too few glossed words for the variant


def test_a_message_never_waits_for_the_contextual_model_to_load(demo_kb: KnowledgeBase) -> None:
    """The apps load the contextual model in a thread (`wait_for_context` False): until it
    is up, a Welsh message is read without the gloss rather than waiting for it."""
    english = MeaningLine.for_knowledge(demo_kb, EmbeddingModel(), ContextualModel())
    english.wait_for_context = False
    line = glossed(MeaningLine.for_language(demo_kb, "cy", english.model), english, demo_kb)
    assert isinstance(line, GlossedLine)
    assert line.read_glossed(NO_MILK) is None
    assert english.contextual is not None and not english.contextual.ready
