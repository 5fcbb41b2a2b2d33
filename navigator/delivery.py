"""Sending things out of Navigator: email by SMTP, or a file in a service's drop folder.

Used for warm referrals and for emailing the advocate's summary to the
resident (issue 20). Both carry personal details that Navigator must never
keep, so nothing here writes to the records, the log or any other file than
the drop folder the service asked for. Every failure comes back as a
`Delivery` that says what went wrong in words an advocate can act on; no
exception reaches the screen.

smtplib (the standard library) is enough: one message at a time, STARTTLS
when `smtp_starttls` is on (the default), a login when a username is set.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from navigator.config import Settings
from navigator.kb.model import Referral


@dataclass(frozen=True)
class Delivery:
    ok: bool
    way: str
    """`email` or `drop_folder`."""
    problem: str = ""


def email_ready(settings: Settings) -> str:
    """Why email cannot be sent with these settings, or "" when it can."""
    if not settings.smtp_host:
        return "email is not set up: set smtp_host and smtp_from in the settings"
    if not settings.smtp_from:
        return "email is not set up: set smtp_from (the sender address) in the settings"
    return ""


def send_email(settings: Settings, to: str, subject: str, body: str) -> Delivery:
    """Send one plain-text email; never raises for a network or server problem."""
    problem = email_ready(settings)
    if problem:
        return Delivery(False, "email", problem)
    assert settings.smtp_host is not None and settings.smtp_from is not None
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to.strip()
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=settings.smtp_from.rpartition("@")[2] or None)
    message.set_content(body)
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds
        ) as server:
            if settings.smtp_starttls:
                server.starttls(context=ssl.create_default_context())
            if settings.smtp_username:
                server.login(settings.smtp_username, settings.smtp_password or "")
            server.send_message(message)
    except smtplib.SMTPRecipientsRefused:
        return Delivery(False, "email", f"the mail server refused the address {to.strip()}")
    except smtplib.SMTPException as failure:
        return Delivery(False, "email", f"the mail server said no ({failure})")
    except (OSError, ssl.SSLError) as failure:
        where = f"{settings.smtp_host}:{settings.smtp_port}"
        return Delivery(False, "email", f"cannot reach the mail server {where} ({failure})")
    return Delivery(True, "email")


def drop_file(folder: Path, name: str, body: str) -> Delivery:
    """Write `body` as a new file `name` in `folder`, readable by its owner only (0o600)."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(body)
    except OSError as failure:
        return Delivery(False, "drop_folder", f"cannot write to {folder}: {failure.strerror}")
    return Delivery(True, "drop_folder")


def drop_folder(settings: Settings, referral: Referral) -> Path:
    """The service's drop folder: as written if absolute, else inside the data folder."""
    folder = Path(referral.drop_folder or "").expanduser()
    return folder if folder.is_absolute() else settings.data_dir / folder


def deliver(
    settings: Settings, referral: Referral, *, code: str, subject: str, body: str
) -> Delivery:
    """Send a referral the way its service asked: by email, or as `CODE.txt` in its folder."""
    if referral.email is not None:
        return send_email(settings, referral.email, subject, body)
    return drop_file(drop_folder(settings, referral), f"{code}.txt", f"{subject}\n\n{body}")
