"""A small but complete knowledge base written to disk, for demo-data tests."""

from __future__ import annotations

from pathlib import Path

SMALL_KB = """\
place:
  name: Testborough
  districts: [NB1, NB2]
  populations: {NB1: 90000, NB2: 10000}
needs:
  - id: carers-support
    title: Support for carers
    description: Help for people who look after someone.
  - id: money-advice
    title: Money advice
    description: Help with money.
reasons:
  - {id: no_service, title: No service, description: Nothing exists.}
  - {id: ineligible, title: Not eligible, description: Rules rule it out.}
  - {id: waiting_list, title: Waiting list, description: Only a wait.}
  - {id: out_of_area, title: Out of area, description: Not here.}
  - {id: not_helpful, title: Not helpful, description: Did not help.}
  - {id: unmatched, title: Unmatched, description: Nothing fitted.}
facts:
  - id: age_band
    title: Age
    values: {under-18: you are under 18, 18-64: you are 18 to 64, 65+: you are 65 or over}
topics:
  - id: carers
    need: carers-support
    title: Looking after someone
    summary: Help if you look after someone.
    start: carers-start
  - id: money
    need: money-advice
    title: Money
    summary: Help with money.
    start: money-start
nodes:
  - id: carers-start
    type: question
    text: Who do you look after?
    options:
      - {id: an-adult, label: An adult, next: carers-info}
      - {id: a-child, label: A child, next: carers-none}
  - id: carers-info
    type: info
    text: Here is what there is.
    next: carers-outcome
  - id: carers-outcome
    type: outcome
    text: These may help.
    services: [carers-hub, respite-beds, young-carers]
  - id: carers-none
    type: unmet
    need: carers-support
    reason: no_service
    text: There is nothing for this yet.
  - id: money-start
    type: question
    text: Is it about debt?
    options:
      - {id: "yes", label: "Yes", next: money-outcome}
      - {id: "no", label: "No", next: money-start-2}
  - id: money-start-2
    type: question
    text: Is it about benefits?
    options:
      - {id: "yes", label: "Yes", next: money-outcome}
      - {id: back-to-start, label: Something else, next: money-start}
  - id: money-outcome
    type: outcome
    text: Money help.
    services: [debt-advice]
services:
  - id: carers-hub
    name: Carers hub
    description: Support for carers.
    provider: Testborough Council
    needs: [carers-support]
    last_reviewed: 2025-01-01
  - id: respite-beds
    name: Respite beds
    description: Short breaks.
    provider: Testborough Council
    needs: [carers-support]
    status: waiting_list
    wait_time: {weeks: 12}
    last_reviewed: 2025-01-01
  - id: young-carers
    name: Young carers
    description: For carers under 18.
    provider: Testborough Council
    needs: [carers-support]
    eligibility: {fact: age_band, equals: under-18}
    last_reviewed: 2025-01-01
  - id: debt-advice
    name: Debt advice
    description: Free advice.
    provider: Advice Centre
    needs: [money-advice]
    service_areas: [NB1]
    last_reviewed: 2025-01-01
"""

NODE_IDS = {
    "carers-start",
    "carers-info",
    "carers-outcome",
    "carers-none",
    "money-start",
    "money-start-2",
    "money-outcome",
}


def write_small_kb(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "kb.yaml").write_text(SMALL_KB, encoding="utf-8")
    return root
