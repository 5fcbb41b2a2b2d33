"""The review's sections, in one list: the dashboard's tabs, the report's order, the tests'.

A section is what a manager sees together (a tab of the dashboard, a part of
the report). Its tables are computed by a *group*: the figures that share one
suppression `Ledger` because their numbers add up across tables (unmet need by
need, by reason, by district, by age band and by agency all count the same
records, so the "Unmet need", "Where" and "Who pays" sections share the group
"unmet"). Protecting a group's tables apart would let a reader combine them.

Adding a section is adding one `Section` here (and, for new figures, its
group's module in `reports/groups/`, named in `GROUP_ORDER` and in the review's
table of builders): the dashboard makes a tab for it, with a number key, and
every export and test reads the same list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """One section of the review: its key, its title, its group, and the tables it shows."""

    key: str
    title: str
    group: str
    tables: tuple[str, ...]
    """Table keys; a key ending in ":" stands for a family (`funnel:` is every topic's)."""
    also: tuple[str, ...] = ()
    """Other groups whose tables this section shows too (the overview shows the languages)."""
    open_data: bool = False
    """Its tables go in the publication pack (`navigator publish`) too: only figures meant
    for anyone to read (no text residents typed, no internal content checks)."""

    @property
    def groups(self) -> tuple[str, ...]:
        return (self.group, *self.also)

    def shows(self, table_key: str) -> bool:
        return any(
            table_key == wanted or (wanted.endswith(":") and table_key.startswith(wanted))
            for wanted in self.tables
        )


SECTIONS: tuple[Section, ...] = (
    Section(
        "overview", "Overview", "overview", ("headline", "weekly", "languages"), ("languages",)
    ),
    Section(
        "unmet",
        "Unmet need",
        "unmet",
        ("unmet_by_need", "unmet_by_reason", "unmet_by_age_band", "unmet_by_month"),
        open_data=True,
    ),
    Section("places", "Where", "unmet", ("unmet_by_district",)),
    Section(
        "cost",
        "Who pays",
        "unmet",
        ("unmet_by_agency", "agency_by_need", "unmet_cost_by_agency", "cost_assumptions"),
        open_data=True,
    ),
    Section(
        "funnels",
        "Giving up",
        "funnels",
        ("gave_up_by_topic", "asked_for_person_by_topic", "asked_for_person_by_place", "funnel:"),
    ),
    Section("services", "Services", "services", ("service_pressure", "referrals")),
    Section("requests", "Requests", "requests", ("unmatched_requests",)),
    Section(
        "content",
        "Content",
        "content",
        ("meaning_unavailable", "stale_services", "rules_due", "content_versions"),
    ),
    Section("compare", "Side by side", "compare", ("compare_sites", "compare_channels")),
    Section(
        "followup",
        "Got help?",
        "followup",
        ("followup_overview", "followup_by_need", "followup_by_service", "followup_reasons"),
    ),
)
"""Every section, in the dashboard's tab order (number keys 1, 2, ...)."""

GROUP_ORDER: tuple[str, ...] = (
    "overview",
    "languages",
    "compare",
    "unmet",
    "funnels",
    "services",
    "requests",
    "content",
    "followup",
)
"""The order groups are computed and reported in: the overview first, always, since every
later group pins the overview cells it adds up to."""


def section(key: str) -> Section:
    """The section called `key`, or KeyError naming the sections there are."""
    return find(SECTIONS, key)


def find(sections: tuple[Section, ...], key: str) -> Section:
    """The section called `key` among `sections`, or KeyError naming the ones there are."""
    for found in sections:
        if found.key == key:
            return found
    raise KeyError(f"no section {key!r}; the sections are {', '.join(s.key for s in sections)}")


def check() -> None:
    """Every section's group is computed, and no two sections share a key (tests call this)."""
    keys = [found.key for found in SECTIONS]
    if len(set(keys)) != len(keys):
        raise ValueError(f"two sections share a key: {keys}")
    for found in SECTIONS:
        for group in found.groups:
            if group not in GROUP_ORDER:
                raise ValueError(f"section {found.key!r} names no computed group: {group!r}")
