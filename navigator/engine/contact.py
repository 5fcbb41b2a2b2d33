"""How to reach a service, as plain lines, and the text a QR code carries.

The card on screen, the printed page, the code a phone scans, the plain-text
chat and the advocate's summary all say how to reach a service. They once
built those lines separately and drifted apart (one listed email before the
website, one QR left out that a service was closed). Here they are built
once, in one order: phones, website, email, address, how to start, opening
hours, cost.

Each front end keeps its own words, looked up by key (a card says "Opening
hours", the advocate's summary "Opening times"), so a `ContactWords` names
the message keys a front end uses and how it looks them up. A key left as
None means that front end shows that detail elsewhere, or not at all.

Only the service's own details go in: never why it fits, since these lines
end up on paper and on phones, and must say nothing about the person.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import msgspec

from navigator.engine.views import ServiceView

QR_LIMIT = 900
"""Most characters put in a QR code: about version 20, still readable from a screen."""


NOT_TAKING_NOW = frozenset({"waiting_list", "closed"})
"""Fits worth a warning wherever a service is carried away: there is a wait, or no room."""


class Say(Protocol):
    """Looks up a message by key and fills in its `{placeholders}`."""

    def __call__(self, key: str, **values: object) -> str: ...


class ContactWords(msgspec.Struct, frozen=True):
    """The message keys one front end words a service's details with.

    Placeholders: `phone` {number}; `phone_for` {number} {purpose};
    `website` {website}; `email` {email}; `address` {address};
    `how_to_start` {how}; `hours` {hours}; `cost` {cost}; `waiting` {weeks}.
    """

    say: Say
    phone: str
    phone_for: str
    website: str
    email: str
    address: str
    how_to_start: str | None = None
    hours: str | None = None
    cost: str | None = None
    open: str | None = None
    """Said of a service taking people now; None says nothing (the usual case is quiet)."""
    waiting: str | None = None
    """Said of a waiting list when the engine gave no note; None leaves it unsaid."""
    waiting_no_time: str | None = None
    closed: str | None = None


def contact_lines(service: ServiceView, words: ContactWords, *, brief: bool = False) -> list[str]:
    """How to reach `service`, one line per way.

    `brief` keeps only what someone needs to get in touch (phones without
    what each is for, website, email): the short form a QR code carries.
    """
    say = words.say
    contact = service.contact
    lines = [
        say(words.phone_for, number=number, purpose=purpose)
        if purpose and not brief
        else say(words.phone, number=number)
        for number, purpose in contact.phones
    ]
    if contact.website:
        lines.append(say(words.website, website=contact.website))
    if contact.email:
        lines.append(say(words.email, email=contact.email))
    if brief:
        return lines
    for key, value, name in (
        (words.address, contact.address, "address"),
        (words.how_to_start, contact.how_to_start, "how"),
        (words.hours, service.schedules, "hours"),
        (words.cost, service.cost, "cost"),
    ):
        if key is not None and value:
            lines.append(say(key, **{name: value}))
    return lines


def status_line(service: ServiceView, words: ContactWords) -> str:
    """Whether the service can take people now, in words; '' when there is nothing to say.

    The engine's own note ("There is a waiting list of about 6 weeks.") comes
    first; the front end's words cover a view that has none.
    """
    if service.status_note:
        return service.status_note
    key: str | None
    if service.fit == "waiting_list":
        key = words.waiting if service.wait_weeks else words.waiting_no_time
    elif service.fit == "closed":
        key = words.closed
    else:
        key = words.open
    return words.say(key, weeks=service.wait_weeks or "") if key is not None else ""


def takeaway_block(service: ServiceView, words: ContactWords) -> str:
    """A service as a QR code carries it: its name, how to reach it, and any waiting or closing.

    "Open" is left out: space in a code is short, and open is what a reader assumes.
    """
    status = status_line(service, words) if service.fit in NOT_TAKING_NOW else ""
    lines = [service.name, *contact_lines(service, words, brief=True)]
    return "\n".join([*lines, status] if status else lines)


def qr_text(
    services: Sequence[ServiceView],
    words: ContactWords,
    *,
    before: Iterable[str] = (),
    after: Iterable[str] = (),
    empty: str = "",
    limit: int = QR_LIMIT,
) -> str:
    """The text in a QR code: `before`, each service's block, then `after`, kept to `limit`.

    Blocks are taken whole, in order, while they fit; one that does not fit
    is left out and the next tried, so a long list loses services rather
    than being cut mid-line, and short closing lines (next steps) still fit.
    `empty` is used when nothing fits or there is nothing to carry.
    """
    blocks = [*before, *(takeaway_block(service, words) for service in services), *after]
    kept: list[str] = []
    size = 0
    for block in blocks:
        grown = size + len(block) + (2 if kept else 0)
        if grown > limit:
            continue
        kept.append(block)
        size = grown
    return "\n\n".join(kept) or empty
