"""Walking the parts of a knowledge base that several checks look at: texts, rules, fact values."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import get_args

from pydantic import BaseModel

from navigator.kb.schema import (
    AllRule,
    AnyRule,
    Fact,
    FactRule,
    FactValue,
    NotRule,
    Rule,
    Text,
)
from navigator.kb.yamlsource import PathKey


def iter_texts(model: BaseModel, path: PathKey = ()) -> Iterator[tuple[PathKey, Text]]:
    """Every resident-facing `Text` inside `model`, with its path as written in YAML.

    Generic over the schema, so a text field added later is checked without
    anyone remembering to list it here.
    """
    for name, yaml_name in _fields(type(model)):
        value = getattr(model, name)
        if value is not None:
            yield from _texts_in(value, (*path, yaml_name))


def _texts_in(value: object, path: PathKey) -> Iterator[tuple[PathKey, Text]]:
    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, BaseModel):
        yield from iter_texts(value, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, BaseModel):
                yield from _texts_in(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, BaseModel):
                yield from _texts_in(item, (*path, key))


@cache
def _fields(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(attribute, YAML name) of each field of `model` that may hold text."""
    return tuple(
        (name, info.alias or name)
        for name, info in model.model_fields.items()
        if _may_hold_text(info.annotation)
    )


def _may_hold_text(annotation: object) -> bool:
    """Whether a field's type can contain a model (so perhaps a Text): plain values are skipped."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_may_hold_text(argument) for argument in get_args(annotation))


def iter_fact_rules(rule: Rule, path: PathKey) -> Iterator[tuple[PathKey, FactRule]]:
    """Every comparison of a fact inside `rule`, with its path (`eligibility.all[0]`)."""
    if isinstance(rule, FactRule):
        yield path, rule
    elif isinstance(rule, AllRule):
        for index, part in enumerate(rule.all):
            yield from iter_fact_rules(part, (*path, "all", index))
    elif isinstance(rule, AnyRule):
        for index, part in enumerate(rule.any):
            yield from iter_fact_rules(part, (*path, "any", index))
    elif isinstance(rule, NotRule):
        yield from iter_fact_rules(rule.not_, (*path, "not"))


def iter_rules(rule: Rule, path: PathKey) -> Iterator[tuple[PathKey, Rule]]:
    """`rule` and every rule inside it, with paths, for their `because`/`unless` texts."""
    yield path, rule
    if isinstance(rule, AllRule):
        for index, part in enumerate(rule.all):
            yield from iter_rules(part, (*path, "all", index))
    elif isinstance(rule, AnyRule):
        for index, part in enumerate(rule.any):
            yield from iter_rules(part, (*path, "any", index))
    elif isinstance(rule, NotRule):
        yield from iter_rules(rule.not_, (*path, "not"))


def value_keys(value: FactValue) -> list[str]:
    """The ways `value` may be written as a key under a fact's `values`.

    YAML reads an unquoted `yes` as true, so `set: {carer: yes}` must match
    `values: {yes: ...}`. The engine matches the same way (without case).
    """
    if isinstance(value, bool):
        return ["yes", "true", "on"] if value else ["no", "false", "off"]
    if isinstance(value, float) and value.is_integer():
        return [str(int(value)), str(value)]
    return [str(value)]


def fact_knows_value(fact: Fact, value: FactValue) -> bool:
    """Whether `value` is one the fact lists (always true for facts that list none)."""
    if not fact.values:
        return True
    lowered = {key.lower() for key in fact.values}
    return any(key.lower() in lowered for key in value_keys(value))


def shown_value(value: FactValue) -> str:
    """A value as content staff wrote it: true is `yes`."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def is_numeric(fact: Fact) -> bool:
    """A fact whose listed values are all numbers (phrases for some amounts), such as hours."""
    try:
        for key in fact.values:
            float(key)
    except ValueError:
        return False
    return True


def lists_every_value(fact: Fact) -> bool:
    """Whether a fact's `values` are the only values it may take.

    True for a choice such as `age_band` (listed values, no general
    `phrase`). A fact with a `phrase` can say any value, and a numeric fact
    lists phrases only for some amounts, so their values are not limited.
    """
    return bool(fact.values) and fact.phrase is None and not is_numeric(fact)
