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

from navigator.engine.views import ServiceView
from navigator.tui.text import AppText, Msg

QR_LIMIT = 900
"""Most characters put in a QR code: about version 20, still readable from a screen."""

PRINT_TIMEOUT_SECONDS = 30.0


def service_lines(service: ServiceView, text: AppText, *, brief: bool = False) -> list[str]:
    """A service's own details as plain lines; `brief` leaves out the description."""
    lines = [service.name]
    if not brief and service.description:
        lines.append(service.description)
    contact = service.contact
    for number, purpose in contact.phones:
        phone = text(Msg.CARD_PHONE, number=number)
        lines.append(f"{phone} ({purpose})" if purpose and not brief else phone)
    if contact.website:
        lines.append(text(Msg.CARD_WEBSITE, website=contact.website))
    if contact.email:
        lines.append(text(Msg.CARD_EMAIL, email=contact.email))
    if contact.address and not brief:
        lines.append(text(Msg.CARD_ADDRESS, address=contact.address))
    if service.schedules and not brief:
        lines.append(f"{text(Msg.CARD_HOURS)}: {service.schedules}")
    if service.status_note:
        lines.append(service.status_note)
    return lines


def printable_summary(services: Sequence[ServiceView], text: AppText) -> str:
    """The page "Print this" sends: a heading, each service, a note that nothing is personal."""
    heading = text(Msg.PRINT_HEADING)
    blocks = [f"{heading}\n{'=' * len(heading)}"]
    blocks.extend("\n".join(service_lines(service, text)) for service in services)
    blocks.append(text(Msg.PRINT_FOOTER))
    return "\n\n".join(blocks) + "\n"


def qr_payload(services: Sequence[ServiceView], text: AppText, limit: int = QR_LIMIT) -> str:
    """The text in the QR code: each service's name and how to reach it, cut to fit."""
    blocks: list[str] = []
    for service in services:
        block = "\n".join(service_lines(service, text, brief=True))
        if len("\n\n".join([*blocks, block])) > limit:
            break
        blocks.append(block)
    return "\n\n".join(blocks) or text(Msg.PRINT_HEADING)


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
