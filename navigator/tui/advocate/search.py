"""Finding a service directly, beside the guided path: by name, by need, by area.

Advocates often know the service they want ("the carers' centre") or need to
check what exists for a need the questions did not reach. Words are matched
with rapidfuzz against the service's own words first: its name (most
weight), then its description and provider, so a misspelt name ("advise
centre") or a word from what it does ("damp") still finds it. Its need
titles count for little: a word found only there ("debt" in "Money, benefits
and debt") does not bring in Child Benefit, but helps a second word that
the service's own words hold. Need and area (postcode district) are
filters, not scores: a service either serves the district or does not.

Plain Python (no Textual), so the ranking is tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from navigator.kb.knowledge import KnowledgeBase
from navigator.kb.model import Service
from navigator.kb.places import postcode_district, serves_area

MIN_SCORE = 60.0
"""Lowest score (0-100) shown for typed words; below it matches are mostly noise."""

PREFIX_LENGTH = 3
"""A typed word this long that starts a word of the name ("carer" in "carers") is a full match."""

DESCRIPTION_WEIGHT = 0.9
"""A match in the description or provider counts a little less than the same match in the name."""

WORD_SIMILARITY = 75.0
"""Below this a word is not a typo of another ("debt" and "death" are 67): it matches nothing."""

NEED_WEIGHT = 0.5
"""A match in a need title alone scores below `MIN_SCORE`: the need's word, not the service's."""


@dataclass(frozen=True)
class SearchQuery:
    words: str = ""
    need_id: str | None = None
    area: str | None = None
    """A postcode district such as NB3; see `normalise_area`."""


@dataclass(frozen=True)
class Found:
    service: Service
    score: float


@dataclass(frozen=True)
class _Entry:
    service: Service
    name: str
    name_words: tuple[str, ...]
    text_words: tuple[str, ...]
    need_words: tuple[str, ...]


def normalise_area(typed: str) -> str | None:
    """ "nb3 " -> "NB3"; a full postcode is cut to its district; None when it is not one."""
    return postcode_district(typed)


class ServiceIndex:
    """Every service of a knowledge base, ready to be searched. Build once per app.

    Each word typed is scored against the words of the name and, at a little
    less weight, of the description, provider and need titles: the best
    match for each word (a word that starts a longer one counts as exact),
    averaged over the words typed. So every word must find something, and a
    typo costs a little rather than everything. The knowledge base's filler
    words ("please", "help", "my") are left out of the query.
    """

    def __init__(self, knowledge: KnowledgeBase, language: str = "en") -> None:
        self._filler = frozenset(
            utils.default_process(word) for word in knowledge.vocabulary.filler
        )
        self._entries = [
            self._entry(service, knowledge, language) for service in knowledge.services.values()
        ]

    @staticmethod
    def _entry(service: Service, knowledge: KnowledgeBase, language: str) -> _Entry:
        name = utils.default_process(service.name.get(language))
        needs = [
            knowledge.needs[need].title.get(language)
            for need in service.needs
            if need in knowledge.needs
        ]
        text = utils.default_process(
            " ".join([service.description.get(language), service.provider.get(language)])
        )
        need_text = utils.default_process(" ".join(needs))
        return _Entry(
            service,
            name,
            tuple(name.split()),
            tuple(dict.fromkeys(text.split())),
            tuple(dict.fromkeys(need_text.split())),
        )

    def search(self, query: SearchQuery, limit: int | None = None) -> list[Found]:
        """Services that pass the filters, best match first (by name when no words are given).

        All of them unless `limit` is given: the screen counts them all and shows a page at a time.
        """
        entries = [
            entry
            for entry in self._entries
            if (query.need_id is None or query.need_id in entry.service.needs)
            and serves_area(entry.service.service_areas, query.area)
        ]
        words = self._words(query.words)
        if not words:
            entries.sort(key=lambda entry: entry.name)
            return [Found(entry.service, 100.0) for entry in entries[:limit]]
        scored = [(_score(words, entry), entry) for entry in entries]
        kept = [(score, entry) for score, entry in scored if score >= MIN_SCORE]
        kept.sort(key=lambda pair: (-pair[0], pair[1].name))
        return [Found(entry.service, score) for score, entry in kept[:limit]]

    def _words(self, typed: str) -> list[str]:
        words = utils.default_process(typed).split()
        kept = [word for word in words if word not in self._filler]
        return kept or words


def _score(words: list[str], entry: _Entry) -> float:
    """The average, over the words typed, of each word's best match in the name or the text."""
    total = 0.0
    for word in words:
        by_name = _best(word, entry.name_words)
        by_text = _best(word, entry.text_words) * DESCRIPTION_WEIGHT
        by_need = _best(word, entry.need_words) * NEED_WEIGHT
        total += max(by_name, by_text, by_need)
    return total / len(words)


def _best(word: str, candidates: tuple[str, ...]) -> float:
    if not candidates:
        return 0.0
    if len(word) >= PREFIX_LENGTH and any(candidate.startswith(word) for candidate in candidates):
        return 100.0
    found = process.extractOne(word, candidates, scorer=fuzz.ratio)
    score = float(found[1]) if found is not None else 0.0
    return score if score >= WORD_SIMILARITY else 0.0
