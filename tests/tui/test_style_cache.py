"""Textual's parsed CSS kept between starts (`navigator/tui/style_cache.py`).

A start served from the cache must parse no CSS before its first question and draw
exactly what a start that parsed everything draws; the cache is read before any CSS
is parsed and written only after the first screen, never on the way to it; anything
wrong with the file is a miss (Textual parses as it always did), never an error.
Real apps on the test borough, run by Textual's Pilot at both sizes; only Textual's
own parser is watched (counted), never replaced.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.css import stylesheet as textual_stylesheet
from textual.css.stylesheet import Stylesheet, StylesheetParseError
from textual.pilot import Pilot

from navigator.tui.app import NavigatorApp
from navigator.tui.style_cache import FILE_NAME, keep, restore
from navigator.tui.widgets.quick_replies import QuickReplies

pytestmark = pytest.mark.timeout(120)

SIZES = [(80, 24), (120, 40)]
LONG = 600.0
"""A background delay no test reaches: the first screen alone is what is checked."""


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Where each CSS source Textual parses from now on was read from (its parser is kept)."""
    seen: list[str] = []
    parse = textual_stylesheet.parse

    def counted(scope: str, css: str, read_from: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(read_from))
        return parse(scope, css, read_from, *args, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", counted)
    yield seen


async def _first_question(app: NavigatorApp, pilot: Pilot[int]) -> str:
    """What the first screen shows once the keyboard is on answer 1 and it is drawn."""
    while not isinstance(app.focused, QuickReplies):
        await pilot.pause(0.01)
    await pilot.pause()
    return app.export_screenshot()


async def _warm(make_app: Callable[..., NavigatorApp], folder: Path, size: tuple[int, int]) -> str:
    """Start once with an empty cache folder, as a first start does; its first screen."""
    app = make_app(style_cache=folder, background_delay_seconds=0.01)
    async with app.run_test(size=size) as pilot:
        drawn = await _first_question(app, pilot)
        for _ in range(500):  # written just after the first screen
            if (folder / FILE_NAME).exists():
                break
            await pilot.pause(0.01)
    assert (folder / FILE_NAME).exists()
    return drawn


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_start_from_the_cache_parses_no_css_and_draws_the_same(
    make_app: Callable[..., NavigatorApp],
    tmp_path: Path,
    parses: list[str],
    size: tuple[int, int],
) -> None:
    parsed_first = await _warm(make_app, tmp_path, size)
    assert parses, "the first start parses its CSS"
    parses.clear()

    app = make_app(style_cache=tmp_path, background_delay_seconds=LONG)
    async with app.run_test(size=size) as pilot:
        from_cache = await _first_question(app, pilot)
        assert parses == []
    assert from_cache == parsed_first


async def test_the_cache_is_written_after_the_first_screen_never_on_the_way_to_it(
    make_app: Callable[..., NavigatorApp], tmp_path: Path
) -> None:
    app = make_app(style_cache=tmp_path, background_delay_seconds=LONG)
    async with app.run_test(size=(80, 24)) as pilot:
        await _first_question(app, pilot)
        assert not (tmp_path / FILE_NAME).exists()


async def test_without_a_folder_nothing_is_kept(
    make_app: Callable[..., NavigatorApp], tmp_path: Path, parses: list[str]
) -> None:
    app = make_app(background_delay_seconds=0.01)  # tests and embedders: no cache
    async with app.run_test(size=(80, 24)) as pilot:
        await _first_question(app, pilot)
        await pilot.pause(0.3)
    assert parses
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a pickle at all", b"\x80\x05\x95garbage"],
    ids=["empty", "text", "truncated"],
)
async def test_a_damaged_cache_is_parsed_as_usual_and_written_again(
    make_app: Callable[..., NavigatorApp], tmp_path: Path, parses: list[str], damage: bytes
) -> None:
    parsed_first = await _warm(make_app, tmp_path, (80, 24))
    (tmp_path / FILE_NAME).write_bytes(damage)
    parses.clear()

    app = make_app(style_cache=tmp_path, background_delay_seconds=0.01)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await _first_question(app, pilot) == parsed_first
        for _ in range(500):
            if (tmp_path / FILE_NAME).stat().st_size > len(damage):
                break
            await pilot.pause(0.01)
    assert parses, "parsed as if there were no cache"
    stylesheet = Stylesheet(variables=app.stylesheet._variables)
    assert restore(stylesheet, tmp_path), "written again, whole"


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root")
async def test_a_cache_another_user_wrote_is_never_read(
    make_app: Callable[..., NavigatorApp], tmp_path: Path
) -> None:
    await _warm(make_app, tmp_path, (80, 24))
    os.chown(tmp_path / FILE_NAME, 1, 1)
    app = make_app(style_cache=tmp_path, background_delay_seconds=LONG)
    assert app._styles_restored == frozenset()


def test_rules_from_the_cache_are_the_rules_textual_parses(tmp_path: Path) -> None:
    """Entry by entry: the same selectors, declarations and priorities as a fresh parse."""
    variables = {"primary": "#123456", "text": "white"}
    css = "Static { color: $primary; padding: 1 2; } .big:focus > Label { text-style: bold; }"
    parsed = Stylesheet(variables=variables)
    parsed.add_source(css, ("here.tcss", ""), is_default_css=True, tie_breaker=3)
    parsed.parse()
    assert keep(parsed, tmp_path, frozenset())

    restored = Stylesheet(variables=variables)
    keys = restore(restored, tmp_path)
    assert keys == frozenset(parsed._parse_cache.keys())
    for key in keys:
        fresh, kept = parsed._parse_cache[key], restored._parse_cache[key]
        assert [rule.css for rule in kept] == [rule.css for rule in fresh]
        assert [(rule.is_default_rules, rule.tie_breaker) for rule in kept] == [
            (rule.is_default_rules, rule.tie_breaker) for rule in fresh
        ]


def test_other_theme_variables_are_a_miss(tmp_path: Path) -> None:
    parsed = Stylesheet(variables={"primary": "#123456"})
    parsed.add_source("Static { color: $primary; }", ("here.tcss", ""))
    parsed.parse()
    keep(parsed, tmp_path, frozenset())
    assert restore(Stylesheet(variables={"primary": "#654321"}), tmp_path) == frozenset()


def test_css_with_errors_is_never_kept(tmp_path: Path) -> None:
    """Textual must go on reporting a broken style sheet: its rules are not kept."""
    broken = Stylesheet()
    broken.add_source("Static { colour: red; }", ("broken.tcss", ""))
    with pytest.raises(StylesheetParseError):
        broken.parse()
    assert not keep(broken, tmp_path, frozenset())
    assert not (tmp_path / FILE_NAME).exists()


def test_nothing_new_is_not_written_again(tmp_path: Path) -> None:
    parsed = Stylesheet()
    parsed.add_source("Static { width: 10; }", ("here.tcss", ""))
    parsed.parse()
    assert keep(parsed, tmp_path, frozenset())
    again = Stylesheet()
    restored = restore(again, tmp_path)
    again.add_source("Static { width: 10; }", ("here.tcss", ""))
    again.parse()
    assert not keep(again, tmp_path, restored)


def test_a_folder_that_cannot_be_written_is_left_alone(tmp_path: Path) -> None:
    parsed = Stylesheet()
    parsed.add_source("Static { width: 10; }", ("here.tcss", ""))
    parsed.parse()
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert not keep(parsed, blocked, frozenset())
