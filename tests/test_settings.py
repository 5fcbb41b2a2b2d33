"""Settings read from the environment: accepted in range, refused with a plain message."""

from __future__ import annotations

from pathlib import Path

import pytest

from navigator.config import ConfigError, load_settings


def test_a_slow_typist_setting_is_read_from_the_environment() -> None:
    settings = load_settings(environ={"NAVIGATOR_SECOND_DIGIT_SECONDS": "3"})
    assert settings.second_digit_seconds == 3.0
    assert load_settings(environ={}).second_digit_seconds == 1.2


@pytest.mark.parametrize("raw", ["0.1", "11", "soon"])
def test_a_second_digit_wait_out_of_range_is_refused_by_name(raw: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(environ={"NAVIGATOR_SECOND_DIGIT_SECONDS": raw})
    message = str(refused.value)
    assert "second_digit_seconds" in message and "NAVIGATOR_SECOND_DIGIT_SECONDS" in message


def test_the_managers_sites_are_read_from_a_file_or_the_environment(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('manager_sites = ["c07-central-library", "c07-online"]\n', encoding="utf-8")
    from_file = load_settings(config, environ={})
    assert from_file.manager_sites == ("c07-central-library", "c07-online")
    from_environment = load_settings(config, environ={"NAVIGATOR_MANAGER_SITES": "a, b a"})
    assert from_environment.manager_sites == ("a", "b")
    assert load_settings(tmp_path / "none.toml", environ={}).manager_sites == ()


def test_an_empty_site_name_is_refused_by_name(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('manager_sites = ["central-library", ""]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="manager_sites"):
        load_settings(config, environ={})
