"""Made-up councils for the demo, each with its own size and pattern of demand.

Their places (wards, districts, populations, fictional GSS codes) are in the
knowledge base's `codes/places.yaml`; here is only how their residents use
Navigator, so that `navigator demo-data --council` makes records that differ
the way real councils' do: an older rural area asks more about care and
loneliness, a city more about housing, money and food.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Demand:
    """How a council's residents use Navigator over the demo's two years."""

    uptake: float
    """Sessions per resident over two years, for the default number of sessions."""
    seed: int
    need_weights: Mapping[str, float] = field(default_factory=dict)
    """How much more (or less) often than usual each need comes up."""


DEMAND: Mapping[str, Demand] = {
    "northbrook": Demand(uptake=0.20, seed=1),
    "eastmoor": Demand(
        uptake=0.12,
        seed=2,
        need_weights={
            "adult-social-care": 1.8, "carers-support": 1.5, "loneliness-isolation": 1.9,
            "disability-equipment": 1.5, "childcare-early-years": 0.5, "young-people": 0.5,
        },
    ),
    "riverford": Demand(
        uptake=0.30,
        seed=3,
        need_weights={
            "housing": 1.9, "money-debt": 1.6, "food-essentials": 1.8, "young-people": 1.4,
            "employment-skills": 1.4, "adult-social-care": 0.7, "loneliness-isolation": 0.7,
        },
    ),
    "hallam-vale": Demand(
        uptake=0.18,
        seed=4,
        need_weights={"family-support": 1.6, "children-send": 1.7, "mental-health": 1.4},
    ),
}  # fmt: skip


def demand_of(council_id: str) -> Demand:
    """The council's demand, or an ordinary one for a council the demo does not know."""
    return DEMAND.get(council_id, Demand(uptake=0.15, seed=sum(map(ord, council_id))))
