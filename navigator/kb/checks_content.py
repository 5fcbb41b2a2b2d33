"""Content checks (warnings): text that is hard to read, details that may be out of date.

None of these stops Navigator working, so they are warnings: the knowledge
base still validates (exit status 0), and content staff fix them as they go.
"Today" is a parameter, so a review date is judged the same way in a test
next year as it is now.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from pydantic import BaseModel

from navigator.kb.diagnostics import Diagnostic, warning
from navigator.kb.knowledge import KnowledgeBase
from navigator.kb.loader import ENTITY_SECTIONS, SINGLE_SECTIONS
from navigator.kb.model import DEFAULT_LANGUAGE, Outcome, Question, Service, Text, UnmetEnd
from navigator.kb.style import Style, phrase_words, sentences, word_count
from navigator.kb.walk import iter_fact_rules, iter_rules, iter_texts
from navigator.kb.yamlsource import PathKey

QUOTE_WORDS = 12
"""How many words of a long sentence a message quotes."""


def check_content(knowledge: KnowledgeBase, style: Style, today: dt.date) -> Iterator[Diagnostic]:
    """Every content warning about `knowledge` under the house `style`, judged on `today`."""
    yield from _review_dates(knowledge, style, today)
    yield from _option_counts(knowledge, style)
    yield from _all_texts(knowledge, style)
    yield from _services(knowledge)
    yield from _facts_never_set(knowledge)
    yield from _coverage(knowledge)
    yield from _phone_numbers(knowledge)
    yield from _reason_clauses(knowledge)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the last day of the month where it has fewer days)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (following - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def _review_dates(knowledge: KnowledgeBase, style: Style, today: dt.date) -> Iterator[Diagnostic]:
    cutoff = months_before(today, style.review_months)
    period = f"more than {style.review_months} months before {today.isoformat()}"
    for service in knowledge.services.values():
        where = ("services", service.id)
        if service.last_reviewed < cutoff:
            yield warning(
                "review-overdue",
                f"service '{service.id}' was last reviewed on "
                f"{service.last_reviewed.isoformat()}, {period}. Check its details with the "
                "provider, then update 'last_reviewed'.",
                knowledge.where(*where, "last_reviewed"),
                knowledge.field_of(*where, "last_reviewed"),
            )
        elif service.last_reviewed > today:
            yield warning(
                "review-date-in-future",
                f"service '{service.id}' says it was last reviewed on "
                f"{service.last_reviewed.isoformat()}, which is after today "
                f"({today.isoformat()}). Check the date.",
                knowledge.where(*where, "last_reviewed"),
                knowledge.field_of(*where, "last_reviewed"),
            )
        yield from _rule_source(knowledge, service, today)
    safeguarding = knowledge.safeguarding
    if safeguarding is not None and safeguarding.verified_on < cutoff:
        yield warning(
            "safeguarding-check-overdue",
            f"the safeguarding contacts were last verified on "
            f"{safeguarding.verified_on.isoformat()}, {period}. Ring or look up each number, "
            "then update 'verified_on'.",
            knowledge.where("safeguarding", "", "verified_on"),
            knowledge.field_of("safeguarding", "", "verified_on"),
        )


def _option_counts(knowledge: KnowledgeBase, style: Style) -> Iterator[Diagnostic]:
    for node in knowledge.nodes.values():
        if isinstance(node, Question) and len(node.options) > style.max_options:
            yield warning(
                "too-many-options",
                f"question '{node.id}' has {len(node.options)} options; the house limit is "
                f"{style.max_options}, because longer lists are hard to take in. Split it into "
                "two questions, or group some options.",
                knowledge.where("nodes", node.id, "options"),
                knowledge.field_of("nodes", node.id, "options"),
            )


def _all_texts(knowledge: KnowledgeBase, style: Style) -> Iterator[Diagnostic]:
    """Sentence length, plain English and stigmatising labels in every resident-facing text."""
    reader = _TextReader(style)
    for section in ENTITY_SECTIONS:
        entities: dict[str, BaseModel] = getattr(knowledge, section)
        for entity_id, entity in entities.items():
            for path, text in iter_texts(entity):
                yield from _text(knowledge, reader, (section, entity_id), path, text)
    for key, text in knowledge.messages.items():
        yield from _text(knowledge, reader, ("messages", key), (), text)
    for section in SINGLE_SECTIONS:
        value = getattr(knowledge, section)
        if value is not None:
            for path, text in iter_texts(value):
                yield from _text(knowledge, reader, (section, ""), path, text)


def _text(
    knowledge: KnowledgeBase,
    reader: _TextReader,
    owner: tuple[str, str],
    path: PathKey,
    text: Text,
) -> Iterator[Diagnostic]:
    problems = list(reader.problems(text.get()))
    for language, translated in text.translations.items():
        if language != DEFAULT_LANGUAGE:  # the English word lists do not apply (branch welsh)
            problems += [
                (code, f"the '{language}' text: {message}")
                for code, message in reader.sentence_problems(translated)
            ]
    if problems:
        location = knowledge.where(*owner, *path)
        field = knowledge.field_of(*owner, *path)
        for code, message in problems:
            yield warning(code, message, location, field)


class _TextReader:
    """Reads each distinct English text once (labels such as "Yes" recur hundreds of times).

    Both phrase lists are merged into one index by first word, so each text's
    words are looked at once.
    """

    def __init__(self, style: Style) -> None:
        self.style = style
        self.index: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        for code, phrases in (
            ("stigmatising", style.stigmatising),
            ("plain-english", style.plain_english),
        ):
            for first, candidates in phrases.by_first_word.items():
                for words in candidates:
                    entry = (words, code, phrases.suggestions[words])
                    self.index.setdefault(first, []).append(entry)
        self.cache: dict[str, tuple[tuple[str, str], ...]] = {}

    def problems(self, english: str) -> tuple[tuple[str, str], ...]:
        """(code, message) for each problem in a text: most texts have none."""
        found = self.cache.get(english)
        if found is None:
            found = self.cache[english] = tuple(self._read(english))
        return found

    def _read(self, english: str) -> Iterator[tuple[str, str]]:
        yield from self.sentence_problems(english)
        yield from self._phrases(english)

    def sentence_problems(self, text: str) -> Iterator[tuple[str, str]]:
        """Sentences over the house limit: a rule for every language, unlike the word lists."""
        english = text
        limit = self.style.max_sentence_words
        if english.count(" ") >= limit:  # otherwise it has too few words to be too long
            for sentence in sentences(english):
                words = word_count(sentence)
                if words > limit:
                    quoted = " ".join(sentence.split()[:QUOTE_WORDS])
                    yield (
                        "long-sentence",
                        f"a sentence here has {words} words; the house limit is {limit}: "
                        f"'{quoted} ...'. Split it into shorter sentences.",
                    )

    def _phrases(self, english: str) -> Iterator[tuple[str, str]]:
        lowered = phrase_words(english)
        index = self.index
        starts = [position for position, word in enumerate(lowered) if word in index]
        seen: set[tuple[str, ...]] = set()
        for position in starts:  # usually none: only words that begin a listed phrase
            for phrase, code, suggest in index[lowered[position]]:
                if phrase in seen or tuple(lowered[position : position + len(phrase)]) != phrase:
                    continue
                seen.add(phrase)
                yield code, _phrase_message(code, " ".join(phrase), suggest)
                break


def _phrase_message(code: str, phrase: str, suggest: str) -> str:
    if code == "stigmatising":
        return (
            f"'{phrase}' is a label that can stigmatise the reader. Write '{suggest}' "
            "instead, or describe the situation or the help."
        )
    return f"'{phrase}' is not an everyday word. Write '{suggest}' instead."


def _services(knowledge: KnowledgeBase) -> Iterator[Diagnostic]:
    offered_by: dict[str, str] = {}
    for node in knowledge.nodes.values():
        if isinstance(node, Outcome | UnmetEnd):
            for service_id in node.services:
                offered_by.setdefault(service_id, node.id)
    for service in knowledge.services.values():
        where = ("services", service.id)
        if service.contact.is_empty:
            yield warning(
                "no-contact",
                f"service '{service.id}' gives no way to reach it: no phone, email, website "
                "or address. Add at least one under 'contact:'.",
                knowledge.where(*where, "contact"),
                knowledge.field_of(*where, "contact"),
            )
        if service.status == "closed" and service.id in offered_by:
            yield warning(
                "closed-service-offered",
                f"service '{service.id}' is closed but node '{offered_by[service.id]}' still "
                "offers it (residents will be told it is closed). Remove it from outcomes "
                "once residents no longer need to hear that.",
                knowledge.where(*where, "status"),
                knowledge.field_of(*where, "status"),
            )
        if service.wait_time is not None and service.status != "waiting_list":
            yield warning(
                "wait-time-unused",
                f"service '{service.id}' gives a 'wait_time' but its status is "
                f"'{service.status}', so residents will not be told about the wait. Set "
                "'status: waiting_list', or remove 'wait_time'.",
                knowledge.where(*where, "wait_time"),
                knowledge.field_of(*where, "wait_time"),
            )


def _facts_never_set(knowledge: KnowledgeBase) -> Iterator[Diagnostic]:
    """A rule about a fact no question sets can never be decided."""
    if any(section == "nodes" for section, _ in knowledge.skipped):
        return  # a node left out for a schema error may be the one that sets it
    set_somewhere = {
        fact_id
        for node in knowledge.nodes.values()
        if isinstance(node, Question)
        for option in node.options
        for fact_id in option.set
    }
    reported: set[str] = set()
    for service in knowledge.services.values():
        if service.eligibility is None:
            continue
        for path, rule in iter_fact_rules(service.eligibility, ("eligibility",)):
            fact_id = rule.fact
            if fact_id in set_somewhere or fact_id in reported or fact_id not in knowledge.facts:
                continue
            reported.add(fact_id)
            yield warning(
                "fact-never-set",
                f"service '{service.id}' has a rule about fact '{fact_id}', but no option in "
                "any question sets it, so the rule can never be decided. Add an option with "
                f"'set: {{{fact_id}: ...}}', or change the rule.",
                knowledge.where("services", service.id, *path, "fact"),
                knowledge.field_of("services", service.id, *path, "fact"),
            )


def _coverage(knowledge: KnowledgeBase) -> Iterator[Diagnostic]:
    with_topic = {topic.need for topic in knowledge.topics.values()}
    for need_id in knowledge.needs:
        if need_id not in with_topic:
            yield warning(
                "need-without-topic",
                f"need category '{need_id}' has no topic, so residents cannot choose it. Add a "
                f"topic with 'need: {need_id}'.",
                knowledge.where("needs", need_id),
                knowledge.field_of("needs", need_id, "id"),
            )
    for topic in knowledge.topics.values():
        if not topic.keywords and not topic.examples:
            yield warning(
                "no-examples",
                f"topic '{topic.id}' has no 'keywords:' or 'examples:', so a resident who "
                "types what they need in their own words will not find it. Add a few "
                "phrasings residents use.",
                knowledge.where("topics", topic.id),
                knowledge.field_of("topics", topic.id, "id"),
            )


def _digits(number: str) -> str:
    """A phone number as dialled: digits only, with +44 written as the leading 0."""
    digits = "".join(character for character in number if character.isdigit())
    return "0" + digits[2:] if number.strip().startswith("+44") else digits


def _phones(
    knowledge: KnowledgeBase,
) -> Iterator[tuple[str, tuple[str, str, *tuple[str | int, ...]]]]:
    """Every phone and text number residents may be shown, with where it is written."""
    for service in knowledge.services.values():
        for position, phone in enumerate(service.contact.phones):
            yield phone.number, ("services", service.id, "contact", "phones", position, "number")
    safeguarding = knowledge.safeguarding
    if safeguarding is None:
        return
    for position, contact in enumerate(safeguarding.contacts):
        for field_name in ("phone", "text_number"):
            number = getattr(contact, field_name)
            if number is not None:
                yield number, ("safeguarding", "", "contacts", position, field_name)


def _phone_numbers(knowledge: KnowledgeBase) -> Iterator[Diagnostic]:
    """A made-up place prints only Ofcom's drama numbers and the real helplines it names."""
    rules = knowledge.content_rules.phone_numbers
    if rules is None or not rules.fictional_place:
        return
    ranges = tuple(_digits(prefix) for prefix in rules.drama_ranges)
    real = {_digits(number) for number in rules.real_numbers}
    for number, path in _phones(knowledge):
        digits = _digits(number)
        if digits in real or digits.startswith(ranges):
            continue
        yield warning(
            "real-number-in-fictional-place",
            f"phone number '{number}' is not in Ofcom's ranges for drama, so in this "
            "made-up place it may ring a real person or organisation. Use a number from "
            "'drama_ranges' in content-rules.yaml (for example 01632 960xxx or 03069 "
            "990xxx), or, if it is a real national helpline, add it to 'real_numbers'.",
            knowledge.where(*path),
            knowledge.field_of(*path),
        )


SENTENCE_STARTERS = frozenset(
    {"this", "these", "that", "the", "you", "your", "it", "a", "an", "there", "we", "they", "our"}
)
"""Words that, written with a capital at the start of a reason, show it was written as a sentence.

Names keep their capitals ("Carer's Allowance is for..."), so only these are judged.
"""

_INNER_SENTENCE_END = re.compile(r"[.!?]\s+[A-Z]")


def _reason_clauses(knowledge: KnowledgeBase) -> Iterator[Diagnostic]:
    """`because` and `unless` are read inside "...because {reasons}.": one clause each."""
    for service in knowledge.services.values():
        if service.eligibility is None:
            continue
        for path, rule in iter_rules(service.eligibility, ("eligibility",)):
            for field_name in ("because", "unless"):
                text = getattr(rule, field_name)
                if text is None:
                    continue
                problem = _clause_problem(text.get())
                if problem is not None:
                    inner = (*path, field_name)
                    yield warning(
                        "reason-not-a-clause",
                        f"'{field_name}' of service '{service.id}' {problem}. Residents read it "
                        f'inside "...because {{reason}}.", so write it as one clause: small '
                        "first letter (names keep theirs), no full stop at the end, and put a "
                        "second sentence in brackets or in the service's description.",
                        knowledge.where("services", service.id, *inner),
                        knowledge.field_of("services", service.id, *inner),
                    )


def _clause_problem(text: str) -> str | None:
    """What stops `text` reading as one clause after "because", or None when it does."""
    stripped = text.strip()
    if stripped.endswith((".", "!", "?")):
        return "ends with a full stop"
    if _INNER_SENTENCE_END.search(stripped):
        return "has more than one sentence"
    first = stripped.split(maxsplit=1)[0] if stripped else ""
    if first[:1].isupper() and first.lower() in SENTENCE_STARTERS:
        return f"starts with a capital ('{first}')"
    return None


def _rule_source(
    knowledge: KnowledgeBase, service: Service, today: dt.date
) -> Iterator[Diagnostic]:
    """A national rule says where it comes from, and is checked there every few months."""
    if service.rule_checked_on is None:
        return
    where = ("services", service.id)
    months = knowledge.content_rules.rule_review_months
    if service.rule_checked_on < months_before(today, months):
        yield warning(
            "rule-check-overdue",
            f"the national rule behind service '{service.id}' was last checked on "
            f"{service.rule_checked_on.isoformat()}, more than {months} months before "
            f"{today.isoformat()}. Check it against "
            f"{service.rule_source or 'the current guidance'}, then update 'rule_checked_on'.",
            knowledge.where(*where, "rule_checked_on"),
            knowledge.field_of(*where, "rule_checked_on"),
        )
    if service.rule_source is None:
        yield warning(
            "rule-without-source",
            f"service '{service.id}' follows a national rule (it has 'rule_checked_on') but "
            "does not say where the rule is written. Add 'rule_source:' with the public page "
            "(GOV.UK, legislation.gov.uk or the NHS) it was checked against.",
            knowledge.where(*where, "rule_checked_on"),
            knowledge.field_of(*where, "rule_checked_on"),
        )
