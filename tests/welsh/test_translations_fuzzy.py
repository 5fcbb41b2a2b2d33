"""PO "fuzzy" entries: a stale translation is marked fuzzy on the next export, and fuzzy
entries are skipped on import until a translator clears the mark (issue 19).

The real `navigator translations export/import` and `navigator validate` on a copy
of the demo knowledge base, with the PO file read and edited by babel as a
translator's tool would.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from tests.support.kb import load_ok
from tests.welsh.test_translations import REPO, navigator, snapshot

CARERS = "topics/carers-support.yaml"
TITLE = f"{CARERS}:topics.0.title"
HOUSING_TITLE = "topics/housing.yaml:topics.0.title"


def read(po: Path) -> Catalog:
    with po.open("rb") as handle:
        return read_po(handle)


def write(catalog: Catalog, po: Path) -> None:
    with po.open("wb") as handle:
        write_po(handle, catalog, width=0)


def demo_copy(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", root)
    return root


def export(root: Path, po: Path) -> Catalog:
    done = navigator("translations", "export", "--language", "cy", "--out", po, root)
    assert done.returncode == 0, done.stderr
    return read(po)


def change_english(root: Path) -> None:
    """Content staff reword the carers topic's title after it was translated."""
    path = root / CARERS
    text = path.read_text(encoding="utf-8")
    assert "en: Support for carers" in text
    path.write_text(text.replace("en: Support for carers", "en: Help for carers"), "utf-8")


def test_a_stale_translation_is_marked_fuzzy_on_the_next_export(tmp_path: Path) -> None:
    root = demo_copy(tmp_path)
    fresh = export(root, tmp_path / "before.po")
    assert not fresh.get("Support for carers", context=TITLE).fuzzy

    change_english(root)
    catalog = export(root, tmp_path / "after.po")
    stale = catalog.get("Help for carers", context=TITLE)
    assert stale is not None and stale.fuzzy
    assert stale.string == load_ok(root).topics["carers-support"].title.get("cy")
    others = [m for m in catalog if m.id and m.context != TITLE and m.fuzzy]
    assert others == []  # only the text whose English changed


def test_fuzzy_entries_are_skipped_on_import(tmp_path: Path) -> None:
    root = demo_copy(tmp_path)
    catalog = export(root, tmp_path / "cy.po")
    housing = next(m for m in catalog if m.context == HOUSING_TITLE)
    housing.string = "Tai a digartrefedd"
    housing.flags.add("fuzzy")  # the translator is not sure yet
    write(catalog, tmp_path / "unsure.po")
    before = snapshot(root)

    done = navigator("translations", "import", tmp_path / "unsure.po", root)

    assert done.returncode == 0, done.stderr
    assert snapshot(root) == before
    assert load_ok(root).topics["housing"].title.translations.get("cy") is None

    housing.flags.discard("fuzzy")  # checked: now it is taken
    write(catalog, tmp_path / "sure.po")
    assert navigator("translations", "import", tmp_path / "sure.po", root).returncode == 0
    assert load_ok(root).topics["housing"].title.get("cy") == "Tai a digartrefedd"


def test_a_stale_entry_stays_stale_until_the_translator_clears_fuzzy(tmp_path: Path) -> None:
    root = demo_copy(tmp_path)
    change_english(root)
    catalog = export(root, tmp_path / "cy.po")
    assert "stale translation" in navigator("validate", root).stdout

    before = snapshot(root)
    assert navigator("translations", "import", tmp_path / "cy.po", root).returncode == 0
    assert snapshot(root) == before  # the fuzzy entry was not written back

    entry = catalog.get("Help for carers", context=TITLE)
    entry.string = "Help i ofalwyr"
    entry.flags.discard("fuzzy")
    write(catalog, tmp_path / "checked.po")
    done = navigator("translations", "import", tmp_path / "checked.po", root)
    assert done.returncode == 0, done.stderr
    assert load_ok(root).topics["carers-support"].title.get("cy") == "Help i ofalwyr"
    assert "stale translation" not in navigator("validate", root).stdout
