"""What a person can take away from an outcome: a plain summary to print, and a QR code.

Both carry only the services' own details (name, what it offers, how to
reach it, opening hours, waiting time): never the answers, the facts or the
reasons a service fits ("because you are 65 or over"), since a page left
on a printer or a code shown on a screen must say nothing about the person.
"""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

from msgspec.structs import replace

from navigator.engine.contact import (
    QR_LIMIT,
    ContactWords,
    Say,
    contact_lines,
    qr_text,
    status_line,
)
from navigator.engine.views import CrisisContactView, ServiceView
from navigator.tui.text import AppText, Msg

PRINT_TIMEOUT_SECONDS = 30.0


def app_say(text: AppText) -> Say:
    """`text` as the shared contact builder looks words up: by key, as a plain string."""

    def say(key: str, **values: object) -> str:
        return text(Msg(key), **values)

    return say


def card_words(text: AppText) -> ContactWords:
    """The app's words for how to reach a service and whether it can take people now."""
    return ContactWords(
        say=app_say(text),
        phone=Msg.CARD_PHONE,
        phone_for=Msg.CARD_PHONE_FOR,
        website=Msg.CARD_WEBSITE,
        email=Msg.CARD_EMAIL,
        address=Msg.CARD_ADDRESS,
        how_to_start=Msg.CARD_HOW_TO_START,
        open=Msg.CARD_OPEN,
        waiting=Msg.CARD_WAITING,
        waiting_no_time=Msg.CARD_WAITING_NO_TIME,
        closed=Msg.CARD_CLOSED,
    )


def print_words(text: AppText) -> ContactWords:
    """The card's words for the printed page: with "how to start", opening hours and cost
    (the card shows the last two in lines of their own), without "taking new people"."""
    return replace(card_words(text), open=None, hours=Msg.PRINT_HOURS, cost=Msg.PRINT_COST)


def code_words(text: AppText) -> ContactWords:
    """The words for a QR code: how to reach the service and its hours, kept short."""
    return replace(card_words(text), how_to_start=None, open=None, hours=Msg.PRINT_HOURS)


def service_lines(service: ServiceView, text: AppText) -> list[str]:
    """A service's own details for the printed page: name, what it offers, how to reach it,
    how to start, its hours and what it costs."""
    words = print_words(text)
    status = status_line(service, words)
    lines = [service.name]
    if service.description:
        lines.append(service.description)
    lines.extend(contact_lines(service, words))
    return [*lines, status] if status else lines


def printable_summary(services: Sequence[ServiceView], text: AppText, *, followup: str = "") -> str:
    """The page "Print this" sends: a heading, each service, the follow-up code's line
    (when records are kept), and a note that nothing is personal."""
    heading = text(Msg.PRINT_HEADING)
    blocks = [f"{heading}\n{'=' * len(heading)}"]
    blocks.extend("\n".join(service_lines(service, text)) for service in services)
    if followup:
        blocks.append(followup)
    blocks.append(text(Msg.PRINT_FOOTER))
    return "\n\n".join(blocks) + "\n"


def qr_payload(services: Sequence[ServiceView], text: AppText, limit: int = QR_LIMIT) -> str:
    """The text in the QR code: each service's name and how to reach it, kept to `limit`."""
    return qr_text(services, code_words(text), empty=text(Msg.PRINT_HEADING), limit=limit)


def service_codes(service: ServiceView, text: AppText) -> tuple[str, ...]:
    """What one service's code may carry, fullest first; the screen shows the first that fits.

    The fullest is the service's block as on paper (less what it offers);
    then its name, first phone number and website; then its name and one
    way to reach it. Each is complete in itself, so a small screen gives a
    smaller code, never a cut one.
    """
    contact = service.contact
    phone = text(Msg.CARD_PHONE, number=contact.phones[0][0]) if contact.phones else ""
    website = text(Msg.CARD_WEBSITE, website=contact.website) if contact.website else ""
    candidates = (
        qr_text([service], code_words(text), empty=service.name),
        "\n".join(line for line in (service.name, phone, website) if line),
        "\n".join(line for line in (service.name, phone or website) if line),
    )
    return tuple(dict.fromkeys(candidates))


def fitting_code(payloads: Sequence[str], width: int, height: int) -> tuple[str, list[str]]:
    """The first payload whose drawn code fits `width` x `height` cells, and its rows.

    When none fits (a terminal smaller than the app allows), the smallest is returned.
    """
    drawn = [(payload, qr_rows(payload)) for payload in payloads]
    for payload, rows in drawn:
        if len(rows) <= height and len(rows[0]) <= width:
            return payload, rows
    return min(drawn, key=lambda pair: len(pair[1]))


def crisis_contact_lines(contact: CrisisContactView, text: AppText) -> list[str]:
    """One crisis contact as plain lines: its name and each way to reach it."""
    lines = [contact.name]
    if contact.phone:
        lines.append(text(Msg.SAFEGUARDING_CALL, phone=contact.phone))
    if contact.text_number:
        lines.append(text(Msg.SAFEGUARDING_TEXT, number=contact.text_number))
    if contact.website:
        lines.append(text(Msg.SAFEGUARDING_WEBSITE, website=contact.website))
    return lines


def printable_contacts(contacts: Sequence[CrisisContactView], text: AppText) -> str:
    """The crisis contacts on paper: how to reach each one, and nothing about the person."""
    heading = text(Msg.SAFEGUARDING_PRINT_HEADING)
    blocks = [f"{heading}\n{'=' * len(heading)}"]
    for contact in contacts:
        lines = crisis_contact_lines(contact, text)
        blocks.append("\n".join([*lines, contact.how] if contact.how else lines))
    blocks.append(text(Msg.PRINT_FOOTER))
    return "\n\n".join(blocks) + "\n"


def crisis_payload(
    contacts: Sequence[CrisisContactView], text: AppText, limit: int = QR_LIMIT
) -> str:
    """The crisis contacts for a phone: name and numbers only, so the code stays small."""
    blocks = ["\n".join(crisis_contact_lines(contact, text)) for contact in contacts]
    payload = text(Msg.SAFEGUARDING_PRINT_HEADING)
    for block in blocks:
        if len(payload) + len(block) + 2 > limit:
            break
        payload += "\n\n" + block
    return payload


def crisis_codes(contacts: Sequence[CrisisContactView], text: AppText) -> tuple[str, ...]:
    """What the crisis code may carry, fullest first: all the contacts, then fewer of them."""
    candidates = [crisis_payload(contacts[:count], text) for count in range(len(contacts), 0, -1)]
    return tuple(dict.fromkeys(candidates)) or (text(Msg.SAFEGUARDING_PRINT_HEADING),)


def qr_rows(payload: str) -> list[str]:
    """The QR code for `payload` drawn with half blocks: two modules to each character row.

    Draw the rows dark-on-light (black on white): phones read a code only
    when its modules are darker than the quiet zone around it.
    """
    import segno  # only when someone asks for a code: it is not needed to start

    code = segno.make(payload, error="l", boost_error=False, micro=False)
    matrix = [list(row) for row in code.matrix_iter(border=2)]
    if len(matrix) % 2:
        matrix.append([0] * len(matrix[0]))
    glyphs = {(1, 1): "█", (1, 0): "▀", (0, 1): "▄", (0, 0): " "}
    return [
        "".join(glyphs[(int(top), int(bottom))] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(matrix[0::2], matrix[1::2], strict=True)
    ]


@dataclass(frozen=True)
class PrintResult:
    ok: bool
    detail: str = ""
    """For the log and staff: what went wrong. Never shown to residents."""


def send_to_printer(
    command: str, summary: str, timeout: float = PRINT_TIMEOUT_SECONDS
) -> PrintResult:
    """Run the print command with the summary on its standard input (`lp` reads it from there).

    Blocking: call it from a thread worker. Never raises: a missing printer
    is an ordinary day at a library.
    """
    try:
        arguments = shlex.split(command)
    except ValueError as problem:
        return PrintResult(False, f"print_command cannot be read: {problem}")
    if not arguments:
        return PrintResult(False, "print_command is empty")
    try:
        finished = subprocess.run(
            arguments,
            input=summary.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        return PrintResult(False, f"'{arguments[0]}' was not found")
    except (OSError, subprocess.SubprocessError) as problem:
        return PrintResult(False, f"'{arguments[0]}' failed: {problem}")
    if finished.returncode != 0:
        error = finished.stderr.decode("utf-8", "replace").strip()[:200]
        return PrintResult(False, f"'{arguments[0]}' exited with {finished.returncode}: {error}")
    return PrintResult(True)
