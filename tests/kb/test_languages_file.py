"""`languages:` entries as content staff write them: a wrong value is a clear finding."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from navigator.cli import main
from tests.kb.kbfiles import BASE, line_of, write_kb

NOW = dt.date.today()
"""The command judges review dates on the real today, so the files say they were reviewed today."""
OTHER_LANGUAGE = """
  - id: other_language
    title: Needed another language
    description: The person wrote in a language the content is not written in.
"""
"""The reason Navigator records for a language it answers in but is not written in."""
SPANISH = """\
languages:
  - id: es
    name: Spanish
    own_name: Español
    language_model: {model}
    title: Ayuda en su idioma
    text: La información está en inglés. En una emergencia, llame al 999.
    prompt: Elija un número.
"""


def _base() -> str:
    """The base file with the reason an unserved language needs."""
    return BASE.replace("\nreasons:\n", f"\nreasons:{OTHER_LANGUAGE}", 1)


def test_a_language_model_value_the_schema_does_not_allow_is_a_file_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`language_model: sometimes` (only `shared` and `when_first` mean anything): exit 1,
    the file, line and field, and the values allowed; no traceback."""
    files = {"languages.yaml": SPANISH.format(model="sometimes")}
    write_kb(tmp_path, base=_base(), reviewed=NOW, extra=files)
    status = main(["validate", str(tmp_path)])
    out, err = capsys.readouterr()
    assert status == 1
    line = line_of(tmp_path / "languages.yaml", "language_model: sometimes")
    finding = next(row for row in out.splitlines() if "language_model" in row)
    assert finding.startswith(f"{tmp_path / 'languages.yaml'}:{line}:"), finding
    assert "error" in finding and "'shared'" in finding and "'when_first'" in finding
    assert "Traceback" not in out + err


def test_when_first_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {"languages.yaml": SPANISH.format(model="when_first")}
    write_kb(tmp_path, base=_base(), reviewed=NOW, extra=files)
    status = main(["validate", str(tmp_path)])
    out, _ = capsys.readouterr()
    assert status == 0, out
