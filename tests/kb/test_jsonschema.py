"""The JSON Schema editors use: current, true to the demo, and strict where staff slip."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from navigator.kb.jsonschema import SCHEMA_FILE, knowledge_schema, schema_text
from navigator.kb.knowledge import IGNORED_FOLDERS  # transcripts/, codes/: not knowledge
from tests.conftest import DEMO_KNOWLEDGE

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)$")


class _Yaml12Loader(yaml.SafeLoader):
    """Reads YAML as editors do (YAML 1.2): dates stay strings, only true/false are booleans."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [
        (tag, pattern)
        for tag, pattern in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)


def _demo_files() -> list[Path]:
    return sorted(
        path
        for path in DEMO_KNOWLEDGE.rglob("*.yaml")
        if not IGNORED_FOLDERS & set(path.relative_to(DEMO_KNOWLEDGE).parts)
    )


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(knowledge_schema())


def _errors(document: Any) -> list[str]:
    return [error.message for error in _validator().iter_errors(document)]


def test_the_committed_schema_is_the_one_the_code_makes() -> None:
    committed = (DEMO_KNOWLEDGE / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == schema_text(), (
        "knowledge/knowledge.schema.json is out of date: run "
        "'navigator schema --out knowledge/knowledge.schema.json'"
    )
    jsonschema.Draft202012Validator.check_schema(json.loads(committed))


@pytest.mark.parametrize("path", _demo_files(), ids=lambda path: path.name)
def test_every_demo_file_names_the_schema_and_passes_it(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    found = MODELINE.match(first_line)
    assert found is not None, f"{path} does not start with the yaml-language-server line"
    assert (path.parent / found["path"]).resolve() == (DEMO_KNOWLEDGE / SCHEMA_FILE).resolve()
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml12Loader)
    assert _errors(document) == []


def test_the_schema_catches_what_staff_get_wrong(tmp_path: Path) -> None:
    written = tmp_path / "services.yaml"
    written.write_text(
        "services:\n  - id: Bad Id\n    name: {cy: Gwasanaeth}\n    descripton: a misspelt field\n",
        encoding="utf-8",
    )
    messages = " | ".join(_errors(yaml.load(written.read_text(), Loader=_Yaml12Loader)))
    assert "'Bad Id' does not match" in messages
    assert "descripton" in messages  # unknown fields are refused, as validate refuses them
    assert "'en' is a required property" in messages or "is not valid under any" in messages


def test_text_is_a_string_or_languages_with_english() -> None:
    text = knowledge_schema()["$defs"]["Text"]
    check = jsonschema.Draft202012Validator({**text, "$defs": {}})
    assert check.is_valid("Hello")
    assert check.is_valid({"en": "Hello", "cy": "Helo"})
    assert not check.is_valid({"cy": "Helo"})
    assert not check.is_valid({"en": "Hello", "Welsh": "Helo"})
    assert not check.is_valid("")


def test_the_command_prints_the_schema_and_says_when_it_cannot_write(tmp_path: Path) -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "navigator.cli", "schema"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(printed.stdout)["title"] == "Navigator knowledge base file"
    refused = subprocess.run(
        [sys.executable, "-m", "navigator.cli", "schema", "--out", str(tmp_path / "no" / "x")],
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2
    assert "cannot write" in refused.stderr and "Traceback" not in refused.stderr
