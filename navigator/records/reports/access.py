"""The managers' password: stored only as a salted scrypt hash, in the config folder.

Figures about unmet need are sensitive even when suppressed (they describe
health and family life in small areas), so the dashboard opens only for
someone who knows the password. The file holds one line,
`scrypt$<n>$<r>$<p>$<salt>$<hash>` (base64), readable by its owner only.
Nothing here can recover the password; a forgotten one is simply set again by
someone with access to the machine's config folder.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PASSWORD_FILE = "manager-password"
MINIMUM_LENGTH = 10
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
"""OWASP's minimum for scrypt; about 50 ms here, cheap once per login, slow for guessing."""


class PasswordProblem(Exception):
    """A password that cannot be set or checked, with a message saying what to do."""


@dataclass(frozen=True)
class PasswordHash:
    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes

    def encode(self) -> str:
        salt = base64.b64encode(self.salt).decode("ascii")
        digest = base64.b64encode(self.digest).decode("ascii")
        return f"scrypt${self.n}${self.r}${self.p}${salt}${digest}"

    @classmethod
    def decode(cls, line: str) -> PasswordHash:
        try:
            scheme, n, r, p, salt, digest = line.strip().split("$")
            if scheme != "scrypt":
                raise ValueError(scheme)
            return cls(int(n), int(r), int(p), base64.b64decode(salt), base64.b64decode(digest))
        except ValueError:
            raise PasswordProblem(
                "the stored manager password is damaged; set it again with "
                "`navigator manager set-password`"
            ) from None


def password_path(config_dir: Path) -> Path:
    return config_dir / PASSWORD_FILE


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32
    )


def hash_password(password: str) -> PasswordHash:
    """A new salted hash of `password`; raises `PasswordProblem` if it is too short."""
    if len(password) < MINIMUM_LENGTH:
        raise PasswordProblem(
            f"the password must be at least {MINIMUM_LENGTH} characters long; "
            "a few ordinary words in a row make a good one"
        )
    salt = secrets.token_bytes(16)
    digest = _derive(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return PasswordHash(SCRYPT_N, SCRYPT_R, SCRYPT_P, salt, digest)


def set_password(config_dir: Path, password: str) -> Path:
    """Store a salted hash of `password` (owner-only), replacing any earlier one atomically."""
    line = hash_password(password).encode() + "\n"
    path = password_path(config_dir)
    try:
        config_dir.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(line)
        temporary.replace(path)
    except OSError as problem:
        raise PasswordProblem(f"{path}: cannot be written ({problem.strerror})") from None
    return path


def has_password(config_dir: Path) -> bool:
    return password_path(config_dir).is_file()


def load_hash(config_dir: Path) -> PasswordHash:
    """The stored hash, or `PasswordProblem` saying how to set one."""
    path = password_path(config_dir)
    try:
        line = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise PasswordProblem(
            "no manager password is set, so the dashboard stays closed. "
            "Set one first with `navigator manager set-password`."
        ) from None
    except (OSError, UnicodeDecodeError) as problem:
        reason = getattr(problem, "strerror", None) or "it is not a password file"
        raise PasswordProblem(f"{path}: cannot be read ({reason})") from None
    return PasswordHash.decode(line)


def check_password(stored: PasswordHash, attempt: str) -> bool:
    """True when `attempt` is the password, compared in constant time."""
    digest = _derive(attempt, stored.salt, stored.n, stored.r, stored.p)
    return hmac.compare_digest(digest, stored.digest)
