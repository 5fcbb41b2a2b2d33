"""Options given before or after the command's name mean the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from navigator.cli import build_parser, settings_for


@pytest.mark.parametrize(
    "argv",
    [
        ["--db", "/tmp/x.sqlite3", "--site", "market-hall", "--kb", "/tmp/kb", "advocate"],
        ["advocate", "--db", "/tmp/x.sqlite3", "--site", "market-hall", "--kb", "/tmp/kb"],
        ["--db", "/tmp/x.sqlite3", "--kb", "/tmp/kb", "kiosk", "--site", "market-hall"],
    ],
)
def test_global_options_survive_the_subcommand(argv: list[str]) -> None:
    settings = settings_for(build_parser().parse_args(argv))

    assert settings.resolved_database_url == f"sqlite:///{Path('/tmp/x.sqlite3').resolve()}"
    assert settings.site == "market-hall"
    assert settings.knowledge == Path("/tmp/kb")


def test_demo_data_before_the_command_goes_to_the_named_file(tmp_path: Path) -> None:
    arguments = build_parser().parse_args(["--db", str(tmp_path / "d.sqlite3"), "demo-data"])
    assert settings_for(arguments).resolved_database_url.endswith("d.sqlite3")
