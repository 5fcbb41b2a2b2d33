"""The managers' password: stored only as a salted scrypt hash, in the config folder.

Figures about unmet need are sensitive even when suppressed (they describe
health and family life in small areas), so the dashboard opens only for
someone who knows the password. The file holds one line,
`scrypt$<n>$<r>$<p>$<salt>$<hash>` (base64), readable by its owner only.
Nothing here can recover the password; a forgotten one is simply set again by
someone with access to the machine's config folder.

A password must be at least `MINIMUM_LENGTH` characters, not all of one kind
(all letters, all digits...), and not a common password or one with only
digits and symbols around a common word (`data/common_passwords.txt`): those
are the first an attacker tries. Wrong tries are counted (`navigator.attempts`)
wherever the password is asked for, and a stored line that is damaged is
refused with a message, never used.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import stat
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from navigator.scrypt_hash import HashLineError, parse_scrypt_line

PASSWORD_FILE = "manager-password"
ATTEMPTS_FILE = "manager-password.attempts"
PASSWORD_FILE_ENVIRONMENT = "NAVIGATOR_MANAGER_PASSWORD_FILE"
MINIMUM_LENGTH = 12
MAXIMUM_LENGTH = 1024
COMMON_PASSWORDS = Path(__file__).with_name("data") / "common_passwords.txt"
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
    def decode(cls, line: str, where: Path | None = None) -> PasswordHash:
        try:
            parts = parse_scrypt_line(line)
        except HashLineError as problem:
            place = f"{where}: " if where is not None else ""
            raise PasswordProblem(
                f"{place}the stored manager password is damaged ({problem}); set it again "
                "with `navigator manager set-password`"
            ) from None
        return cls(parts.n, parts.r, parts.p, parts.salt, parts.digest)


def password_path(config_dir: Path) -> Path:
    return config_dir / PASSWORD_FILE


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32
    )


def password_problem(password: str) -> str | None:
    """Why `password` is too easy to guess, or None when it will do."""
    if len(password) < MINIMUM_LENGTH:
        return (
            f"the password must be at least {MINIMUM_LENGTH} characters long; "
            "a few ordinary words in a row make a good one"
        )
    if len(password) > MAXIMUM_LENGTH:
        return f"the password may be at most {MAXIMUM_LENGTH} characters long"
    if len(_kinds(password)) < 2:
        return (
            "the password is all one kind of character (all letters, all digits, "
            "all spaces...); mix in another kind, such as words with a space or a digit"
        )
    if _is_common(password):
        return (
            "that password is on the list of common passwords that are tried first; "
            "choose a few unrelated words instead"
        )
    return None


def _kinds(password: str) -> set[str]:
    kinds = set()
    for character in password:
        if character.islower():
            kinds.add("lower")
        elif character.isupper():
            kinds.add("upper")
        elif character.isdigit():
            kinds.add("digit")
        elif character.isspace():
            kinds.add("space")
        else:
            kinds.add("symbol")
    return kinds


def _is_common(password: str) -> bool:
    """On the list, or a listed word with only digits, symbols and spaces around it."""
    lowered = password.strip().lower()
    stem = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", lowered)
    squashed = re.sub(r"[\W_]+", "", lowered)
    common = common_passwords()
    return bool({lowered, stem, squashed} & common) or stem == "" or len(set(lowered)) <= 2


@cache
def common_passwords() -> frozenset[str]:
    """The list shipped with Navigator (`data/common_passwords.txt`), read once."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def hash_password(password: str) -> PasswordHash:
    """A new salted hash of `password`; raises `PasswordProblem` if it is too easy to guess."""
    problem = password_problem(password)
    if problem is not None:
        raise PasswordProblem(f"{problem}. Nothing was changed.")
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
    return PasswordHash.decode(line, path)


def check_password(stored: PasswordHash, attempt: str) -> bool:
    """True when `attempt` is the password, compared in constant time.

    Raises `PasswordProblem` (which never holds the attempt) if the stored
    parameters cannot be used, rather than letting scrypt's error, and the
    attempt with it, reach a traceback.
    """
    if len(attempt) > MAXIMUM_LENGTH:
        return False
    try:
        digest = _derive(attempt, stored.salt, stored.n, stored.r, stored.p)
    except (ValueError, MemoryError, OverflowError):
        raise PasswordProblem(
            "the stored manager password cannot be checked (its scrypt parameters are not "
            "usable); set it again with `navigator manager set-password`"
        ) from None
    return hmac.compare_digest(digest, stored.digest)


def attempts_path(data_dir: Path) -> Path:
    """Where wrong tries at the managers' password are counted (see `navigator.attempts`)."""
    return data_dir / ATTEMPTS_FILE


def read_password_file(path: Path) -> str:
    """The password in `path` (its first line), for scheduled jobs.

    Refused unless the file is a regular file that only its owner can read or
    write: a password others can read is no longer a secret.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as problem:
        raise PasswordProblem(
            f"{path}: the password file cannot be read ({problem.strerror})"
        ) from None
    with os.fdopen(descriptor, "rb") as stream:
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise PasswordProblem(f"{path}: the password file is not a regular file")
        if status.st_mode & 0o077:
            raise PasswordProblem(
                f"{path}: other people can read or change this password file "
                f"(mode {stat.S_IMODE(status.st_mode):o}). Make it readable by its owner "
                f"only: chmod 600 {path}"
            )
        if hasattr(os, "getuid") and status.st_uid != os.getuid():
            raise PasswordProblem(f"{path}: the password file belongs to another user")
        raw = stream.read(MAXIMUM_LENGTH * 4 + 2)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PasswordProblem(f"{path}: the password file is not UTF-8 text") from None
    lines = text.splitlines()
    return lines[0] if lines else ""
