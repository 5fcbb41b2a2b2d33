"""The staff PIN that lets staff leave kiosk mode, kept only as a salted scrypt hash.

`navigator kiosk set-pin` writes the hash to `settings.config_dir/kiosk-pin`
(readable by its owner only); kiosk mode refuses to start without one. The
PIN itself is never stored or logged. Checking takes tens of milliseconds by
design (scrypt), which makes guessing slow even for someone who copies the file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from navigator.scrypt_hash import parse_scrypt_line

PIN_FILE_NAME = "kiosk-pin"
MIN_PIN_LENGTH = 6
MAX_PIN_LENGTH = 32
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
_SCHEME = "scrypt"


class PinFileError(Exception):
    """The PIN file exists but cannot be read or understood; the message says which and why."""


@dataclass(frozen=True)
class PinHash:
    """A salted scrypt hash of a PIN and the parameters it was made with."""

    salt: bytes
    digest: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    def encode(self) -> str:
        salt = base64.b64encode(self.salt).decode("ascii")
        digest = base64.b64encode(self.digest).decode("ascii")
        return f"{_SCHEME}${self.n}${self.r}${self.p}${salt}${digest}"

    @classmethod
    def decode(cls, text: str) -> PinHash:
        """Raises `HashLineError` (a ValueError) for a line that is not a usable hash."""
        parts = parse_scrypt_line(text)
        return cls(salt=parts.salt, digest=parts.digest, n=parts.n, r=parts.r, p=parts.p)

    def matches(self, pin: str) -> bool:
        """Whether `pin` is the PIN this hash was made from (in constant time).

        A hash whose parameters scrypt will not take matches nothing (`decode`
        refuses those, so this is only for a hash built some other way).
        """
        if len(pin) > MAX_PIN_LENGTH:
            return False
        try:
            candidate = _scrypt(pin, self.salt, self.n, self.r, self.p, len(self.digest))
        except (ValueError, MemoryError, OverflowError):
            return False
        return hmac.compare_digest(candidate, self.digest)


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, length: int = 32) -> bytes:
    return hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=length
    )


def hash_pin(pin: str, salt: bytes | None = None) -> PinHash:
    """A new salted hash of `pin`."""
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    return PinHash(salt=salt, digest=_scrypt(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P))


def pin_problem(pin: str) -> str | None:
    """Why this PIN cannot be used, or None when it is fine."""
    if not pin.isascii() or not pin.isdigit():
        return "a PIN is made of digits only (0-9)"
    if len(pin) < MIN_PIN_LENGTH:
        return f"a PIN needs at least {MIN_PIN_LENGTH} digits"
    if len(pin) > MAX_PIN_LENGTH:
        return f"a PIN has at most {MAX_PIN_LENGTH} digits"
    if len(set(pin)) == 1 or pin in "01234567890123456789" or pin in "98765432109876543210":
        return "that PIN is too easy to guess (repeated or consecutive digits)"
    return None


def pin_path(config_dir: Path) -> Path:
    return config_dir / PIN_FILE_NAME


def save_pin(config_dir: Path, pin: str) -> Path:
    """Store the hash of `pin`, readable by its owner only. Raises ValueError for a weak PIN."""
    problem = pin_problem(pin)
    if problem is not None:
        raise ValueError(problem)
    config_dir.mkdir(parents=True, exist_ok=True)
    path = pin_path(config_dir)
    partial = path.with_name(path.name + ".new")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(hash_pin(pin).encode() + "\n")
    partial.replace(path)
    return path


def load_pin(config_dir: Path) -> PinHash | None:
    """The stored PIN hash, or None when no PIN has been set."""
    path = pin_path(config_dir)
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as problem:
        raise PinFileError(f"{path}: the staff PIN file cannot be read ({problem})") from None
    try:
        return PinHash.decode(text)
    except ValueError as problem:
        raise PinFileError(
            f"{path}: this is not a staff PIN file Navigator wrote ({problem}). "
            "Set the PIN again with: navigator kiosk set-pin"
        ) from None


def attempts_path(data_dir: Path) -> Path:
    """Where wrong staff PINs are counted, so a restart does not forget them."""
    return data_dir / "kiosk-pin.attempts"
