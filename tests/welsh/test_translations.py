"""The translators' workflow on a real copy of the demo knowledge base, through the real CLI.

Export to PO, import back (nothing changed: byte for byte the same), import real
translations (comments and layout kept, hash stored), edit the English (stale
warning), and an old file refused naming the text.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from navigator.cli import main
from navigator.kb.checks_translations import knowledge_texts
from navigator.kb.textstamp import english_hash
from tests.support.kb import load_ok

REPO = Path(__file__).resolve().parents[2]
CARERS = "topics/carers-support.yaml"
HOUSING = "topics/housing.yaml"
"""Not translated in the demo: the import test gives it its first Welsh."""


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def navigator(*args: str | Path) -> Ran:
    """The real command line, in this process (its output captured)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return Ran(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the demo and its Welsh PO file."""
    root = tmp_path_factory.mktemp("kb") / "knowledge"
    shutil.copytree(REPO / "knowledge", root)
    po = root.parent / "cy.po"
    done = navigator("translations", "export", "--language", "cy", "--out", po, root)
    assert done.returncode == 0, done.stderr
    return root, po


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def test_the_po_file_names_each_texts_place_and_purpose(exported: tuple[Path, Path]) -> None:
    _, po = exported
    with po.open("rb") as handle:
        catalog = read_po(handle)
    assert str(catalog.locale) == "cy"
    assert catalog.plural_forms.startswith("nplurals=6")  # Welsh's six forms, from CLDR
    title = next(m for m in catalog if m.context == f"{CARERS}:topics.0.title")
    assert title.id == "Support for carers"
    assert title.auto_comments == ["topic carers-support: the name of a topic on the first screen"]
    assert title.locations[0][0] == CARERS and title.locations[0][1] > 0
    contexts = [m.context for m in catalog if m.id]
    assert len(contexts) == len(set(contexts)) > 3000


def test_a_round_trip_with_nothing_changed_leaves_every_byte(
    exported: tuple[Path, Path], tmp_path: Path
) -> None:
    root, po = exported
    copy = tmp_path / "knowledge"
    shutil.copytree(root, copy)
    before = snapshot(copy)
    done = navigator("translations", "import", po, copy)
    assert done.returncode == 0, done.stderr
    assert snapshot(copy) == before


def translate(po: Path, out: Path, wanted: dict[str, str]) -> None:
    with po.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.context in wanted:
            message.string = wanted[message.context]
    with out.open("wb") as handle:
        write_po(handle, catalog, width=0)


def test_import_writes_translations_keeping_comments_then_validate_notices_stale_ones(
    exported: tuple[Path, Path], tmp_path: Path
) -> None:
    root, po = exported
    copy = tmp_path / "knowledge"
    shutil.copytree(root, copy)
    translated = tmp_path / "done.po"
    translate(po, translated, {f"{HOUSING}:topics.0.title": "Tai a digartrefedd"})
    done = navigator("translations", "import", translated, copy)
    assert done.returncode == 0, done.stderr

    before = (root / HOUSING).read_text(encoding="utf-8")
    after = (copy / HOUSING).read_text(encoding="utf-8")
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert comments and all(line in after.splitlines() for line in comments)
    english = load_ok(root).topics["housing"].title.get()
    assert f'made_from: {{cy: "{english_hash(english)}"}}' in after
    # Only the one text changed: every other line is as it was.
    assert len(after.splitlines()) == len(before.splitlines()) + 3
    knowledge = load_ok(copy)
    assert knowledge.topics["housing"].title.get("cy") == "Tai a digartrefedd"
    clean = navigator("validate", copy)
    assert "stale translation" not in clean.stdout

    (copy / HOUSING).write_text(
        after.replace(f"en: {english}", "en: Help with housing"), encoding="utf-8"
    )
    stale = navigator("validate", copy)
    assert stale.returncode == 0  # a warning, not an error
    assert "stale translation: the 'cy' text in topics housing" in stale.stdout
    assert f"{HOUSING}:" in stale.stdout

    refused = navigator("translations", "import", translated, copy)
    assert refused.returncode == 1
    assert "nothing was written" in refused.stderr
    assert f"{HOUSING}:topics.0.title" in refused.stderr


def test_validate_reports_coverage_per_language_and_topic(exported: tuple[Path, Path]) -> None:
    root, _ = exported
    report = navigator("validate", root).stdout
    assert "Welsh (cy): " in report
    assert "  topic carers-support: " in report


def test_a_long_welsh_sentence_is_warned_about_but_english_word_lists_are_not_applied(
    exported: tuple[Path, Path], tmp_path: Path
) -> None:
    root, po = exported
    copy = tmp_path / "knowledge"
    shutil.copytree(root, copy)
    long_welsh = " ".join(["gair"] * 30) + "."
    translated = tmp_path / "long.po"
    translate(po, translated, {f"{CARERS}:topics.0.summary": long_welsh + " Mae hyn yn utilise."})
    assert navigator("translations", "import", translated, copy).returncode == 0
    report = navigator("validate", copy).stdout
    assert "the 'cy' text: a sentence here has 30 words" in report
    assert "'utilise' is not an everyday word" not in report  # an English rule


def test_every_text_the_validator_counts_is_offered_to_translators(
    exported: tuple[Path, Path],
) -> None:
    """The "why" words of eligibility rules (`because`, `unless`) are resident-facing
    texts too: coverage counts them, so the PO file must offer them, or a topic
    could never be shown complete through the translators' workflow."""
    root, po = exported
    with po.open("rb") as handle:
        offered = {message.id for message in read_po(handle) if message.id}
    carers_credit_unless = "Carer's Credit is for people who care for at least 20 hours a week"
    assert carers_credit_unless in offered
    knowledge = load_ok(root)
    counted = {
        " ".join(found.text.translations["en"].split()) for found in knowledge_texts(knowledge)
    }
    assert counted - offered == set()


@pytest.mark.parametrize(
    "topic", ["adult-social-care", "carers-support", "food-essentials", "money-debt"]
)
def test_the_demos_welsh_topics_are_whole_with_their_services_and_rules(topic: str) -> None:
    """A topic is only Welsh end to end when the cards it shows are: each service's
    name, description, how to reach it, cost and times, and the rules' "why" words."""
    report = navigator("validate", REPO / "knowledge").stdout
    line = next(line for line in report.splitlines() if line.startswith(f"  topic {topic}:"))
    topic_part, services_part = line.split("; its services and their rules: ")
    assert topic_part.endswith("(100%)"), line
    assert services_part.endswith("(100%)"), line
