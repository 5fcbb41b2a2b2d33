"""The relay keeps every event while the store is not open, and passes them on in order."""

from __future__ import annotations

import pytest

from navigator.engine.events import Event, SessionStarted
from navigator.records import relay as records_relay
from navigator.records.relay import RecordsRelay


class _ListWriter:
    def __init__(self) -> None:
        self.events: list[Event] = []
        self.closed = False

    def submit(self, event: Event) -> None:
        self.events.append(event)

    def close(self) -> None:
        self.closed = True


def _event(sequence: int) -> Event:
    return SessionStarted(
        session_id="s", sequence=sequence, channel="kiosk", site="x", content_hash="h"
    )


def test_a_failed_open_keeps_the_events_for_the_next_try() -> None:
    relay = RecordsRelay()
    relay.submit(_event(0))
    relay.fail("no disk")
    relay.submit(_event(1))

    assert relay.waiting_for_store and relay.store_problem() == "no disk"

    writer = _ListWriter()
    relay.attach(writer)

    assert [event.sequence for event in writer.events] == [0, 1]
    assert not relay.waiting_for_store and relay.store_problem() is None


def test_events_past_the_buffer_are_counted_and_said(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records_relay, "MAX_BUFFERED", 2)
    relay = RecordsRelay()
    for sequence in range(3):
        relay.submit(_event(sequence))

    assert relay.dropped == 1
    assert relay.store_problem() == (
        "too many events waited for the store (1 events could not be kept)"
    )
    relay.fail("no disk")
    assert relay.store_problem() == "no disk (1 events could not be kept)"
