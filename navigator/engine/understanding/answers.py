"""Answers as people say them: the option a reply picks, and what a first message already says.

At "How old is the person who needs help?" people type "she is 82", "eighty
two" or "82yo", not "65 or over"; at "Who needs the help?" they type "my mum";
at a yes/no question "yeah", "defo" or "not really". Each kind of question
has its own small parser, tried in a fixed order (`PARSERS`), and the first
that is sure wins:

1. the option's number ("2", "option 2");
2. its label typed in full;
3. a number inside an option's `range` ("82", "about 40 hours a week",
   "£180 a week"), in the range's unit;
4. a postcode or district inside an option's `districts` ("NB7 2AB", "nb7");
5. a number only one label holds ("65" for "65 or over");
6. a phrase from the vocabulary's `fact_words` that says the value of the
   fact the options set ("my mum" says `asking_for: someone-else`);
7. a yes / no / not-sure word ("yeah", "nope", "dunno");
8. the label typed roughly, when one option is clearly closest.

`understand` reads a first message ("my mum is 82 and keeps falling") for
the same things (ages and whose they are, districts, fact phrases), and
`prefill` says which option of a question it answers, only when exactly one
does: a guess the person did not make is worse than a question asked again.

Every word comes from the knowledge base's `vocabulary`; nothing here lists
words. Grammar that is not vocabulary (how "eighty two" adds up, that "£" means
pounds, what a postcode looks like) is code.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import msgspec

from navigator.engine.textnorm import Readings, normalise
from navigator.kb.model import DEFAULT_LANGUAGE, OptionRange, Question, RangeUnit, Text, Vocabulary
from navigator.kb.places import POSTCODE
from navigator.lazy_re import LazyPattern

if TYPE_CHECKING:
    from navigator.kb.model import FactValue

OPTION_SCORE = 75.0
"""The lowest fuzzy score at which typed text picks an option by its label."""
OPTION_LEAD = 8.0
"""...and how far ahead of the next option it must be."""
MAX_ANSWER_WORDS = 4
"""Longer replies are not read as a bare yes or no."""
SUBJECT_REACH = 4
"""Words either side of an age searched for whose age it is ("my mum is now 82")."""
NEGATION_REACH = 2
"""Words before a phrase in which a negation turns it round ("not on universal credit")."""
MAX_REPLY_WORDS = 60
"""Words of a reply the answer parsers read: an answer is short, a pasted letter is not one."""
MAX_STORY_WORDS = 200
"""Words of a first message read for answers it already gives."""
SPELT_CACHE = 20_000
TEN = 10
ROUND_TEN = 20
"""What a counted ten ("wyth deg") stands as for the word after it: a round ten."""
SELF = "self"
"""The `fact_words` value that means the person typing ("me", "myself")."""

UNCLEAR = "?"
"""Said alongside a value when a phrase was negated: never one clear value."""

Subject = Literal["self", "other", ""]

_TOKEN = LazyPattern(r"£|[^\W_]+(?:[.,]\d+)*")
_NUMBER_AND_WORD = LazyPattern(r"(\d+(?:[.,]\d+)*)([^\W\d_]+)")
"""A number run into a word: "82yo", "40hrs", "20k" (split when the word is a unit or number)."""
_APOSTROPHES = LazyPattern(r"['’‘ʼ`´]")
_DISTRICT_WORD = LazyPattern(r"\b([a-pr-uwyz][a-hk-y]?\d[a-z\d]?)\b", re.IGNORECASE)
_MONTHS_IN_YEAR = 12
_CLAUSE = LazyPattern(r"[,;:.!?()]|\s[-–—]\s")
"""Where a label's first part ends: "No, not yet" is "No" then more."""


# --- The vocabulary, read once --------------------------------------------------------


class AnswerWords:
    """The vocabulary as the answer parsers read it, built once per knowledge base and language.

    In a session in another language (`language`), that language's words
    (`vocabulary.languages`) are read beside the English ones, and each option
    is known by its label in that language and in English: people mix the two
    ("ie, my mum"), and English is what is shown where a translation is missing.
    """

    def __init__(self, vocabulary: Vocabulary, language: str = DEFAULT_LANGUAGE) -> None:
        self.vocabulary = vocabulary
        self.language = language
        own = vocabulary.languages.get(language) if language != DEFAULT_LANGUAGE else None
        both = (vocabulary,) if own is None else (vocabulary, own)
        self.readings = Readings.of(vocabulary)
        self.filler = frozenset(
            word for part in both for phrase in part.filler for word in words(phrase)
        )
        self.numbers = {
            normalise(word): value for part in both for word, value in part.numbers.items()
        }
        self.tens = frozenset(
            normalise(word) for word, value in (own.numbers if own else {}).items() if value == TEN
        )
        """The session language's own words for ten, which count tens ("wyth deg", eight
        tens, in Welsh). Not English "ten": "two ten" is no one number (see `quantities`)."""
        self.units: dict[str, RangeUnit] = {
            word: unit
            for part in both
            for unit, said in part.units.items()
            for word in _words_of(said)
        }
        self.speaker = frozenset(_words_of(p for part in both for p in part.speaker))
        self.age_cues = frozenset(_words_of(p for part in both for p in part.age_cues))
        self.negations = tuple(_phrases(p for part in both for p in part.negations))
        self.said_answers = _merged([part.answers for part in both])
        """Each answer kind's phrases, in English and the session's language."""
        self.answers = tuple(
            (kind, tuple(split))
            for kind, phrases in self.said_answers.items()
            for phrase in phrases
            if (split := _without_filler(normalise(phrase).split(), self.filler))
        )
        """Each answer phrase ("yes please") without its filler, by answer kind."""
        self.fact_words: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {}
        for part in both:
            for fact, values in part.fact_words.items():
                known = self.fact_words.setdefault(fact, {})
                for value, phrases in values.items():
                    known[value] = (*known.get(value, ()), *_phrases(phrases))
        self.others = frozenset(
            phrase[0]
            for values in self.fact_words.values()
            if SELF in values
            for value, phrases in values.items()
            if value != SELF
            for phrase in phrases
            if len(phrase) == 1
        )
        """Single words for someone other than the speaker ("mum", "she"), to tell whose age."""

        self._spelt: dict[str, frozenset[str]] = {}

    def spelt(self, word: str) -> frozenset[str]:
        """`word` and the other ways of writing it ("mam" -> "mum"), remembered per word."""
        known = self._spelt.get(word)
        if known is None:
            known = frozenset({word, *self.readings.other_spellings(word)})
            if len(self._spelt) > SPELT_CACHE:
                self._spelt.clear()
            self._spelt[word] = known
        return known


def answer_words(vocabulary: Vocabulary | AnswerWords) -> AnswerWords:
    return vocabulary if isinstance(vocabulary, AnswerWords) else AnswerWords(vocabulary)


def _merged(parts: Iterable[Mapping[str, Sequence[str]]]) -> dict[str, tuple[str, ...]]:
    """Phrase lists by id, each language's phrases after the English ones."""
    merged: dict[str, tuple[str, ...]] = {}
    for part in parts:
        for key, phrases in part.items():
            merged[key] = (*merged.get(key, ()), *phrases)
    return merged


def words(text: str, found: AnswerWords | None = None) -> list[str]:
    """Lower-case words and numbers, with "£" kept as a word and "23,250" as one number.

    With `found`, a number run into a unit or number word is two words ("82yo");
    other mixtures ("nb7", "2ab") stay one word, so a postcode is not read as numbers.
    """
    folded = unicodedata.normalize("NFKC", text[:4000]).casefold()
    tokens: list[str] = []
    for token in _TOKEN.findall(_APOSTROPHES.sub("", folded)):
        token = token.replace(",", "")
        joined = _NUMBER_AND_WORD.fullmatch(token) if found is not None else None
        if joined and found is not None and _unit_or_number(joined.group(2), found):
            tokens.extend(joined.groups())
        else:
            tokens.append(token)
    return tokens


def _unit_or_number(word: str, found: AnswerWords) -> bool:
    return word in found.units or word in found.numbers


def _words_of(phrases: Iterable[str]) -> list[str]:
    return [word for phrase in phrases for word in words(phrase)]


def _phrases(phrases: Iterable[str]) -> Iterable[tuple[str, ...]]:
    for phrase in phrases:
        split = tuple(words(phrase))
        if split:
            yield split


# --- Picking an option ------------------------------------------------------------------


class Reply(msgspec.Struct, frozen=True):
    """What the person typed, read once for every parser."""

    text: str
    typed: str
    """`normalise`d."""
    tokens: tuple[str, ...]
    written: tuple[tuple[str, ...], ...]
    """Each option's labels as written: in the session's language, then in English."""

    @property
    def labels(self) -> tuple[tuple[str, ...], ...]:
        """Each option's labels, `normalise`d."""
        return tuple(tuple(normalise(label) for label in labels) for labels in self.written)


Parser = Callable[[Question, Reply, AnswerWords], str | None]


def match_option(
    question: Question,
    text: str,
    vocabulary: Vocabulary | AnswerWords,
    parsers: Sequence[Parser] | None = None,
) -> str | None:
    """The key of the option `text` picks at `question`, or None when no parser is sure.

    `parsers`: tried in order, the first sure one wins (`PARSERS` when None; the
    understanding pipeline passes its own list, which a council may extend)."""
    typed = normalise(text)
    if not typed:
        return None
    found = answer_words(vocabulary)
    tokens = tuple(words(text, found)[:MAX_REPLY_WORDS])
    reply = Reply(
        " ".join(tokens) if len(tokens) == MAX_REPLY_WORDS else text,
        typed,
        tokens,
        tuple(_labels(option.label, found.language) for option in question.options),
    )
    for parser in PARSERS if parsers is None else parsers:
        key = parser(question, reply, found)
        if key is not None:
            return key
    return None


def _labels(label: Text, language: str) -> tuple[str, ...]:
    """The label as the person sees it and in English (people switch between them)."""
    return tuple(dict.fromkeys(label.get(code) for code in (language, DEFAULT_LANGUAGE)))


def by_number(question: Question, reply: Reply, found: AnswerWords) -> str | None:
    """The option typed by its number, such as "2" or "option 2".

    A number with a unit ("3 years") is a quantity, not an option number,
    when the options have ranges.
    """
    parts = reply.typed.split()
    digits = [word for word in parts if word.isdigit()]
    if len(digits) != 1 or len(parts) > 2:
        return None
    if len(parts) == 2 and _ranged(question) and any(part in found.units for part in parts):
        return None
    number = int(digits[0]) if len(digits[0]) <= 3 else 0
    options = question.options
    return options[number - 1].key if 1 <= number <= len(options) else None


def by_label(question: Question, reply: Reply, _words: AnswerWords) -> str | None:
    """The label typed in full."""
    for option, labels in zip(question.options, reply.labels, strict=True):
        if reply.typed in labels:
            return option.key
    return None


def by_range(question: Question, reply: Reply, found: AnswerWords) -> str | None:
    """The one option whose range holds every number typed in the range's unit."""
    unit = _range_unit(question)
    if unit is None:
        return None
    said = quantities(reply.tokens, found)
    if any(quantity.joined for quantity in said):
        return None  # "two ten": no one number, so no one range
    values = [value for quantity in said if (value := _in_unit(quantity, unit)) is not None]
    return _holding(question, values)


def by_district(question: Question, reply: Reply, _words: AnswerWords) -> str | None:
    """The option whose districts hold the one postcode district typed."""
    if not any(option.districts for option in question.options):
        return None
    return _district_option(question, districts_in(reply.text))


def _district_option(question: Question, districts: Iterable[str]) -> str | None:
    """The option holding the one district given; None for none, several, or no option."""
    given = set(districts)
    if len(given) != 1:
        return None
    (district,) = given
    picked = [o.key for o in question.options if district in (o.districts or ())]
    return picked[0] if len(picked) == 1 else None


def by_number_in_label(question: Question, reply: Reply, _words: AnswerWords) -> str | None:
    """The one option whose label holds the number typed ("65" for "65 or over")."""
    if not reply.typed.isdigit():
        return None
    holding = [
        option.key
        for option, labels in zip(question.options, reply.labels, strict=True)
        if any(reply.typed in label.split() for label in labels)
    ]
    return holding[0] if len(holding) == 1 else None


def by_fact_words(question: Question, reply: Reply, found: AnswerWords) -> str | None:
    """The option setting the one value a phrase says ("my mum": asking_for someone-else)."""
    typed = _Spelt(reply.tokens, found)
    for fact, values in found.fact_words.items():
        said = said_values(typed, values, found)
        if len(said) == 1:
            key = option_setting(question, fact, next(iter(said)))
            if key is not None:
                return key
    return None


def by_answer_kind(question: Question, reply: Reply, found: AnswerWords) -> str | None:
    """A yes / no / not-sure word picks the one option whose label is that answer.

    Only a label that is itself an answer counts ("Yes", "No, not yet", "I'm not
    sure", "None of these"; `label_answer`): at "What would help most?" a "no"
    is not "I have no food today", and a "yes" is not "...gas or electric right
    now". When no option, or more than one, is that answer, nothing is picked
    and the question is asked again.
    """
    answer = answer_kind(reply.typed, found)
    if answer is None:
        return None
    picked = [
        option.key
        for option, labels in zip(question.options, reply.written, strict=True)
        if _same_id(option.key, answer)
        or any(label_answer(label, found) == answer for label in labels)
    ]
    return picked[0] if len(picked) == 1 else None


def by_label_roughly(question: Question, reply: Reply, found: AnswerWords) -> str | None:
    """The label typed roughly ("my mum" for "My mum or dad"), one option clearly closest.

    Not for numbers or postcodes at a question with ranges or districts: those
    parsers have already said they are unsure, and "NB1 or NB7" only looks like
    "NB5 to NB10".
    """
    if _ranged(question) and quantities(reply.tokens, found):
        return None
    if any(option.districts for option in question.options) and districts_in(reply.text):
        return None
    scores = [max(_label_score(reply.typed, label) for label in labels) for labels in reply.labels]
    best = max(range(len(scores)), key=lambda position: scores[position])
    runner_up = max((s for p, s in enumerate(scores) if p != best), default=0.0)
    if scores[best] >= OPTION_SCORE and scores[best] - runner_up >= OPTION_LEAD:
        return question.options[best].key
    return None


PARSERS: tuple[Parser, ...] = (
    by_number,
    by_label,
    by_range,
    by_district,
    by_number_in_label,
    by_fact_words,
    by_answer_kind,
    by_label_roughly,
)
"""Tried in this order; the first sure answer wins."""


# --- Numbers --------------------------------------------------------------------------


class Quantity(msgspec.Struct, frozen=True):
    """A number typed, with the unit said beside it ("" when none) and where it stands."""

    value: float
    unit: RangeUnit | Literal[""]
    start: int
    end: int
    cued: bool = False
    """A word just before it makes it an age in a first message ("is 82")."""
    joined: bool = False
    """Said in number words run together with another number that they do not make one
    number with ("two ten": 2:10? 2 and 10? 210?): never taken as an answer."""


def quantities(tokens: Sequence[str], found: AnswerWords) -> list[Quantity]:
    """Every number in `tokens`: digits ("82", "23,250"), words ("eighty two"), "20k"."""
    numbers: list[Quantity] = []
    position = 0
    while position < len(tokens):
        read = _read_number(tokens, position, found.numbers, found.tens)
        if read is None:
            position += 1
            continue
        value, end = read
        quantity = _with_unit(tokens, value, position, end, found)
        before = numbers[-1] if numbers else None
        if before is not None and before.end == position and _in_words(tokens, before, quantity):
            # "two ten": words that make no one number; a person may mean a time, two
            # numbers, or 210. Guessing would pick an answer never meant: ask again.
            numbers[-1] = msgspec.structs.replace(before, joined=True)
            quantity = msgspec.structs.replace(quantity, joined=True)
        numbers.append(quantity)
        position = end
    return numbers


def _in_words(tokens: Sequence[str], *read: Quantity) -> bool:
    """Whether every one of these numbers was said in words, not digits."""
    return not any(tokens[quantity.start][0].isdigit() for quantity in read)


def _read_number(
    tokens: Sequence[str], start: int, numbers: Mapping[str, int], tens: frozenset[str]
) -> tuple[float, int] | None:
    """(value, end) of the number starting at `tokens[start]`, or None if none starts there."""
    token = tokens[start]
    if token[0].isdigit():
        value = _digits(token)
        if value is None:
            return None
        end = start + 1
        while end < len(tokens) and numbers.get(tokens[end], 0) >= 100:
            value *= numbers[tokens[end]]
            end += 1
        return value, end
    if token not in numbers or numbers[token] >= 100:
        return None
    return _number_words(tokens, start, numbers, tens)


def _number_words(
    tokens: Sequence[str], start: int, numbers: Mapping[str, int], tens: frozenset[str]
) -> tuple[float, int]:
    """Add up number words: "eighty two" is 82, "two hundred and fifty" 250, and in
    the Welsh way, tens counted: "wyth deg dau" (eight ten two) is 82."""
    total, current, previous, end = 0.0, 0.0, 0, start
    while end < len(tokens):
        token = tokens[end]
        following = tokens[end + 1] if end + 1 < len(tokens) else ""
        if token == "and" and previous >= 100 and following in numbers:
            end += 1
            continue
        worth = numbers.get(token)
        if worth is None:
            break
        if worth >= 1000:
            total += max(current, 1) * worth
            current = 0
        elif worth >= 100:
            current = max(current, 1) * worth
        elif token in tens and 1 <= previous < TEN and end > start:
            current = current - previous + previous * TEN  # Welsh counts in tens: "wyth deg"
            worth = ROUND_TEN  # ...and its units follow: "wyth deg dau" is 82
        elif end == start or _adds_on(previous, worth):
            current += worth
        else:
            break
        previous = worth
        end += 1
    return total + current, end


def _adds_on(previous: int, worth: int) -> bool:
    """Whether a number word continues the one before: "eighty two", "hundred and five"."""
    return previous >= 100 or (previous >= 20 and previous % 10 == 0 and worth < 10)


def _digits(token: str) -> float | None:
    """A number typed in digits; "7.5" is a decimal, very long runs are not numbers."""
    if len(token) > 12:
        return None
    try:
        return float(token)
    except ValueError:
        return None


def _with_unit(
    tokens: Sequence[str], value: float, start: int, end: int, found: AnswerWords
) -> Quantity:
    """The number with the unit said right after it ("82 yrs") or right before it ("£180")."""
    after = tokens[end] if end < len(tokens) else ""
    before = tokens[start - 1] if start > 0 else ""
    unit: RangeUnit | Literal[""] = ""
    if after in found.units:
        unit = found.units[after]
    elif before == "£":
        unit = "pounds"
    elif before in found.units:
        unit = found.units[before]
    cued = bool(unit == "years" or before in found.age_cues)
    return Quantity(value, unit, start, end, cued)


def _in_unit(quantity: Quantity, unit: RangeUnit) -> float | None:
    """The quantity in `unit`: a bare number is taken as the range's unit, except that a
    bare number at a question counted in months is years ("she is 2")."""
    said = quantity.unit
    if said == unit:
        return quantity.value
    if unit == "months" and said in {"", "years"}:
        return quantity.value * _MONTHS_IN_YEAR
    if unit == "years" and said == "months":
        return quantity.value / _MONTHS_IN_YEAR
    if said == "":
        return quantity.value
    return None


def _ranged(question: Question) -> bool:
    return any(option.range is not None for option in question.options)


def _range_unit(question: Question) -> RangeUnit | None:
    return next((o.range.unit for o in question.options if o.range is not None), None)


def _holding(question: Question, values: Sequence[float]) -> str | None:
    """The one option whose range holds all `values`; None if none or several."""
    if not values:
        return None
    picked: set[str] = set()
    for value in values:
        holding = [o.key for o in question.options if _holds(o.range, value)]
        if len(holding) != 1:
            return None
        picked.add(holding[0])
    return picked.pop() if len(picked) == 1 else None


def _holds(span: OptionRange | None, value: float) -> bool:
    return span is not None and span.holds(value)


# --- Postcodes ---------------------------------------------------------------------------


def districts_in(text: str) -> set[str]:
    """Postcode districts in `text`: full postcodes cut to their district, or districts alone."""
    found = {match.group(1).upper() for match in POSTCODE.finditer(text[:4000])}
    rest = POSTCODE.sub(" ", text[:4000])
    found.update(
        match.group(1).upper() for match in _DISTRICT_WORD.finditer(rest) if _looks_like(match)
    )
    return found


def _looks_like(match: re.Match[str]) -> bool:
    """A district has letters then a digit; "a1" alone is too easily something else."""
    letters = re.match(r"[a-z]+", match.group(1), re.IGNORECASE)
    return letters is not None and len(letters.group(0)) == 2


# --- Phrases that say a fact --------------------------------------------------------------


def said_values(
    typed: _Spelt,
    values: Mapping[str, Sequence[tuple[str, ...]]],
    found: AnswerWords,
    *,
    weak_filler_words: bool = False,
) -> set[str]:
    """The values of one fact that phrases in `tokens` say, leaving out negated phrases.

    A negated phrase ("not on universal credit") counts as saying something
    unclear: the result then holds `UNCLEAR` too, so the caller sees no single answer.
    A phrase that is one filler word ("me", "she") right before a phrase for
    another value does not count: "me mam" is dialect for "my mum". With
    `weak_filler_words` (a whole story), such a word says too little to give a
    value ("help me find..."), but still makes another value unclear ("help me
    with my mum").
    """
    hits: list[tuple[str, int, bool]] = []
    for value, phrases in values.items():
        for phrase in phrases:
            bare = len(phrase) == 1 and phrase[0] in found.filler
            for start in typed.found_at(phrase):
                if typed.negated(start, found):
                    return {*values, UNCLEAR}
                hits.append((value, start, bare))
    kept = [
        (value, bare)
        for value, start, bare in hits
        if not (bare and any(v != value and s == start + 1 for v, s, _ in hits))
    ]
    if not weak_filler_words:
        return {value for value, _bare in kept}
    strong = {value for value, bare in kept if not bare}
    weak = {value for value, bare in kept if bare}
    return strong | {UNCLEAR} if strong and weak - strong else strong


class _Spelt:
    """Typed words, each as all its spellings, with where each spelling stands."""

    def __init__(self, tokens: Sequence[str], found: AnswerWords) -> None:
        self.spelt = [found.spelt(token) for token in tokens]
        self.at: dict[str, list[int]] = defaultdict(list)
        for position, spellings in enumerate(self.spelt):
            for spelling in spellings:
                self.at[spelling].append(position)

    def found_at(self, phrase: tuple[str, ...], within: range | None = None) -> list[int]:
        """Where `phrase` starts (only starts in `within`, when given)."""
        spelt = self.spelt
        return [
            start
            for start in self.at.get(phrase[0], ())
            if (within is None or start in within)
            and start + len(phrase) <= len(spelt)
            and all(phrase[offset] in spelt[start + offset] for offset in range(1, len(phrase)))
        ]

    def negated(self, start: int, found: AnswerWords) -> bool:
        """Whether a negation ends in the `NEGATION_REACH` words before `start`."""
        window = range(max(0, start - NEGATION_REACH), start)
        return any(
            end + len(negation) <= start
            for negation in found.negations
            for end in self.found_at(negation, window)
        )


def option_setting(question: Question, fact: str, value: str) -> str | None:
    """The option setting `fact` to `value`, if this question is about that fact.

    It is when at least two options set the fact, each to a different value:
    "Who needs the help?" (me / someone else) is; a list of needs that all set
    `asking_for: self` but one is not, and is never answered by "my son".
    """
    setting = [o for o in question.options if fact in o.set]
    given = [_value_text(o.set[fact]) for o in setting]
    if len(setting) < 2 or len(set(given)) != len(given):
        return None
    return next((o.key for o, v in zip(setting, given, strict=True) if v == value), None)


def _value_text(value: FactValue) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


# --- Yes, no, not sure --------------------------------------------------------------------


def answer_kind(
    text: str, vocabulary: Vocabulary | AnswerWords, *, whole: bool = True
) -> str | None:
    """Which answer (`yes`, `no`, `not_sure`, ...) a short reply or a label gives.

    Filler is set aside on both sides first ("I'm not sure" is read as "not
    sure", so its "I'm not" does not also read as no), then answer phrases are
    found longest first, so "no idea" is not sure rather than no. With `whole`,
    the reply must start with an answer and give only one kind ("aye i do" is
    yes, "yes and no" is nothing); for labels, the kind covering most of the
    label wins.
    """
    found = answer_words(vocabulary)
    typed = _without_filler(normalise(text).split(), found.filler)
    if not typed or (whole and len(typed) > MAX_ANSWER_WORDS):
        return None
    spans = _answer_phrases(typed, found)
    if not spans:
        return None
    if whole:
        kinds = {kind for _start, _length, kind in spans}
        starts_with_answer = any(start == 0 for start, _length, _kind in spans)
        return kinds.pop() if len(kinds) == 1 and starts_with_answer else None
    covered: dict[str, int] = defaultdict(int)
    first: dict[str, int] = {}
    for start, length, kind in spans:
        covered[kind] += length
        first[kind] = min(first.get(kind, start), start)
    return max(covered, key=lambda kind: (covered[kind], -first[kind]))


def label_answer(label: str, vocabulary: Vocabulary | AnswerWords) -> str | None:
    """The answer a label gives as a whole: "Yes", "No, not yet", "Nac oes, gall aros"...

    Its first part (up to a comma or other stop), filler aside, must be answer
    phrases of one kind to its end, with at most one word before them ("I'm not
    sure" where "I'm" is not filler). "I have no food today" and "The council
    said no" hold a "no" but are not one; "No, they don't know" is a "no"
    whatever follows its comma.
    """
    found = answer_words(vocabulary)
    head = _CLAUSE.split(label, maxsplit=1)[0]
    typed = _without_filler(normalise(head).split(), found.filler)
    spans = _answer_phrases(typed, found)
    kinds = {kind for _start, _length, kind in spans}
    if len(kinds) != 1:
        return None
    first = min(start for start, _length, _kind in spans)
    covered = sum(length for _start, length, _kind in spans)
    return kinds.pop() if first <= 1 and covered == len(typed) - first else None


def _without_filler(typed: list[str], filler: frozenset[str]) -> list[str]:
    """The words that are not filler, or all of them when every one is ("i do")."""
    kept = [word for word in typed if word not in filler]
    return kept or typed


def _answer_phrases(typed: Sequence[str], found: AnswerWords) -> list[tuple[int, int, str]]:
    """(start, length, kind) of each answer phrase in `typed`, longest first, none overlapping."""
    candidates: list[tuple[int, int, str]] = []
    words_typed = tuple(typed)
    for kind, split in found.answers:
        for start in range(len(words_typed) - len(split) + 1):
            if words_typed[start : start + len(split)] == split:
                candidates.append((start, len(split), kind))
    taken: set[int] = set()
    spans: list[tuple[int, int, str]] = []
    for start, length, kind in sorted(candidates, key=lambda item: (-item[1], item[0])):
        span = set(range(start, start + length))
        if not span & taken:
            taken |= span
            spans.append((start, length, kind))
    return spans


def _same_id(first: str, second: str) -> bool:
    """Ids compare the same whichever joiner they use ("not-sure", "not_sure")."""
    return first.replace("-", "_") == second.replace("-", "_")


def _label_score(typed: str, label: str) -> float:
    import rapidfuzz  # here, not on top: start-up time (see navigator/engine/matching.py)

    return max(
        float(rapidfuzz.fuzz.ratio(typed, label)),
        float(rapidfuzz.fuzz.token_sort_ratio(typed, label)),
        _part_score(typed, label),
    )


def _part_score(typed: str, label: str) -> float:
    """Typed text that is a good part of the label ("mum" for "my mum or dad").

    token_set_ratio scores 100 whenever one side's words are a subset of the
    other's, so it is scaled down when the typed text covers little of the label.
    """
    if len(typed) < 3 or len(typed) > len(label):
        return 0.0
    share = min(1.0, len(typed) / max(len(label), 1))
    import rapidfuzz  # here, not on top: start-up time

    return float(rapidfuzz.fuzz.token_set_ratio(typed, label)) * (0.7 + 0.3 * share)


# --- What a first message already says -------------------------------------------------------


class Age(msgspec.Struct, frozen=True):
    years: float
    subject: Subject
    """Whose age: the speaker's ("i am 67"), someone else's ("my mum is 82"), or unclear."""


class Understood(msgspec.Struct, frozen=True):
    """What a first message says that questions may ask: ages, districts, facts."""

    ages: tuple[Age, ...] = ()
    districts: frozenset[str] = frozenset()
    facts: Mapping[str, frozenset[str]] = msgspec.field(default_factory=dict)
    """Fact -> the values phrases said (more than one: unclear, never used)."""

    @property
    def empty(self) -> bool:
        return not (self.ages or self.districts or any(self.facts.values()))


def understand(text: str, vocabulary: Vocabulary | AnswerWords) -> Understood:
    """Read a first message for answers it already gives (see the module docstring)."""
    found = answer_words(vocabulary)
    tokens = words(text, found)[:MAX_STORY_WORDS]
    ages = tuple(
        Age(years, _subject(tokens, quantity, found))
        for quantity in quantities(tokens, found)
        if quantity.cued
        and not quantity.joined
        and (years := _in_unit(quantity, "years")) is not None
    )
    typed = _Spelt(tokens, found)
    facts = {
        fact: frozenset(said_values(typed, values, found, weak_filler_words=True))
        for fact, values in found.fact_words.items()
    }
    return Understood(ages, frozenset(districts_in(text)), facts)


def _subject(tokens: Sequence[str], quantity: Quantity, found: AnswerWords) -> Subject:
    """Whose age: the nearest word for the speaker or for someone else, looking back first."""
    back = range(quantity.start - 1, max(-1, quantity.start - 1 - SUBJECT_REACH), -1)
    ahead = range(quantity.end, min(len(tokens), quantity.end + SUBJECT_REACH))
    for position in (*back, *ahead):
        spellings = found.spelt(tokens[position])
        if spellings & found.speaker:
            return "self"
        if spellings & found.others:
            return "other"
    return ""


def prefill(
    question: Question, understood: Understood, *, helping_self: bool = False
) -> str | None:
    """The option of `question` the first message already answers, or None.

    An age fills an age question when it is the only age said about the
    question's person: the speaker for a question that says "you", else
    someone else (or the speaker when the help is for them, `helping_self`).
    A district fills a question whose options list districts, when the question
    is about the speaker in the same way; a fact phrase fills a question about
    that fact. Each only when exactly one answer fits.
    """
    unit = _range_unit(question)
    if unit in {"years", "months"}:
        wanted = _question_subject(question, helping_self=helping_self)
        ages = [age.years for age in understood.ages if age.subject == wanted]
        if len(ages) != 1:
            return None
        scale = _MONTHS_IN_YEAR if unit == "months" else 1
        return _holding(question, [ages[0] * scale])
    if any(option.districts for option in question.options):
        if _question_subject(question, helping_self=helping_self) != "self":
            return None  # where the speaker lives says nothing about where their mum does
        return _district_option(question, understood.districts)
    for fact, values in understood.facts.items():
        if len(values) == 1:
            key = option_setting(question, fact, next(iter(values)))
            if key is not None:
                return key
    return None


def _question_subject(question: Question, *, helping_self: bool) -> Subject:
    """ "How old are you?" asks about the speaker; "How old is the person...?" about another."""
    if "you" in normalise(question.text.get()).split():
        return "self"
    return "self" if helping_self else "other"


def helping_self(facts: Mapping[str, FactValue], vocabulary: Vocabulary | AnswerWords) -> bool:
    """Whether the facts say the help is for the person typing (a fact_words fact is `self`)."""
    found = answer_words(vocabulary)
    return any(
        _value_text(facts[fact]) == SELF
        for fact, values in found.fact_words.items()
        if SELF in values and fact in facts
    )
