"""Translations that have fallen behind their English, and how much is translated.

Each translation written by `navigator translations import` keeps a hash of
the English it was made from (`made_from`, see `navigator.kb.translations`).
When the English is edited afterwards, the translation may no longer say the
same thing: `stale-translation` warns, so a Welsh resident is never quietly
told something the English no longer says. A translation with no hash (typed
by hand) is taken as it is.

Works on the loaded knowledge base, not the files, so `navigator validate`
pays nothing extra to read YAML a second time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from navigator.kb.diagnostics import Diagnostic, warning
from navigator.kb.knowledge import KnowledgeBase
from navigator.kb.model import DEFAULT_LANGUAGE, Record, Text
from navigator.kb.textstamp import english_hash

SECTIONS = ("place", "needs", "reasons", "agencies", "facts", "topics", "nodes", "services")


@dataclass(frozen=True)
class Found:
    """One text, and where it lives: `("nodes", "carers-start", ("options", 1, "label"))`."""

    section: str
    entity: str
    inner: tuple[str | int, ...]
    text: Text


def knowledge_texts(knowledge: KnowledgeBase) -> Iterator[Found]:
    """Every resident-facing text in the knowledge base."""
    for section in SECTIONS:
        value = getattr(knowledge, section)
        if isinstance(value, dict):
            for entity, item in value.items():
                yield from _inside(item, section, entity, ())
        elif value is not None:
            yield from _inside(value, section, "", ())
    if knowledge.safeguarding is not None:
        yield from _inside(knowledge.safeguarding, "safeguarding", "", ())
    for key, text in knowledge.messages.items():
        yield Found("messages", key, (), text)


def _inside(
    value: object, section: str, entity: str, inner: tuple[str | int, ...]
) -> Iterator[Found]:
    if isinstance(value, Text):
        yield Found(section, entity, inner, value)
    elif isinstance(value, Record):
        for name, item in vars(value).items():
            yield from _inside(item, section, entity, (*inner, name.rstrip("_")))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _inside(item, section, entity, (*inner, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _inside(item, section, entity, (*inner, str(key)))


def check_translations(knowledge: KnowledgeBase) -> Iterator[Diagnostic]:
    """`stale-translation`: a translation made from English that has changed since."""
    for found in knowledge_texts(knowledge):
        made_from = getattr(found.text, "made_from", None) or {}
        if not made_from:
            continue
        english = found.text.translations[DEFAULT_LANGUAGE]
        for language, mark in sorted(made_from.items()):
            if language in found.text.translations and mark != english_hash(english):
                name = f"{found.section} {found.entity}".strip()
                yield warning(
                    "stale-translation",
                    f"stale translation: the '{language}' text in {name} was made from English "
                    "that has changed since. Check it against the English, then import it again "
                    f"(navigator translations export --language {language})",
                    knowledge.where(found.section, found.entity, *found.inner),
                    knowledge.field_of(found.section, found.entity, *found.inner),
                )


@dataclass
class Coverage:
    """How many texts are translated, per language, in all and per topic (or file)."""

    total: int = 0
    translated: dict[str, int] = field(default_factory=dict)
    by_part: dict[str, list[int]] = field(default_factory=dict)
    """Topic (or file) -> [texts, translated into each language in `languages` order]."""
    languages: tuple[str, ...] = ()


def coverage(knowledge: KnowledgeBase, languages: tuple[str, ...]) -> Coverage:
    """Texts translated into each of `languages`, in all and per topic."""
    found = Coverage(translated=dict.fromkeys(languages, 0), languages=languages)
    topic_of = knowledge.topic_of_node()
    for item in knowledge_texts(knowledge):
        part = _part(knowledge, item, topic_of)
        counts = found.by_part.setdefault(part, [0] * (len(languages) + 1))
        found.total += 1
        counts[0] += 1
        for index, language in enumerate(languages, start=1):
            if language in item.text.translations:
                found.translated[language] += 1
                counts[index] += 1
    return found


def _part(knowledge: KnowledgeBase, item: Found, topic_of: dict[str, str]) -> str:
    """The topic a text belongs to, else the file it is written in."""
    if item.section == "topics":
        return item.entity
    if item.section == "nodes" and item.entity in topic_of:
        return topic_of[item.entity]
    where = knowledge.where(item.section, item.entity)
    if where is None:
        return item.section
    try:
        return Path(where.file).relative_to(knowledge.root).as_posix()
    except ValueError:
        return Path(where.file).name
