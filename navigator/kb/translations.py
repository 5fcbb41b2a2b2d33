"""Every resident-facing text in the knowledge files, where it is written, and its translations.

Translators work on a copy (`navigator translations export`, a PO file) and
their work comes back into the YAML (`navigator translations import`). Both
need to know, for each text, the file and the place in it, so this module
walks the files as written (ruamel.yaml's round-trip reader keeps comments,
quotes, folding and order) alongside the schema: a value is a text exactly
where the schema says `Text`, so an id or a phone number is never offered
for translation, and a new field of type `Text` is offered without a change here.

A translation remembers the English it was made from as a short hash in an
optional sibling key, `made_from: {cy: "..."}`. A plain `{en: ..., cy: ...}`
(no hash) is still fine: it was written by hand and nothing is known about
its age. When the English changes, the hash no longer matches, and
`navigator validate` says "stale translation" (`stale_translations`).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from navigator.kb import schema as s
from navigator.kb.knowledge import yaml_files
from navigator.kb.model import DEFAULT_LANGUAGE
from navigator.kb.schema import MADE_FROM
from navigator.kb.textstamp import english_hash

PURPOSES: dict[str, str] = {
    "Topic.title": "the name of a topic on the first screen",
    "Topic.summary": "one line under a topic's name",
    "Question.text": "a question the person is asked",
    "Question.help": "more about a question, on request",
    "Option.label": "an answer the person can choose",
    "Option.hint": "a line under an answer",
    "Info.text": "information shown on the way",
    "Outcome.text": "the words above the services that fit",
    "UnmetEnd.text": "the words when no service fits",
    "Service.name": "a service's name",
    "Service.description": "what a service offers",
    "Service.provider": "who runs a service",
    "CrisisKind.title": "the heading of a crisis panel",
    "CrisisKind.message": "the words of a crisis panel",
    "CrisisContact.name": "a crisis contact's name",
    "CrisisContact.how": "how and when to reach a crisis contact",
}
"""What a text is for, for translators; anything else is named by its class and field."""


@dataclass(frozen=True)
class TextEntry:
    """One text as written in one file."""

    file: str
    """Relative to the knowledge folder, with `/` (`topics/carers-support.yaml`)."""
    path: tuple[str | int, ...]
    """Keys and list positions from the top of the file to the text."""
    line: int
    owner: str
    """The nearest thing with an id: `topic carers-support`, `question carers-start`."""
    purpose: str
    english: str
    translations: Mapping[str, str] = field(default_factory=dict)
    made_from: Mapping[str, str] = field(default_factory=dict)

    @property
    def context(self) -> str:
        """Where the text is, unique in the knowledge base: the PO file's `msgctxt`."""
        return f"{self.file}:{'.'.join(str(part) for part in self.path)}"

    def stale(self, language: str) -> bool:
        """The translation was made from English that has changed since."""
        made = self.made_from.get(language)
        return (
            made is not None
            and language in self.translations
            and made != english_hash(self.english)
        )


def read_document(path: Path) -> Any:
    """A knowledge file as ruamel.yaml's round-trip reader holds it (comments and all)."""
    return round_trip_yaml().load(path.read_text(encoding="utf-8"))


def round_trip_yaml() -> YAML:
    """The reader and writer that leaves unchanged lines byte for byte as they were.

    Width is unlimited so long lines are never refolded; indentation is the
    knowledge base's house style (two spaces, lists indented under their key).
    """
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def text_entries(
    root: Path, documents: dict[str, Any] | None = None
) -> Iterator[tuple[TextEntry, tuple[str | int, ...]]]:
    """Every text in every knowledge file under `root`, with the path of what holds it.

    `documents` (file -> document) keeps each file as read, for writing edits back.
    """
    for path in yaml_files(root):
        relative = path.relative_to(root).as_posix()
        if documents is not None and relative in documents:
            document = documents[relative]
        else:
            document = read_document(path)
            if documents is not None:
                documents[relative] = document
        if isinstance(document, CommentedMap):
            yield from _walk(document, s.KnowledgeFile, relative, (), "", "")


def _walk(
    value: Any,
    annotation: Any,
    file: str,
    path: tuple[str | int, ...],
    owner: str,
    where: str,
    line: int = 0,
) -> Iterator[tuple[TextEntry, tuple[str | int, ...]]]:
    for kind in _alternatives(annotation):
        if kind is s.Text:
            entry = _entry(value, file, path, owner, where, line)
            if entry is not None:
                yield entry
            return
    if isinstance(value, CommentedSeq):
        inner = _item_type(annotation, list)
        for index, item in enumerate(value):
            yield from _walk(item, inner, file, (*path, index), owner, where)
        return
    if not isinstance(value, CommentedMap):
        return
    if typing.get_origin(_plain(annotation)) is dict:
        inner = _item_type(annotation, dict)
        for key, item in value.items():
            at = value.lc.key(key)[0] + 1
            yield from _walk(item, inner, file, (*path, str(key)), owner, f"{where}{key}", at)
        return
    model = _model_for(value, annotation)
    if model is None:
        return
    if "id" in value:
        owner = f"{model.__name__.lower()} {value['id']}"
    names = {info.alias or name: name for name, info in model.model_fields.items()}
    for key, item in value.items():
        name = names.get(str(key))
        if name is not None:
            described = f"{model.__name__}.{name}"
            annotation = model.model_fields[name].annotation
            at = value.lc.key(key)[0] + 1
            yield from _walk(item, annotation, file, (*path, str(key)), owner, described, at)


def _entry(
    value: Any, file: str, path: tuple[str | int, ...], owner: str, where: str, line: int
) -> tuple[TextEntry, tuple[str | int, ...]] | None:
    parent_path = path[:-1]
    if isinstance(value, CommentedMap):
        english = value.get(DEFAULT_LANGUAGE)
        if not isinstance(english, str):
            return None
        translations = {
            str(k): str(v) for k, v in value.items() if k not in {DEFAULT_LANGUAGE, MADE_FROM}
        }
        made = value.get(MADE_FROM)
        made_from = {str(k): str(v) for k, v in made.items()} if isinstance(made, Mapping) else {}
    elif isinstance(value, str):
        english, translations, made_from = value, {}, {}
    else:
        return None
    purpose = PURPOSES.get(where, where.replace("KnowledgeFile.", "") or "text")
    if where.startswith("messages"):
        purpose = f"the message {path[-1]}"
    entry = TextEntry(
        file=file,
        path=path,
        line=line,
        owner=owner,
        purpose=purpose,
        english=" ".join(english.split()),
        translations=translations,
        made_from=made_from,
    )
    return entry, parent_path


def _plain(annotation: Any) -> Any:
    """`Annotated[X, ...]` -> X; a name not yet resolved (`"list[Rule]"`) -> what it names.

    The rule classes refer to `Rule` before it is defined, so pydantic keeps those
    fields' annotations as forward references; they are looked up in the schema.
    """
    if isinstance(annotation, typing.ForwardRef):
        annotation = eval(annotation.__forward_arg__, vars(s))
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _alternatives(annotation: Any) -> tuple[Any, ...]:
    """The types a value of `annotation` may be: `A | B | None` -> (A, B).

    Unions inside unions are opened too: `Rule | None` (a service's eligibility)
    is a tagged union of rule kinds, whose `because` and `unless` are texts.
    """
    plain = _plain(annotation)
    if typing.get_origin(plain) in {typing.Union, types.UnionType}:
        return tuple(
            kind
            for arg in typing.get_args(plain)
            if arg is not type(None)
            for kind in _alternatives(arg)
        )
    return (plain,)


def _item_type(annotation: Any, container: type) -> Any:
    for kind in _alternatives(annotation):
        if typing.get_origin(kind) is container:
            return typing.get_args(kind)[-1]
    return None


def _model_for(value: CommentedMap, annotation: Any) -> type[BaseModel] | None:
    """The schema class a mapping is: by its `type` tag, else the one that has all its keys."""
    models = [
        kind
        for kind in _alternatives(annotation)
        if isinstance(kind, type) and issubclass(kind, BaseModel)
    ]
    keys = {str(key) for key in value}
    tag = value.get("type")
    for model in models:
        tag_field = model.model_fields.get("type")
        if (
            tag is not None
            and tag_field is not None
            and tag in typing.get_args(tag_field.annotation)
        ):
            return model
    for model in models:
        names = {info.alias or name for name, info in model.model_fields.items()}
        if keys <= names:
            return model
    return models[0] if models else None
