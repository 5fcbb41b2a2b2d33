"""The plain knowledge classes (`navigator/kb/model.py`) mirror the schema; the cache uses them."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path
from types import UnionType
from typing import Literal, Union, get_args, get_origin

import pytest
from pydantic import BaseModel

from navigator.kb import model, schema
from navigator.kb.cache import load_cached

REPO = Path(__file__).resolve().parents[2]


def _schema_classes() -> list[type[BaseModel]]:
    return [
        value
        for value in vars(schema).values()
        if inspect.isclass(value)
        and issubclass(value, BaseModel)
        and value.__module__ == schema.__name__
        and value not in (schema.Model, schema.KnowledgeFile)
    ]


def _declared(cls: type[model.Record]) -> set[str]:
    """The attributes a plain class declares for type checkers (inside `if TYPE_CHECKING:`)."""
    names: set[str] = set()
    for klass in cls.__mro__:
        if klass.__module__ != model.__name__ or klass is model.Record:
            continue
        tree = ast.parse(inspect.getsource(klass))
        for node in ast.walk(tree):
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
    return names


@pytest.mark.parametrize("schema_class", _schema_classes(), ids=lambda c: c.__name__)
def test_every_schema_class_derives_from_its_plain_class_with_the_same_fields(
    schema_class: type[BaseModel],
) -> None:
    plain = getattr(model, schema_class.__name__, None)
    assert plain is not None, f"navigator/kb/model.py has no {schema_class.__name__}"
    assert issubclass(schema_class, plain)
    assert _declared(plain) == set(schema_class.model_fields)


def _literal_values(annotation: object) -> frozenset[object] | None:
    """The values a `Literal` annotation allows (through `| None` too); None for any other."""
    if get_origin(annotation) is Literal:
        return frozenset(get_args(annotation))
    if get_origin(annotation) in (Union, UnionType):
        found = [_literal_values(arg) for arg in get_args(annotation) if arg is not type(None)]
        if found and all(values is not None for values in found):
            return frozenset().union(*(values for values in found if values is not None))
    return None


def _declared_annotations(cls: type[model.Record]) -> dict[str, str]:
    """Each attribute a plain class declares for type checkers, with its annotation's source."""
    found: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if klass.__module__ != model.__name__ or klass is model.Record:
            continue
        for node in ast.walk(ast.parse(inspect.getsource(klass))):
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                found[node.target.id] = ast.unparse(node.annotation)
    return found


@pytest.mark.parametrize("schema_class", _schema_classes(), ids=lambda c: c.__name__)
def test_a_field_the_schema_limits_to_a_few_values_is_declared_with_them(
    schema_class: type[BaseModel],
) -> None:
    """A `Literal` field of the schema is the same `Literal` in the plain class, so a type
    checker catches code comparing it with a value the schema never allows (session 12:
    `Language.language_model` was declared `str`)."""
    plain = getattr(model, schema_class.__name__)
    declared = _declared_annotations(plain)
    for name, field in schema_class.model_fields.items():
        allowed = _literal_values(field.annotation)
        if allowed is None:
            continue
        annotation = eval(declared[name], vars(model))  # a Literal or an alias of one
        assert _literal_values(annotation) == allowed, f"{plain.__name__}.{name}: {declared[name]}"


def test_plain_classes_add_no_pydantic_fields() -> None:
    """Declarations live under TYPE_CHECKING, so pydantic never sees them as fields."""
    for name in dir(model):
        value = getattr(model, name)
        if inspect.isclass(value) and issubclass(value, model.Record):
            assert not vars(value).get("__annotations__"), name


def test_a_cached_knowledge_base_is_plain_and_equals_a_fresh_one(tmp_path: Path) -> None:
    root = REPO / "knowledge"
    fresh = load_cached(root, tmp_path).knowledge  # a miss: loads and writes the cache
    cached = load_cached(root, tmp_path).knowledge
    node = cached.nodes["carers-start"]
    assert type(node) is model.Question
    assert cached.nodes == fresh.nodes
    assert cached.services == fresh.services
    assert cached.vocabulary == fresh.vocabulary
    assert node.options[0].key == fresh.nodes["carers-start"].options[0].key
    assert str(node.text) == str(fresh.nodes["carers-start"].text)


def test_a_start_from_the_cache_imports_neither_pydantic_nor_yaml(tmp_path: Path) -> None:
    load_cached(REPO / "knowledge", tmp_path)  # fill the cache
    script = (
        "import sys; from pathlib import Path\n"
        "from navigator.kb.cache import load_cached\n"
        "import navigator.engine.conversation\n"
        f"result = load_cached(Path({str(REPO / 'knowledge')!r}), Path({str(tmp_path)!r}))\n"
        "assert result.knowledge.nodes\n"
        "heavy = ('pydantic', 'yaml', 'navigator.kb.schema')\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert shown.stdout.strip() == "[]"


def test_the_cache_leaves_out_field_positions_but_keeps_each_entitys_line(tmp_path: Path) -> None:
    root = REPO / "knowledge"
    fresh = load_cached(root, tmp_path).knowledge
    cached = load_cached(root, tmp_path).knowledge
    assert fresh.sources and not cached.sources
    entity = cached.where("nodes", "carers-start")
    assert entity is not None and entity == fresh.where("nodes", "carers-start")
    # A field inside it falls back to the entity's own line rather than failing.
    assert cached.where("nodes", "carers-start", "options", 0, "next") == entity


def _hashable(value: object) -> bool:
    """Rules with no lists or texts inside (those cannot be hashed, as in pydantic)."""
    if not isinstance(value, model.FactRule):
        return False
    return all(not isinstance(part, list | model.Text) for part in vars(value).values())


def test_a_model_and_its_cached_copy_hash_alike_and_the_copy_is_read_only(tmp_path: Path) -> None:
    root = REPO / "knowledge"
    fresh = load_cached(root, tmp_path).knowledge
    cached = load_cached(root, tmp_path).knowledge
    pairs = [
        (fresh.services[key].eligibility, cached.services[key].eligibility)
        for key in fresh.services
        if _hashable(fresh.services[key].eligibility)
    ]
    assert pairs
    for made, copy in pairs:
        assert made == copy and hash(made) == hash(copy)
        assert len({made, copy}) == 1
    with pytest.raises(AttributeError, match="read-only"):
        cached.nodes["carers-start"].id = "changed"


def test_checking_content_needs_the_knowledge_as_loaded_not_the_cache(tmp_path: Path) -> None:
    from navigator.kb.validate import validate

    root = REPO / "knowledge"
    assert validate(load_cached(root, tmp_path).knowledge) is not None  # a miss: a full load
    cached = load_cached(root, tmp_path).knowledge
    assert cached.from_cache
    with pytest.raises(ValueError, match="as loaded"):
        validate(cached)


def test_every_language_gives_the_same_kinds_of_word_as_english() -> None:
    """The schema writes out `LanguageWords`' and `Vocabulary`'s shared fields twice.

    It must: pydantic orders inherited fields first, and that order is the order of
    the `fields allowed:` hint and of the JSON Schema, so a shared pydantic base would
    reorder `Vocabulary`. The one definition is `model.EverydayWords`; this holds both
    written-out copies to it, with the same types and defaults.
    """
    shared = _declared(model.EverydayWords)
    assert set(schema.LanguageWords.model_fields) - {"gloss"} == shared  # gloss: its own
    assert shared < set(schema.Vocabulary.model_fields)
    for name in shared:
        english = schema.Vocabulary.model_fields[name]
        other = schema.LanguageWords.model_fields[name]
        assert repr(english.annotation) == repr(other.annotation), name
        assert english.default_factory is other.default_factory, name
        assert english.metadata == other.metadata, name
