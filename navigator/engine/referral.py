"""Warm referrals (issue 20): the message a service receives, its reply code, and its answer.

Pure Python. The advocate's screen gathers what the resident agreed to share;
`compose_referral` words it for the service from the knowledge base's
messages, scrubbing the advocate's note with the `Scrubber` the front end
gives it; `navigator.delivery` sends it. The conversation records only ids
and the reply code (`Conversation.record_referral`).

Why the scrubber is passed in: the engine may not import the records layer,
where scrubbing lives beside the stored text it protects, and a front end
that scrubbed the note itself could forget to (or do it differently). Here
the one place that words the message is the one place the note is scrubbed,
whichever front end sends it.

The reply code is random (`new_code`) and names no one: the service answers
with a line such as `7KQ2-M9XH declined no capacity`, and `parse_answer`
reads that line out of whatever the service sent back, so a pasted email reply
works as well as a typed command.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from navigator.engine.wording import fill
from navigator.kb.knowledge import KnowledgeBase
from navigator.kb.model import Service

CODE_ALPHABET = "23456789BCDFGHJKLMNPQRSTVWXZ"
"""No vowels (no words by chance), no 0/O or 1/I: easy to read back over the phone."""
CODE = re.compile(rf"[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}")
ANSWERS = ("accepted", "declined")
DECLINE_REASONS = ("not_eligible", "no_capacity", "out_of_area", "declined_by_person", "other")
"""Why a service declines: capacity evidence for the managers' Services tab."""
CONTACT_WAYS = ("phone", "text", "email", "letter")
"""How the resident would like the service to contact them (labels in the messages)."""

Answer = Literal["accepted", "declined"]

Scrubber = Callable[[str], str]
"""Free text in, the same text without other people's details out (`navigator.records.scrub`)."""

_ANSWER_LINE = re.compile(
    rf"(?P<code>[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}})\s+(?P<answer>accepted|declined)"
    r"(?P<rest>[ \t]+[a-z _-]+)?",
    re.IGNORECASE,
)

MESSAGE_KEYS = (
    "referral_email_subject",
    "referral_email_body",
    "referral_consent_line",
    "referral_contact_phone",
    "referral_contact_text",
    "referral_contact_email",
    "referral_contact_letter",
)


def new_code() -> str:
    """A fresh reply code such as `7KQ2-M9XH` (about 3.8e11 possibilities)."""
    letters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{letters[:4]}-{letters[4:]}"


@dataclass(frozen=True)
class ReferralDetails:
    """What the resident agreed to share with one service. Never stored by Navigator."""

    service: Service
    need_id: str
    name: str
    contact_way: str
    contact_detail: str
    note: str
    """As the advocate typed it; `compose_referral` scrubs it of other people's details."""
    consent: str
    """The consent line the advocate confirmed, as worded on screen."""


@dataclass(frozen=True)
class ReferralMessage:
    code: str
    subject: str
    body: str


def compose_referral(
    knowledge: KnowledgeBase,
    details: ReferralDetails,
    *,
    code: str,
    site: str,
    made_on: str,
    scrub: Scrubber,
    language: str = "en",
) -> ReferralMessage:
    """The referral as the service reads it: who, what is needed, how to reply.

    The note goes through `scrub`; the name and contact details do not, since
    they are what the resident asked to be passed to this service alone.
    """
    need = knowledge.needs.get(details.need_id)
    values = {
        "service": details.service.name.get(language),
        "need": need.title.get(language) if need is not None else details.need_id,
        "name": details.name.strip(),
        "contact_way": knowledge.message(f"referral_contact_{details.contact_way}", language),
        "contact_detail": details.contact_detail.strip(),
        "note": scrub(details.note.strip()).strip() or "-",
        "consent": details.consent,
        "code": code,
        "site": site,
        "date": made_on,
        "reasons": ", ".join(reason.replace("_", " ") for reason in DECLINE_REASONS),
    }
    subject = fill(knowledge.message("referral_email_subject", language), values)
    body = fill(knowledge.message("referral_email_body", language), values)
    return ReferralMessage(code=code, subject=subject, body=body)


@dataclass(frozen=True)
class ParsedAnswer:
    code: str
    answer: Answer
    reason: str | None


class AnswerProblem(ValueError):
    """A reply that cannot be read, with what to write instead."""


def parse_answer(text: str) -> ParsedAnswer:
    """Find `CODE accepted` or `CODE declined REASON` in a reply (the first such line wins).

    A decline without a known reason counts as `other`. Raises `AnswerProblem`
    saying what a readable answer looks like.
    """
    for line in text.splitlines() or [text]:
        found = _ANSWER_LINE.search(line.strip().lstrip(">").strip())
        if found is None:
            continue
        answer: Answer = "accepted" if found["answer"].lower() == "accepted" else "declined"
        reason = None
        if answer == "declined":
            words = (found["rest"] or "").strip().lower().replace("-", " ").replace(" ", "_")
            reason = next((r for r in DECLINE_REASONS if words.startswith(r)), "other")
        return ParsedAnswer(found["code"].upper(), answer, reason)
    raise AnswerProblem(
        "no answer found: write the reply code, then 'accepted' or 'declined' and a reason "
        f"({', '.join(r.replace('_', ' ') for r in DECLINE_REASONS)}), e.g. "
        "'7KQ2-M9XH declined no capacity'"
    )
