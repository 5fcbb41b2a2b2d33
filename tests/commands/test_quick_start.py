"""`quick_start`: the collector is paused only while starting, and always comes back on."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from navigator.commands.app import quick_start


@pytest.fixture
def collector_restored() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if was_enabled:
        gc.enable()
    else:  # pragma: no cover - pytest runs with the collector on
        gc.disable()


@pytest.mark.usefixtures("collector_restored")
def test_the_collector_is_off_while_starting_and_on_afterwards() -> None:
    gc.enable()
    with quick_start():
        assert not gc.isenabled()
        started_with = [object() for _ in range(10)]
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # what was built while starting is frozen
    assert started_with


@pytest.mark.usefixtures("collector_restored")
def test_the_collector_comes_back_on_when_starting_fails() -> None:
    gc.enable()
    with pytest.raises(RuntimeError, match="no knowledge"), quick_start():
        raise RuntimeError("no knowledge")
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_restored")
def test_a_collector_turned_off_elsewhere_stays_off() -> None:
    gc.disable()
    with quick_start():
        pass
    assert not gc.isenabled()
