"""Schema errors rewritten for content staff: what was found, what is allowed, what to do.

pydantic's messages ("Input should be a valid list") are written for
programmers. Here each error type gets a plain sentence that names the field,
describes what the file holds in everyday words, and says what may go there,
using the schema itself to list allowed fields and values so the advice never
drifts from the code.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
from collections.abc import Iterable
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from navigator.kb.diagnostics import shown
from navigator.kb.schema import KnowledgeFile, Text

PathKey = tuple[str | int, ...]

INTERNAL_PARTS = frozenset({"translations"})
"""Parts of pydantic's error locations that do not appear in the YAML."""

NODE_TYPES = ("question", "info", "outcome", "unmet")

_EXPECTED = {
    "list_type": "a list (one item per line, each starting with '- ')",
    "dict_type": "a mapping of names and values",
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "yes or no",
    "bool_parsing": "yes or no",
    "date_type": "a date written as YYYY-MM-DD, such as 2025-03-31",
    "date_parsing": "a date written as YYYY-MM-DD, such as 2025-03-31",
    "date_from_datetime_parsing": "a date written as YYYY-MM-DD, such as 2025-03-31",
    "date_from_datetime_inexact": "a date without a time, such as 2025-03-31",
}


def explain(problem: ErrorDetails, path: PathKey) -> str:
    """One plain sentence for a pydantic error at YAML `path`, ending with what was found."""
    kind = problem["type"]
    loc = tuple(problem["loc"])
    subject = _subject(path)
    found = describe(problem.get("input"))
    ctx = problem.get("ctx") or {}
    if kind == "missing":
        return f"{_missing(path, loc)}"
    if kind == "extra_forbidden":
        return _extra(path, loc, found)
    if kind == "union_tag_invalid":
        tag = str(ctx.get("tag"))
        return (
            f"'type' must be one of {', '.join(NODE_TYPES)}, but it is '{tag}'"
            f"{_suggest(tag, NODE_TYPES)}"
        )
    if kind == "union_tag_not_found":
        return f"this node needs a 'type': one of {', '.join(NODE_TYPES)}"
    if kind == "rule_form":
        return (
            f"{subject} must be a rule: a mapping with 'all', 'any', 'not' or 'fact' "
            f"(found {found})"
        )
    if kind == "model_type":
        expected = _model_expected(str(ctx.get("class_name", "")))
        return f"{subject} should be {expected} (found {found})"
    if kind in _EXPECTED:
        return f"{subject} should be {_EXPECTED[kind]} (found {found})"
    if kind == "string_pattern_mismatch":
        return (
            f"{subject} should be an id: lower-case letters, digits, '-' and '_', "
            f"such as 'carers-start' (found {found})"
        )
    if kind == "literal_error":
        return f"{subject} should be one of {ctx.get('expected')} (found {found})"
    if kind in {"too_short", "string_too_short"}:
        least = ctx.get("min_length", 1)
        what = "character" if kind == "string_too_short" else "item"
        return f"{subject} needs at least {least} {what}{'s' if least != 1 else ''} (found {found})"
    if kind in {"too_long", "string_too_long"}:
        most = ctx.get("max_length")
        what = "characters" if kind == "string_too_long" else "items"
        return f"{subject} may have at most {most} {what} (found {found})"
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        words = {
            "greater_than_equal": ("at least", "ge"),
            "greater_than": ("more than", "gt"),
            "less_than_equal": ("at most", "le"),
            "less_than": ("less than", "lt"),
        }[kind]
        return f"{subject} should be {words[0]} {ctx.get(words[1])} (found {found})"
    if kind == "value_error":
        message = str(ctx.get("error", problem["msg"])).removeprefix("Value error, ")
        if isinstance(path[-1:][0] if path else None, str):
            return f"{subject}: {message}"
        return message[:1].upper() + message[1:]
    message = problem["msg"].removeprefix("Value error, ")
    return f"{subject}: {message} (found {found})"


def describe(value: Any) -> str:
    """What a YAML value is, in everyday words: "the text 'abc'", "a list of 3 items"."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the yes/no value {'yes' if value else 'no'}"
    if isinstance(value, int | float):
        return f"the number {shown(value, 40)}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        if not value.strip():
            return "empty text"
        return f"the text '{shown(value, 60)}'"
    if isinstance(value, dict):
        keys = ", ".join(str(key) for key in list(value)[:5])
        more = ", ..." if len(value) > 5 else ""
        return f"a mapping with {keys}{more}" if value else "an empty mapping"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    return type(value).__name__


def _subject(path: PathKey) -> str:
    """How to name the field at `path`: "'next'", or "item 2 of 'phones'"."""
    if not path:
        return "this file"
    last = path[-1]
    if isinstance(last, str):
        return f"'{last}'"
    parent = next((part for part in reversed(path) if isinstance(part, str)), None)
    return f"item {last + 1} of '{parent}'" if parent else f"item {last + 1}"


def _entity(path: PathKey, loc: tuple[Any, ...]) -> str:
    """The kind of entry holding the last field of `path`, with its article: "a topic"."""
    name = "entry"
    for part in reversed(path[:-1]):
        if isinstance(part, str):
            name = _singular(part)
            break
    if name == "node":
        node_type = next((part for part in loc if part in NODE_TYPES), None)
        name = f"{node_type} node" if node_type else name
    vowel = name[:1] in "aeiou" and not name.startswith(("uni", "use"))  # "a unit cost"
    return f"{'an' if vowel else 'a'} {name}"


def _singular(name: str) -> str:
    irregular = {
        "agencies": "agency",
        "needs": "need category",
        "nodes": "node",
        "unit_costs": "unit cost",
        "likely_events": "likely event",
    }
    if name in irregular:
        return irregular[name]
    return name[:-1] if name.endswith("s") else name


def _missing(path: PathKey, loc: tuple[Any, ...]) -> str:
    name = path[-1] if path else "?"
    allowed = _allowed_fields(loc[:-1])
    entity = _entity(path, loc)
    hint = f" (fields allowed: {', '.join(allowed)})" if allowed else ""
    return f"'{name}' is missing: {entity} must have it{hint}"


def _extra(path: PathKey, loc: tuple[Any, ...], found: str) -> str:
    name = str(path[-1]) if path else "?"
    allowed = _allowed_fields(loc[:-1])
    entity = _entity(path, loc)
    advice = f"; fields allowed: {', '.join(allowed)}" if allowed else ""
    return f"'{name}' is not a field {entity} can have{_suggest(name, allowed)}{advice}"


def _suggest(name: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _model_expected(class_name: str) -> str:
    if class_name == Text.__name__:
        return "text, or a mapping of languages such as {en: ..., cy: ...}"
    return "a mapping of fields"


def _allowed_fields(loc: tuple[Any, ...]) -> list[str]:
    """The YAML field names allowed at pydantic location `loc`, found by walking the schema."""
    model: Any = KnowledgeFile
    for part in loc:
        model = _step(model, part)
        if model is None:
            return []
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [info.alias or name for name, info in model.model_fields.items()]
    return []


def _step(annotation: Any, part: str | int) -> Any:
    """Follow one part of an error location through a type annotation."""
    for candidate in _members(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            if isinstance(part, str) and part == candidate.__name__:
                return candidate
            fields = candidate.model_fields
            if isinstance(part, str) and part in fields:
                return fields[part].annotation
            by_alias = {info.alias: info for info in fields.values() if info.alias}
            if isinstance(part, str) and part in by_alias:
                return by_alias[part].annotation
            type_field = fields.get("type")
            if type_field is not None and part in get_args(type_field.annotation):
                return candidate
        origin = get_origin(candidate)
        if origin is list and isinstance(part, int):
            return get_args(candidate)[0]
        if origin is dict and isinstance(part, str):
            return get_args(candidate)[1]
    return None


def _members(annotation: Any) -> list[Any]:
    """The concrete types an annotation may stand for (unwrapping Annotated and unions)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _members(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [member for arg in get_args(annotation) for member in _members(arg)]
    if origin is Literal:
        return []
    return [annotation]
