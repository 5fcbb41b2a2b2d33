"""A small, complete, valid knowledge base as real YAML files, for tests to break one way at a time.

`write_kb(root)` writes the files (a `messages.yaml` holds every message
Navigator requires, so the knowledge base stays valid as that list grows);
`write_kb(root, topics=TOPIC.replace(...))` writes them with one file changed.
`line_of(path, text)` finds the line a finding should point at, so tests
assert exact lines without hard-coding them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from navigator.kb import Diagnostic, LoadResult, load
from navigator.kb.requirements import REQUIRED_MESSAGES
from navigator.kb.validate import validate

TODAY = dt.date(2025, 6, 1)
"""The day tests judge review dates on; the base knowledge base was reviewed just before."""

REVIEWED = dt.date(2025, 5, 1)
"""When the base knowledge base says it was last reviewed and verified."""

BASE = """\
place:
  name: Testborough
  districts: [TB1, TB2]

needs:
  - id: carers-support
    title: Support for carers
    description: Help for people who look after someone.
    cost_falls_on: [nhs]
  - id: housing
    title: Housing
    description: Help with a home.

agencies:
  - id: nhs
    name: The NHS

reasons:
  - id: no_service
    title: No service
    description: Nothing here offers this help.
  - id: ineligible
    title: Not eligible
    description: The person does not meet the rules.
  - id: waiting_list
    title: Waiting list
    description: The person would have to wait.
  - id: out_of_area
    title: Out of area
    description: The person lives somewhere else.
  - id: cannot_access
    title: Cannot get to it
    description: The person cannot use the service.
  - id: not_helpful
    title: Not helpful
    description: None of the services would help.
  - id: unmatched
    title: Not matched
    description: Nothing matched what the person asked.

facts:
  - id: age_band
    title: Age
    values:
      under-65: you are under 65
      65+: you are 65 or over
  - id: carer
    title: Looking after someone
    values:
      yes: you look after someone
      no: you do not look after anyone
  - id: weekly_income
    title: Money coming in each week
    phrase: about £{value} comes in each week

safeguarding:
  verified_on: 2025-05-01
  kinds:
    - id: immediate-danger
      title: Immediate danger
      message: You can get help right now.
      signs: [in danger now]
      contacts: [emergency]
  contacts:
    - id: emergency
      name: Emergency services
      phone: "999"
      how: Call 999 if you are in danger now.
"""

TOPIC = """\
topics:
  - id: carers
    need: carers-support
    title: Looking after someone
    summary: Help if you look after a family member or friend.
    keywords: [carer]
    examples: [I look after my mum]
    start: carers-start

nodes:
  - id: carers-start
    type: question
    text: Do you look after someone?
    options:
      - label: "Yes"
        set: {carer: yes}
        next: carers-age
      - label: "No"
        set: {carer: no}
        next: carers-none
  - id: carers-age
    type: question
    text: How old are you?
    options:
      - label: Under 65
        set: {age_band: under-65}
        next: carers-info
      - label: 65 or over
        set: {age_band: 65+}
        next: carers-info
  - id: carers-info
    type: info
    text: A carer's assessment is a talk about how caring affects you.
    next: carers-money
  - id: carers-money
    type: question
    text: About how much money comes in each week?
    options:
      - label: Under £200
        set: {weekly_income: 150}
        next: carers-outcome
      - label: £200 or more
        set: {weekly_income: 300}
        next: carers-outcome
  - id: carers-outcome
    type: outcome
    text: These services may help you.
    services: [carers-centre, carers-grant]
  - id: carers-none
    type: unmet
    text: We have noted what you asked for.
    need: carers-support
    reason: no_service
    cost_falls_on: [nhs]

services:
  - id: carers-centre
    name: Testborough Carers Centre
    description: Advice and a friendly ear for carers.
    provider: Testborough Carers
    needs: [carers-support]
    contact:
      phones:
        - number: 01632 960001
      website: https://example.org/carers
    service_areas: [TB1, TB2]
    last_reviewed: 2025-05-01
  - id: carers-grant
    name: Carers grant
    description: A small grant for a break.
    provider: Testborough Council
    needs: [carers-support]
    contact:
      email: grants@example.org
    eligibility:
      all:
        - fact: carer
          equals: yes
        - fact: age_band
          in: [under-65, 65+]
        - fact: weekly_income
          at_most: 250
    last_reviewed: 2025-05-01
    rule_checked_on: 2025-05-01
    rule_source: https://www.gov.uk/carers-allowance
"""

HOUSING = """\
topics:
  - id: housing
    need: housing
    title: A place to live
    summary: Help to find or keep a home.
    keywords: [housing]
    start: housing-start

nodes:
  - id: housing-start
    type: unmet
    text: We have noted what you asked for.
    need: housing
    reason: no_service
"""


def messages_file(extra: dict[str, str] | None = None) -> str:
    """Every message Navigator requires (placeholder wording), plus `extra`."""
    messages = {key: f"Message {key}." for key in REQUIRED_MESSAGES}
    messages["welcome"] = "Hello. What do you need help with?"
    messages.update(extra or {})
    return yaml.safe_dump({"messages": messages}, sort_keys=False, allow_unicode=True)


def write_kb(
    root: Path,
    *,
    base: str = BASE,
    topics: str = TOPIC,
    housing: str = HOUSING,
    extra: dict[str, str] | None = None,
    reviewed: dt.date = REVIEWED,
) -> Path:
    """Write the knowledge base under `root` (files `base.yaml`, `topics/...`) and return it.

    `reviewed` replaces the base's review dates (REVIEWED, a month before TODAY):
    tests of the command line, which judges dates on the real today, pass today.
    """
    files = {
        "base.yaml": base,
        "messages.yaml": messages_file(),
        "topics/carers.yaml": topics,
        "topics/housing.yaml": housing,
    }
    files.update(extra or {})
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = text.replace(REVIEWED.isoformat(), reviewed.isoformat())
        path.write_text(text, encoding="utf-8")
    return root


def check(root: Path, today: dt.date = TODAY) -> tuple[LoadResult, list[Diagnostic]]:
    """Load and validate as `navigator validate` does: every finding, load and checks."""
    result = load(root)
    return result, [*result.diagnostics, *validate(result.knowledge, today=today)]


def line_of(path: Path, text: str, occurrence: int = 1) -> int:
    """The line number (from 1) of the `occurrence`-th line containing `text`."""
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{text!r} is not in {path}")


def only(findings: list[Diagnostic], code: str) -> Diagnostic:
    """The one finding with `code`; fails, listing every finding, unless there is exactly one."""
    matching = [finding for finding in findings if finding.code == code]
    assert len(matching) == 1, [str(finding) for finding in findings]
    return matching[0]


def at(finding: Diagnostic) -> tuple[str, int | None]:
    """A finding's file name and line, for compact assertions."""
    assert finding.location is not None, str(finding)
    return finding.location.file.name, finding.location.line
