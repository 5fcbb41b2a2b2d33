"""Settings read from the environment: accepted in range, refused with a plain message."""

from __future__ import annotations

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
