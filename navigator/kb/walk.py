"""Walking the parts of a knowledge base that several checks look at: texts, rules, fact values."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import get_args

from pydantic import BaseModel

from navigator.kb.model import AllRule, AnyRule, Fact, FactRule, FactValue, NotRule, Rule, Text
from navigator.kb.yamlsource import PathKey


def iter_texts(model: BaseModel, path: PathKey = ()) -> list[tuple[PathKey, Text]]:
    """Every resident-facing `Text` inside `model`, with its path as written in YAML.

    Generic over the schema, so a text field added later is checked without
    anyone remembering to list it here. Walks with a list rather than nested
    generators: this runs for every entity, and each level of generator would
    add its cost to every text found below it.
    """
    found: list[tuple[PathKey, Text]] = []
    stack: list[tuple[object, PathKey]] = [(model, path)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, Text):
            found.append((where, value))
        elif isinstance(value, BaseModel):
            for name, yaml_name in _fields(type(value)):
                item = getattr(value, name)
                if item is not None:
                    stack.append((item, (*where, yaml_name)))
        elif isinstance(value, list):
            stack.extend(
                (item, (*where, index))
                for index, item in enumerate(value)
                if isinstance(item, BaseModel)
            )
        elif isinstance(value, dict):
            stack.extend(
                (item, (*where, key)) for key, item in value.items() if isinstance(item, BaseModel)
            )
    return found


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
    """Every comparison of a fact inside `rule`, with its path (`eligibility.all[0]`).

    The comparisons among `iter_rules`' rules, so the two walks cannot differ in
    which rules they reach or the paths they give.
    """
    for where, part in iter_rules(rule, path):
        if isinstance(part, FactRule):
            yield where, part


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
