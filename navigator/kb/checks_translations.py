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
    reached: dict[str, list[int]] = field(default_factory=dict)
    """Topic -> the same counts for the texts its results show that live elsewhere: the
    services it offers and the facts their rules read (the card's "why" words). A
    topic is only whole in a language when these are too."""


def coverage(knowledge: KnowledgeBase, languages: tuple[str, ...]) -> Coverage:
    """Texts translated into each of `languages`, in all and per topic."""
    found = Coverage(translated=dict.fromkeys(languages, 0), languages=languages)
    topic_of = knowledge.topic_of_node()
    users = _topics_showing(knowledge, topic_of)
    for item in knowledge_texts(knowledge):
        part = _part(knowledge, item, topic_of)
        counted = [found.by_part.setdefault(part, [0] * (len(languages) + 1))]
        for topic in users.get((item.section, item.entity), ()):
            counted.append(found.reached.setdefault(topic, [0] * (len(languages) + 1)))
        found.total += 1
        for language in languages:
            if language in item.text.translations:
                found.translated[language] += 1
        for counts in counted:
            counts[0] += 1
            for index, language in enumerate(languages, start=1):
                counts[index] += language in item.text.translations
    return found


def _topics_showing(
    knowledge: KnowledgeBase, topic_of: dict[str, str]
) -> dict[tuple[str, str], set[str]]:
    """("services", id) and ("facts", id) -> the topics whose results show its texts."""
    users: dict[tuple[str, str], set[str]] = {}
    for node_id, topic in topic_of.items():
        for service_id in getattr(knowledge.nodes[node_id], "services", ()) or ():
            service = knowledge.services.get(service_id)
            if service is None:
                continue
            users.setdefault(("services", service_id), set()).add(topic)
            for fact_id in _facts_read(service.eligibility):
                users.setdefault(("facts", fact_id), set()).add(topic)
    return users


def _facts_read(rule: object) -> Iterator[str]:
    """The facts a rule reads, at any depth (their phrases explain the rule)."""
    if not isinstance(rule, Record):
        return
    for name, value in vars(rule).items():
        if name == "fact" and isinstance(value, str):
            yield value
        for item in value if isinstance(value, list | tuple) else (value,):
            yield from _facts_read(item)


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
