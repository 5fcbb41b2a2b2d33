"""A small, complete knowledge base written to disk for conversation tests.

Small enough to read in one go, so each test can say exactly what should
happen; real enough to load through the real loader. The engine's own
messages are copied from the demo, so the words tested are the shipped ones.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support.kb import load_ok as load_ok  # the engine tests import it from here

REPO = Path(__file__).resolve().parents[2]

COMMON = """\
needs:
  - id: carers-support
    title: Support for carers
    description: Help for people who look after someone.
  - id: food-essentials
    title: Food
    description: Food and essentials.
reasons:
  - {id: no_service, title: No service, description: Nothing offers this.}
  - {id: ineligible, title: Not eligible, description: The rules rule the person out.}
  - {id: waiting_list, title: Waiting list, description: Only a waiting list.}
  - {id: out_of_area, title: Out of area, description: Another area.}
  - {id: cannot_access, title: Cannot get to it, description: Cannot use it.}
  - {id: not_helpful, title: Not helpful, description: Said it did not help.}
  - {id: unmatched, title: Not matched, description: Nothing matched.}
facts:
  - id: age_band
    title: Age
    values:
      under-18: you are under 18
      18-64: you are aged 18 to 64
      65+: you are 65 or over
  - id: is_carer
    title: Looks after someone
    values:
      "yes": you look after someone
      "no": you are not a carer
  - id: on_benefits
    title: Gets a means-tested benefit
    values:
      "yes": you get a means-tested benefit
      "no": you do not get a means-tested benefit
  - id: district
    title: Postcode district
    phrase: your postcode starts with {value}
vocabulary:
  filler: [please, i, need, help, with, my, a, the, some]
  answers:
    "yes": ["yes", "yeah", "yep", "y"]
    "no": ["no", "nope", "nah", "n"]
  commands:
    back: [back, go back]
    start_again: [start again, restart]
    help: [help, "?"]
    talk_to_person: [talk to a person, human]
    finish: [finish, bye, quit]
safeguarding:
  verified_on: 2026-11-01
  kinds:
    - id: suicide
      title: You matter
      message: If you are thinking of ending your life, please talk to someone now.
      signs: [kill myself, end my life, want to die]
      contacts: [samaritans]
  contacts:
    - id: samaritans
      name: Samaritans
      phone: "116 123"
      how: Free, day or night.
"""

TOPICS = """\
topics:
  - id: carers
    need: carers-support
    title: Looking after someone
    summary: Help if you look after a family member or friend.
    keywords: [carer, caring, looking after]
    examples: [i look after my mum, carers allowance]
    start: carers-who
  - id: food
    need: food-essentials
    title: Food
    summary: Food banks and meals.
    keywords: [food bank, hungry, meals]
    examples: [cant afford food, no food in the house]
    start: food-info
nodes:
  - id: carers-who
    type: question
    text: Who do you look after?
    help: Pick the one closest to your situation.
    options:
      - id: adult
        label: An adult
        set: {is_carer: "yes"}
        next: carers-age
      - id: child
        label: A disabled child
        set: {is_carer: "yes"}
        next: carers-child
  - id: carers-age
    type: question
    text: How old are you?
    options:
      - {id: under-18, label: Under 18, set: {age_band: under-18}, next: carers-outcome}
      - {id: 18-64, label: 18 to 64, set: {age_band: 18-64}, next: carers-outcome}
      - {id: 65-plus, label: 65 or over, set: {age_band: 65+}, next: carers-outcome}
  - id: carers-outcome
    type: outcome
    text: These services help carers.
    services: [carers-allowance, young-carers, carers-hub, carers-north]
  - id: carers-child
    type: unmet
    need: carers-support
    reason: no_service
    text: There is no group for parent carers here yet.
    services: [carers-hub]
  - id: food-info
    type: info
    text: Food banks give food for a few days.
    next: food-outcome
  - id: food-outcome
    type: outcome
    text: These can help with food.
    services: [food-bank]
"""

SERVICES = """\
services:
  - id: carers-allowance
    name: Carer's Allowance
    description: Money for carers.
    provider: DWP
    needs: [carers-support]
    last_reviewed: 2026-10-01
    eligibility:
      all:
        - {fact: is_carer, equals: "yes"}
        - {fact: age_band, in: [18-64, 65+]}
  - id: young-carers
    name: Young Carers Club
    description: Fun and a break for young carers.
    provider: Meadow Trust
    needs: [carers-support]
    last_reviewed: 2026-10-01
    eligibility:
      fact: age_band
      equals: under-18
      because: you are a young carer
      unless: it is for carers under 18
  - id: carers-hub
    name: Carers Hub
    description: Advice for carers.
    provider: Meadow Carers
    needs: [carers-support]
    last_reviewed: 2026-10-01
    status: waiting_list
    wait_time: {weeks: 6}
    eligibility: {fact: is_carer, equals: "yes"}
  - id: carers-north
    name: North Carers Group
    description: A group in the north of the town.
    provider: North Church
    needs: [carers-support]
    last_reviewed: 2026-10-01
    service_areas: [MT1]
    contact:
      phones: [{number: "01632 960 001"}]
  - id: food-bank
    name: Meadow Food Bank
    description: Food for a few days.
    provider: Meadow Trust
    needs: [food-essentials]
    last_reviewed: 2026-10-01
    eligibility: {fact: on_benefits, equals: "yes"}
"""


def write_conversation_kb(root: Path, *, topics: str = TOPICS, services: str = SERVICES) -> Path:
    """Write the small knowledge base under `root` and return the folder."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "common.yaml").write_text(COMMON, encoding="utf-8")
    (root / "topics.yaml").write_text(topics, encoding="utf-8")
    (root / "services.yaml").write_text(services, encoding="utf-8")
    shutil.copy(REPO / "knowledge" / "messages" / "engine.yaml", root / "engine-messages.yaml")
    return root
