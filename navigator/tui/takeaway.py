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
    """The card's words for the printed page and the QR code: with opening hours (the card
    shows them in their own line), without "how to start" and without "open now"."""
    return replace(card_words(text), how_to_start=None, open=None, hours=Msg.PRINT_HOURS)


def service_lines(service: ServiceView, text: AppText) -> list[str]:
    """A service's own details for the printed page: name, what it offers, how to reach it."""
    words = print_words(text)
    status = status_line(service, words)
    lines = [service.name]
    if service.description:
        lines.append(service.description)
    lines.extend(contact_lines(service, words))
    return [*lines, status] if status else lines


def printable_summary(services: Sequence[ServiceView], text: AppText) -> str:
    """The page "Print this" sends: a heading, each service, a note that nothing is personal."""
    heading = text(Msg.PRINT_HEADING)
    blocks = [f"{heading}\n{'=' * len(heading)}"]
    blocks.extend("\n".join(service_lines(service, text)) for service in services)
    blocks.append(text(Msg.PRINT_FOOTER))
    return "\n\n".join(blocks) + "\n"


def qr_payload(services: Sequence[ServiceView], text: AppText, limit: int = QR_LIMIT) -> str:
    """The text in the QR code: each service's name and how to reach it, kept to `limit`."""
    return qr_text(services, print_words(text), empty=text(Msg.PRINT_HEADING), limit=limit)


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
