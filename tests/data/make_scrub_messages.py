# ruff: noqa: E501  (the fillers read best one message part to a line)
"""Makes tests/data/scrub_messages.yaml and scrub_messages_holdout.yaml (run by hand, seeded).

Realistic messages people type when nothing on the menu fits, built from
templates with details planted in slots. Each filler is (typed, stored): what a
person wrote, and what the records may keep, so the expected text is exact by
construction. All details are made up (Ofcom drama numbers, example domains,
made-up plates). The held-aside file uses its own templates and fillers, written
before the scrubber was tuned and never tuned on; docs/performance.md reports both.

    .venv/bin/python tests/data/make_scrub_messages.py
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

HERE = Path(__file__).parent

TUNING = {
    "templates": [
        "my car reg is {reg} and I need a blue badge",
        "can you email me at {email} about respite",
        "contact me {email} please, no phone",
        "I'M {caps_name} AND I NEED HELP WITH MY RENT",
        "my sons {two_names} need a school place",
        "my ex {name} keeps turning up at the house",
        "my wife's name is {name} and she has dementia",
        "my postcode is {spaced_postcode} can I get a food parcel",
        "ring me on {phone_words} after six",
        "I was born on {date_words} and need a bus pass",
        "my daughter {name} was born {date_words}, is there help with nursery",
        "the van {reg} blocks my drive every night",
        "my boyfriend {name} hit me, where can I go",
        "my kids {three_names} have no school uniform",
        "my social worker {name} left and nobody calls back",
        "need someone to help my mum with the stairs",
        "is there a lunch club near {district} for my dad",
        "I can't afford the heating this winter",
        "I need help with my electric meter, it keeps running out",
        "we live at {worded_address} and the damp is bad",
        "my husband's name is {name}, he is a veteran and needs a carer",
        "my girlfriend {name} is pregnant and we have nowhere to stay",
        "my landlord {name} won't fix the boiler",
        "my email is {email} and my mobile is {phone_words}",
        "no help for dads in {district} with an autistic son",
        "help getting to hospital appointments from {district}",
        "my mum is {age} and lonely since dad died",
        "waiting list for the OT is too long",
        "is there anything for carers at weekends",
        "who can help me fill in the PIP form",
        "my brother {name} sleeps in his car, reg {reg}",
        "text my daughter on {phone_words} she sorts my post",
        "this is {name}'s mum, she has no cooker",
        "my neighbour {name} at {worded_address} needs shopping done",
        "my grandparents {two_names} can't manage the garden",
        "the bus from {district} stopped and I can't get to work",
        "I'm a carer for my son and I'm exhausted",
        "help with council tax arrears please",
        "my support worker {name} said to ask here about a grant",
        "born {date_words}, living alone, no family near",
        "my stepmum {name} threw me out, I'm 17",
        "send the form to {email} thanks",
        "registration {reg}, blue badge was stolen",
        "my partner's name is {name}, he needs a mental health nurse",
    ],
    "fillers": {
        "reg": [
            ("AB12 CDE", "[vehicle]"),
            ("KM68 XYZ", "[vehicle]"),
            ("yx19pfd", "[vehicle]"),
            ("LB07 SEO", "[vehicle]"),
            ("A123 BCD", "[vehicle]"),
            ("ABC 123D", "[vehicle]"),
        ],
        "email": [
            ("jane at gmail dot com", "[email]"),
            ("dave[at]example[dot]co[dot]uk", "[email]"),
            ("sam (at) example (dot) org", "[email]"),
            ("j.smith @ example . com", "[email]"),
            ("mo dot khan at outlook dot com", "[email]"),
            ("tina AT example DOT net", "[email]"),
            ("pat.jones@example.co.uk", "[email]"),
        ],
        "caps_name": [
            ("SARAH", "[name]"),
            ("DAVID", "[name]"),
            ("KAREN", "[name]"),
            ("MOHAMMED", "[name]"),
            ("EMMA", "[name]"),
        ],
        "name": [
            ("Dave", "[name]"),
            ("Lucy", "[name]"),
            ("Priya", "[name]"),
            ("Tom", "[name]"),
            ("Gareth", "[name]"),
            ("Joan", "[name]"),
            ("Kwame", "[name]"),
            ("Agnieszka", "[name]"),
        ],
        "two_names": [
            ("Tom and Harry", "[name] and [name]"),
            ("Jake & Liam", "[name] & [name]"),
            ("Ali and Yusuf", "[name] and [name]"),
            ("tom and harry", "[name] and [name]"),
        ],
        "three_names": [
            ("Tom, Jo and Amelia", "[name], [name] and [name]"),
            ("Ruby, Leo and Alfie", "[name], [name] and [name]"),
        ],
        "spaced_postcode": [
            ("N B 3 4 A B", "NB3"),
            ("n b 7 2 x y", "NB7"),
            ("NB1 2 A B", "NB1"),
            ("L S 6 2 A B", "LS6"),
        ],
        "phone_words": [
            ("oh seven seven double oh nine one two three four five", "[number]"),
            ("zero seven seven zero zero nine double one two two three", "[number]"),
            ("oh one one three four nine six oh oh oh oh", "[number]"),
        ],
        "date_words": [
            ("the third of march nineteen fifty two", "[date]"),
            ("twelfth of June 1950", "[date]"),
            ("March the twenty first", "[date]"),
            ("the first of may two thousand and five", "[date]"),
            ("nineteen eighty four", "[date]"),
        ],
        "district": [("NB4", "NB4"), ("NB11", "NB11"), ("the town centre", "the town centre")],
        "worded_address": [
            ("twenty two Acacia Avenue", "[address]"),
            ("seven Mill Lane", "[address]"),
            ("forty Elm Road", "[address]"),
        ],
        "age": [("82", "82"), ("ninety", "ninety"), ("67", "67")],
    },
}

HOLDOUT = {
    "templates": [
        "please reply to {email} I have no credit",
        "my partner {name} drinks and I am scared",
        "our twins {two_names} have autism and no school place",
        "reg number {reg} was clamped outside the surgery",
        "I AM {caps_name}, I HAVE NO FOOD",
        "post code {spaced_postcode}, no buses to the hospital",
        "call {phone_words} if there is a place",
        "he was born {date_words} and needs a wheelchair",
        "my fiance {name} lost his job",
        "my stepdad {name} won't let me back home",
        "my grandson's name is {name} and he has ADHD",
        "need a food bank in {district}",
        "my nan lives at {worded_address} on her own",
        "I can't get a dentist anywhere",
        "is there help with funeral costs",
    ],
    "fillers": {
        "email": [("kelly at example dot co dot uk", "[email]"), ("rob{at}example{dot}com", "[email]"),
                  ("mary <at> example <dot> org", "[email]")],
        "name": [("Jamal", "[name]"), ("Bethany", "[name]"), ("Wojciech", "[name]"), ("Neil", "[name]")],
        "two_names": [("Ava and Isla", "[name] and [name]"), ("Noah & Oscar", "[name] & [name]")],
        "reg": [("DF21 KLM", "[vehicle]"), ("ny70 bbc", "[vehicle]"), ("B456 XYZ", "[vehicle]")],
        "caps_name": [("JOHN", "[name]"), ("LISA", "[name]"), ("AMIR", "[name]")],
        "spaced_postcode": [("N B 9 1 Q T", "NB9"), ("m 1 4 e s", "M1"), ("N.B.2 5 R F", "NB2")],
        "phone_words": [("oh seven nine double two eight one three three four", "[number]"),
                        ("zero one one three, four nine six, oh eight eight eight", "[number]")],
        "date_words": [("the ninth of november nineteen forty seven", "[date]"),
                       ("October the second", "[date]"), ("twenty oh three", "[date]")],
        "district": [("NB2", "NB2"), ("the estate", "the estate")],
        "worded_address": [("fifteen Station Road", "[address]"), ("eight Church Street", "[address]")],
    },
}  # fmt: skip


def build(spec: dict[str, object], count: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    templates: list[str] = spec["templates"]  # type: ignore[assignment]
    fillers: dict[str, list[tuple[str, str]]] = spec["fillers"]  # type: ignore[assignment]
    seen: set[str] = set()
    messages: list[dict[str, str]] = []
    while len(messages) < count:
        template = rng.choice(templates)
        typed, stored = template, template
        for slot, options in fillers.items():
            marker = "{" + slot + "}"
            while marker in typed:
                raw, kept = rng.choice(options)
                typed = typed.replace(marker, raw, 1)
                stored = stored.replace(marker, kept, 1)
        if typed in seen:
            if len(seen) >= 20 * count:
                break
            seen.add(typed + str(len(seen)))
            continue
        seen.add(typed)
        messages.append({"text": typed, "stored": stored})
    return messages


def main() -> None:
    header = "# Made by tests/data/make_scrub_messages.py (seeded); see its docstring.\n"
    for name, spec, count, seed in (
        ("scrub_messages.yaml", TUNING, 220, 14),
        ("scrub_messages_holdout.yaml", HOLDOUT, 60, 15),
    ):
        text = yaml.safe_dump(build(spec, count, seed), allow_unicode=True, width=200)
        (HERE / name).write_text(header + text, encoding="utf-8")


if __name__ == "__main__":
    main()
