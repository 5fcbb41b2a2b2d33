"""`navigator translations export|import`: hand the texts to translators, take their work back.

The file is a PO file (gettext), which every translation tool and agency
reads: each text is one entry, its English as `msgid`, its place as
`msgctxt` (`topics/carers-support.yaml:nodes.3.options.1.label`, unique), and
for the translator a note of the topic, node and what the text is for.

Importing writes each translation into its YAML file beside the English,
with the hash of the English it was made from (`made_from`), using
ruamel.yaml's round-trip writer: comments, quoting, folding and order stay as
content staff wrote them, and a file with nothing new is not written at all,
so a round trip with no changes leaves the knowledge base byte for byte the
same. A file whose English has changed since it was exported is refused
whole, naming each text, so an old translation never lands on new English.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from navigator.commands.loading import limits_for, load_knowledge
from navigator.config import Settings

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def export(arguments: argparse.Namespace, settings: Settings) -> int:
    """Write every resident-facing text, with its context and any translation, as PO."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from navigator.kb.translations import text_entries

    language: str = arguments.language
    root = Path(arguments.directory or settings.knowledge)
    if load_knowledge(root, "translations export", limits=limits_for(settings)) is None:
        return EXIT_UNREADABLE
    catalog = Catalog(
        locale=language,
        project="Navigator knowledge base",
        creation_date=dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
        revision_date=dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
    )
    for entry, _ in text_entries(root):
        note = f"{entry.owner}: {entry.purpose}" if entry.owner else entry.purpose
        catalog.add(
            entry.english,
            entry.translations.get(language, ""),
            locations=[(entry.file, entry.line)] if entry.line else [(entry.file, 0)],
            auto_comments=[note],
            context=entry.context,
            flags=["fuzzy"] if entry.stale(language) else [],
        )
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False, include_lineno=True)
    out = Path(arguments.out) if arguments.out else None
    if out is None:
        sys.stdout.write(buffer.getvalue().decode("utf-8"))
    else:
        out.write_bytes(buffer.getvalue())
        done = sum(1 for message in catalog if message.id and message.string)
        print(f"{out}: {len(catalog)} texts, {done} already in '{language}'", file=sys.stderr)
    return EXIT_OK


def import_(arguments: argparse.Namespace, settings: Settings) -> int:
    """Write a translator's PO file back into the knowledge base, or refuse it saying why."""
    from babel.messages.pofile import read_po

    root = Path(arguments.directory or settings.knowledge)
    path = Path(arguments.file)
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
    except (OSError, ValueError, SyntaxError) as problem:
        print(f"navigator translations import: {path}: cannot be read: {problem}", file=sys.stderr)
        return EXIT_UNREADABLE
    language = str(catalog.locale) if catalog.locale else ""
    if not language:
        print(
            f"navigator translations import: {path}: the header has no Language: line; "
            "export the file again with --language",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    wanted = {
        str(message.context): (str(message.id), str(message.string))
        for message in catalog
        if message.id and message.context and message.string and not message.fuzzy
    }
    return _write_back(root, path, language.replace("_", "-"), wanted)


def _write_back(root: Path, source: Path, language: str, wanted: dict[str, tuple[str, str]]) -> int:
    from navigator.kb.translations import round_trip_yaml, text_entries

    by_file: dict[str, list[tuple[Any, Any, str]]] = defaultdict(list)
    documents: dict[str, Any] = {}
    changed_english: list[str] = []
    seen: set[str] = set()
    for entry, parent_path in text_entries(root, documents):
        item = wanted.get(entry.context)
        if item is None:
            continue
        seen.add(entry.context)
        english, translation = item
        if " ".join(english.split()) != entry.english:
            where = f"{entry.file}:{entry.line}" if entry.line else entry.file
            changed_english.append(f"  {where} {entry.owner} ({entry.purpose}): {entry.context}")
            continue
        by_file[entry.file].append((entry, parent_path, translation))
    unknown = sorted(set(wanted) - seen)
    if changed_english or unknown:
        print(
            f"navigator translations import: {source} was made from English that has changed "
            "(or texts that are gone); nothing was written. Export again and translate these:",
            file=sys.stderr,
        )
        for line in changed_english + [f"  no longer in the knowledge base: {c}" for c in unknown]:
            print(line, file=sys.stderr)
        return EXIT_ERRORS
    yaml = round_trip_yaml()
    written = 0
    for file, items in sorted(by_file.items()):
        document = documents[file]
        changed = [_put(document, entry, where, language, text) for entry, where, text in items]
        if not any(changed):  # every one already there: the file is not written at all
            continue
        buffer = io.StringIO()
        yaml.dump(document, buffer)
        (root / file).write_text(buffer.getvalue(), encoding="utf-8")
        written += 1
    print(f"{source}: {len(wanted)} '{language}' texts, {written} files written", file=sys.stderr)
    return EXIT_OK


def _put(document: Any, entry: Any, parent_path: tuple[Any, ...], language: str, text: str) -> bool:
    """Write one translation and its `made_from` hash; False when it is already there."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    from navigator.kb.schema import MADE_FROM
    from navigator.kb.textstamp import english_hash

    holder = document
    for part in parent_path:
        holder = holder[part]
    key = entry.path[-1]
    value = holder[key]
    mark = english_hash(entry.english)
    if isinstance(value, CommentedMap):
        made = value.get(MADE_FROM)
        if value.get(language) == text and (made is None or made.get(language) in {None, mark}):
            return False  # nothing new: a hand-made translation is left as it was written
        last = list(value)[-1]
        value[language] = text
        if made is None:
            made = CommentedMap()
            made.fa.set_flow_style()
            value[MADE_FROM] = made
        made[language] = DoubleQuotedScalarString(mark)
        _keep_trailing_comment(value, last, list(value)[-1])
        return True
    made = CommentedMap()
    made.fa.set_flow_style()
    made[language] = DoubleQuotedScalarString(mark)
    replacement = CommentedMap()
    replacement["en"] = value
    replacement[language] = text
    replacement[MADE_FROM] = made
    trailing = holder.ca.items.pop(key, None)
    holder[key] = replacement
    if trailing is not None:  # blank lines and comments after the text stay after it
        replacement.ca.items[MADE_FROM] = trailing
    return True


def _keep_trailing_comment(mapping: Any, old_last: Any, new_last: Any) -> None:
    """Comments and blank lines after a mapping's last entry move to its new last entry."""
    if old_last != new_last and old_last in mapping.ca.items:
        mapping.ca.items[new_last] = mapping.ca.items.pop(old_last)
