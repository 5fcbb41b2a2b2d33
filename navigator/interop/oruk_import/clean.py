"""Making feed text safe and readable: no HTML or scripts, no mojibake, tidy phone numbers.

Real feeds carry HTML (DfE's Family Hubs test data has a service with
`<script>` in its description) and double-encoded text (`Â£`, `â€™` in
Bristol's data). Residents must never see either, so every string from a
feed passes through `text` before it is kept.
"""

from __future__ import annotations

import html
import re

import ftfy
import nh3
import phonenumbers

_BLOCK_BREAK = re.compile(r"(?i)<\s*(?:br|/p|/li|/div|/h[1-6])\s*/?\s*>")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def text(value: object) -> str | None:
    """Plain text from a feed value: HTML and scripts removed, mojibake repaired; None if empty.

    Curly quotes are kept (ftfy would straighten them): they are the publisher's typography.
    """
    if value is None or isinstance(value, (dict, list)):
        return None
    plain = str(value)
    if not plain.isascii() or "<" in plain or "&" in plain:  # plain ASCII needs neither fix
        raw = _BLOCK_BREAK.sub("\n", ftfy.fix_text(plain, uncurl_quotes=False))
        # nh3 (ammonia) drops every tag, and the contents of <script> and <style>, then escapes.
        stripped = nh3.clean(raw, tags=set(), clean_content_tags={"script", "style"})
        plain = ftfy.fix_text(html.unescape(stripped), uncurl_quotes=False)
    lines = [_SPACES.sub(" ", line).strip() for line in plain.split("\n")]
    joined = _BLANK_LINES.sub("\n", "\n".join(lines)).strip()
    return joined or None


def line(value: object) -> str | None:
    """`text` on one line: for names, addresses and other short fields."""
    cleaned = text(value)
    return " ".join(cleaned.split()) if cleaned else None


def phone(number: object, region: str = "GB") -> str | None:
    """A phone number written the national way ("01632 960200"), or the cleaned text if unknown."""
    cleaned = line(number)
    if cleaned is None:
        return None
    try:
        parsed = phonenumbers.parse(cleaned, region)
    except phonenumbers.NumberParseException:
        return cleaned[:40] if len(cleaned) >= 3 else None
    if not phonenumbers.is_possible_number(parsed):
        return cleaned[:40] if len(cleaned) >= 3 else None
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if parsed.country_code == phonenumbers.country_code_for_region(region)
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, fmt)
