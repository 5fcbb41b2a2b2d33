"""The pack's methodology and quality note, and its licence: what a reader must know first.

Written in the spirit of the Code of Practice for Statistics: what is counted,
who is covered and who is not, how figures are protected, which versions of
the knowledge base and crosswalk made them, and how revisions are handled.
"""

from __future__ import annotations

from navigator.interop.evidence.pack import OGL_URL, Pack
from navigator.interop.evidence.review_sections import methodology_part


def _coverage(pack: Pack) -> str:
    if not pack.coverage:
        return "No sessions were recorded in this period.\n"
    lines = ["| site | channel | sessions |", "|---|---|---:|"]
    lines += [f"| {site} | {channel} | {sessions} |" for site, channel, sessions in pack.coverage]
    return "\n".join(lines) + "\n"


def methodology(pack: Pack) -> str:
    """The note, in Markdown."""
    codes, council = pack.codes, pack.council
    fictional = (
        "\n**These figures are made up.** The council, its wards and their codes are fictional "
        "(demo data); no real place is described.\n"
        if council.fictional
        else ""
    )
    return f"""# Unmet need, {council.name} ({council.code}), {pack.period.name}

Methodology and quality note. Made {pack.made_at} by Navigator.
{fictional}
## What is counted

Navigator is a guided front door to local support, used on kiosks, with an advocate,
and on the web. When a person reaches a point where no service fits (none exists, they are
not eligible, there is a wait, it is out of area, they cannot get to it, or none would help),
Navigator records the need and why, with no name, address or free text that could identify
them. Each row of `unmet-need.csv` counts **sessions** (people, not records) that started in
{pack.period.start:%d %B %Y} to {pack.period.end:%d %B %Y} (UTC) and recorded the need unmet
for the reason, by area and channel. `denominator_sessions` counts the sessions in the same
area, period and channel that asked about the need (chose one of its topics or recorded it
unmet); for `unmatched` requests, every session.

## Codes

- Needs: the LGA Needs list ({codes.needs_list.uri}, snapshot modified
  {codes.needs_list.modified}), through the publisher's crosswalk; `needs.csv` gives each
  local need's code and how close the match is (exact, close, broad) or why none matches.
- Reasons: the shared reason code list `{codes.reason_list_id}` version
  {codes.reason_list_version} (`reasons.csv`), with adult social care Client Level Data event
  outcomes and 211 categories where they apply. Sub-codes (`ACCESS_BARRIER.HOURS`) add up to
  no published parent: a session is counted under its most exact code.
- Places: ONS GSS codes; populations ({codes.population_year}): {codes.population_source}.
  A session is placed in a ward only when the person gave a postcode district; the council's
  row counts every session recorded at its sites and online, wherever the person lives.
- Crosswalk version **{codes.version}** (codes digest {codes.digest}) coded every figure;
  knowledge base version {pack.kb_version}. Packs compare like for like only when their
  crosswalk versions match (`navigator compare` checks).

## Coverage

Sessions in the period by site and channel (protected like every other figure):

{_coverage(pack)}
## Who is not covered

People who use kiosks, advocates and the web are not the population. They are people who
came looking for help, in places and at hours when Navigator was there, and who could use
it. People who never ask, who ask elsewhere (phone, GP, a councillor), or who gave up before
reaching an end are not counted. Rates per 1,000 sessions describe people who asked;
rates per 100,000 residents (made by `navigator compare` from `areas.csv`) describe reach as
much as need. Differences between councils may come from how widely Navigator is offered.

## Disclosure control

{pack.preset.describe()} Every count, including denominators and coverage, is protected
before anything is written. A council's figure is the sum of its wards' and of sessions with
no ward, which is never published; where a sum would still give a hidden count away, a
second count is hidden. Hidden figures read `[c]` (confidential); rates are worked from the
published, rounded figures and read `[c]` where either is hidden, `[z]` where the
denominator is 0 (not applicable). `[x]` (not available) is not used: every cell of the
pack is counted, zeros included. Periods are fixed calendar months or quarters, so two packs
never overlap in part and cannot be subtracted. A sum of published rounded figures may
differ from the true total.

{methodology_part(pack.sections, pack.sections_left_out)}
## Revisions

A pack is published once per period and never overwritten. A later crosswalk version or a
late batch of records from a kiosk that was offline makes a revised pack, published with a
new `version` in `datapackage.json`, marked `[r]` in its title, and the change described
here. Earlier packs stay available as published.

## Licence

Open Government Licence v3.0 ({OGL_URL}). See LICENCE.md.
"""


def licence_text(pack: Pack) -> str:
    """The licence statement and the attributions the lists require."""
    codes = pack.codes
    return f"""# Licence

This pack is published by {pack.council.name} under the Open Government Licence v3.0:
{OGL_URL}

You are free to copy, publish, adapt and exploit it, commercially and non-commercially, if
you acknowledge the source: "Contains public sector information from {pack.council.name}
licensed under the Open Government Licence v3.0."

Codes used:

- {codes.needs_list.title}: {codes.needs_list.attribution}
- {codes.services_list.title}: {codes.services_list.attribution}
- ONS GSS geography codes: Contains public sector information licensed under the Open
  Government Licence v3.0 (for the demo, the codes are made up).
"""
