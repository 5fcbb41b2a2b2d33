"""The fingerprint of the English a translation was made from (no YAML library needed)."""

from __future__ import annotations

import hashlib


def english_hash(english: str) -> str:
    """Twelve hex digits of SHA-256 over the English with its spacing made single.

    Refolding a long line in the YAML does not make a translation stale; changing
    a word does. Twelve digits are plenty to tell two versions of one text apart.
    """
    return hashlib.sha256(" ".join(english.split()).encode("utf-8")).hexdigest()[:12]
