"""Numbers written in prose follow the same rule as phone fields.

`navigator validate` checks every phone field against content-rules.yaml's drama
ranges, but a number inside a sentence ("call the emergency line on ...") was read
by nobody: one in the real 0300 range sat in a crisis panel's text until session 6.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
UK_NUMBER = re.compile(r"(?<![\d£.])0\d{2,4}[ ]?\d{3,4}[ ]?\d{3,4}(?![\d])")
"""A UK phone number as the demo writes one (01632 960 100, 03069 990310)."""


def _rules() -> tuple[tuple[str, ...], set[str]]:
    document = yaml.safe_load((KNOWLEDGE / "content-rules.yaml").read_text(encoding="utf-8"))
    phones = document["content_rules"]["phone_numbers"]
    digits = lambda text: re.sub(r"\D", "", str(text))  # noqa: E731
    return tuple(digits(r) for r in phones["drama_ranges"]), {
        digits(n) for n in phones["real_numbers"]
    }


def test_every_number_written_in_a_sentence_is_a_drama_number_or_a_listed_real_one() -> None:
    drama, real = _rules()
    offending = []
    for path in sorted(KNOWLEDGE.rglob("*.yaml")):
        if path.name == "content-rules.yaml" or "candidates" in path.parts:
            continue
        for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "made_from" in line:  # hashes of English, not numbers
                continue
            for found in UK_NUMBER.findall(line):
                number = re.sub(r"\D", "", found)
                if number not in real and not number.startswith(drama):
                    offending.append(f"{path.relative_to(KNOWLEDGE)}:{line_number}: {found}")
    assert offending == []
