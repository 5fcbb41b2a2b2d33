"""A JSON Schema of the knowledge format, so editors can help content staff as they type.

VS Code (with the YAML extension) and other editors that use yaml-language-server
read a `# yaml-language-server: $schema=...` line at the top of a file and then
offer completion, hover text and inline errors. The schema is made from the same
pydantic models `navigator validate` checks with, so the two cannot disagree about
which fields exist; the validator still does the checks a schema cannot (references
between files, cycles, plain English, review dates).
"""

from __future__ import annotations

import json
from typing import Any

SCHEMA_FILE = "knowledge.schema.json"
"""Its name in a knowledge base folder, where the demo files' first lines point."""

SCHEMA_ID = "https://navigator.example/knowledge.schema.json"


def knowledge_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of one knowledge base YAML file."""
    from navigator.kb.schema import KnowledgeFile  # pydantic: only when asked for

    schema = KnowledgeFile.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "Navigator knowledge base file",
    }


def schema_text() -> str:
    """The schema as the committed file holds it: stable key order, a final newline."""
    return json.dumps(knowledge_schema(), indent=2, ensure_ascii=False) + "\n"
