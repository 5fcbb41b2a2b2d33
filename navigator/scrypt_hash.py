"""Reading a stored scrypt hash line, `scrypt$<n>$<r>$<p>$<salt>$<hash>`, strictly.

Both the staff PIN and the managers' password are kept this way. A line
that was edited by hand, cut short or copied badly must be refused when it
is read, with a message that says which file and what to do, and never
reach `hashlib.scrypt` (which raises on bad parameters, with the typed
secret in the traceback's locals) nor be accepted with a digest that
nothing could match. Parameters are bounded: a huge `n` or `p` would make
every check take minutes or all the memory.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

SCHEME = "scrypt"
N_RANGE = (2**10, 2**20)
R_RANGE = (1, 32)
P_RANGE = (1, 16)
MIN_SALT_BYTES = 8
DIGEST_BYTES = (16, 64)


class HashLineError(ValueError):
    """The line is not a hash Navigator wrote; the message says what is wrong with it."""


@dataclass(frozen=True)
class ScryptLine:
    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes


def parse_scrypt_line(line: str) -> ScryptLine:
    """The parts of a stored hash line, checked; `HashLineError` saying why not."""
    parts = line.strip().split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        raise HashLineError("it is not a line of the form scrypt$n$r$p$salt$hash")
    try:
        n, r, p = (int(part) for part in parts[1:4])
    except ValueError:
        raise HashLineError("its scrypt parameters are not whole numbers") from None
    if not (N_RANGE[0] <= n <= N_RANGE[1]) or n & (n - 1):
        raise HashLineError(f"its scrypt n ({_short(parts[1])}) is not a power of 2 from 1024")
    if not (R_RANGE[0] <= r <= R_RANGE[1]) or not (P_RANGE[0] <= p <= P_RANGE[1]):
        raise HashLineError("its scrypt r or p is out of range")
    salt, digest = _base64(parts[4], "salt"), _base64(parts[5], "hash")
    if len(salt) < MIN_SALT_BYTES:
        raise HashLineError("its salt is too short")
    if not (DIGEST_BYTES[0] <= len(digest) <= DIGEST_BYTES[1]):
        raise HashLineError("its hash has the wrong length")
    return ScryptLine(n, r, p, salt, digest)


def _base64(text: str, name: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise HashLineError(f"its {name} is not valid base64") from None


def _short(text: str) -> str:
    return text if len(text) <= 12 else text[:12] + "..."
