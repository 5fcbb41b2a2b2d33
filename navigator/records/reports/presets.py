"""Disclosure-control presets: which counts are hidden, and whether the rest are rounded.

A preset is chosen by name in the settings (`suppression = "nhs-digital"`) or
on the command line (`navigator report --suppression threshold`):

- `nhs-digital` (the default): counts of 1 to 7 are hidden, and every other
  count is rounded to the nearest 5, as NHS Digital publishes hospital
  statistics. Secondary suppression still runs first on the exact counts, so
  no hidden count can be worked out from the sums; rounding then blunts what
  comparing two reports (a site against all sites, two overlapping periods)
  can tell a reader. Changes, rates and shares are worked from the rounded
  counts, so they agree with what is printed.
- `threshold`: today's rule without rounding: counts under
  `suppression_threshold` (default 5) hidden, with secondary suppression.
  For managers who may see the records themselves.
- `threshold-10`: the same with a threshold of 10, as ONS uses for sensitive
  outputs.

Zero is never rounded or hidden: nobody is in an empty cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from navigator.config import SUPPRESSION_PRESETS as PRESETS
from navigator.records.reports.suppression import round_count


@dataclass(frozen=True)
class Preset:
    """How figures are protected: the threshold under which counts hide, and rounding."""

    name: str
    threshold: int
    rounding: int = 0
    """Shown counts are rounded to the nearest multiple of this (0: not rounded)."""

    def describe(self) -> str:
        """One sentence for every report's notes: which rule was applied."""
        hidden = f"Counts of 1 to {self.threshold - 1} are hidden"
        if self.rounding:
            return (
                f"Disclosure control '{self.name}': {hidden}, and other counts are rounded to "
                f"the nearest {self.rounding} (changes, rates and shares are worked from the "
                "rounded counts, so a total may differ from the sum of its rounded parts)."
            )
        return f"Disclosure control '{self.name}': {hidden}; other counts are exact."

    def round(self, count: int) -> int:
        """A shown count as published: rounded half up to the nearest multiple, zero kept."""
        return round_count(count, self.rounding)


def preset(name: str, threshold: int = 5) -> Preset:
    """The preset called `name`; `threshold` is the settings' `suppression_threshold`.

    Raises ValueError naming the presets when `name` is not one of them.
    """
    presets = {
        "nhs-digital": Preset("nhs-digital", threshold=8, rounding=5),
        "threshold": Preset("threshold", threshold=threshold),
        "threshold-10": Preset("threshold-10", threshold=10),
    }
    if name not in presets:
        raise ValueError(f"'{name}' is not a disclosure preset; choose one of {', '.join(PRESETS)}")
    return presets[name]
