"""What an open feed must never carry: refuge addresses and staff contacts.

ORUK's data-sharing guidance keeps private data out of open feeds. Navigator
shows residents some details in person that must not be broadcast: where a
refuge is, and the direct line or mailbox of a named member of staff. The
rules are deliberately blunt, because a wrong "publish" cannot be recalled:

- No address or location for any service about domestic abuse, or whose id,
  name or description mentions a refuge or safe house, or that the council
  lists in `withheld_addresses`. The service is still published, with its
  phone line, so residents can reach it; only where it is goes unsaid.
- No email that names a person (`jane.smith@...`, `j.smith@...`): a feed
  carries a service's shared mailbox, never a member of staff's. The same
  test refuses a personal `assurer_email`.
- Contacts are named after the service, never after a person (the ORUK
  `contact.name` and `contact.title` are for people and stay empty).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from navigator.kb.model import Service

SENSITIVE_NEEDS = frozenset({"domestic-abuse"})
"""Need categories whose services' addresses are never published."""

SENSITIVE_WORDS = re.compile(r"\brefuges?\b|\bsafe[- ]house", re.IGNORECASE)

PERSONAL_EMAIL = re.compile(r"^[a-z]+(?:[._][a-z]+){1,2}@", re.IGNORECASE)
"""first.last@, f.last@, first_last@, first.m.last@: a person's mailbox, not a service's."""

ROLE_WORDS = frozenset(
    (
        *("info", "help", "hello", "contact", "enquiries", "admin", "office", "team"),
        *("service", "services", "support", "advice", "duty", "referrals", "bookings"),
        *("booking", "news", "general", "customer", "customers"),
    )
)
"""Parts that make a dotted mailbox a shared one ("adult.services@"), not a person's."""


@dataclass(frozen=True)
class PrivacyRules:
    """The council's own additions to the built-in rules."""

    withheld_addresses: frozenset[str] = field(default_factory=frozenset)
    """Navigator service ids whose address is never published, whatever they say."""

    @classmethod
    def with_withheld(cls, service_ids: Collection[str]) -> PrivacyRules:
        return cls(withheld_addresses=frozenset(service_ids))

    def address_withheld(self, service: Service) -> bool:
        """True when where this service is must not be published."""
        if service.id in self.withheld_addresses:
            return True
        if SENSITIVE_NEEDS.intersection(service.needs):
            return True
        words = " ".join((service.id, service.name.get(), service.description.get()))
        return bool(SENSITIVE_WORDS.search(words.replace("-", " ")))


def is_personal_email(address: str) -> bool:
    """True for a mailbox that looks like a person's (`jane.smith@council.gov.uk`)."""
    match = PERSONAL_EMAIL.match(address.strip())
    if not match:
        return False
    local = address.split("@", 1)[0].lower()
    return not ROLE_WORDS.intersection(re.split(r"[._]", local))
