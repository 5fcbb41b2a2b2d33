"""Turning knowledge-base text into the sentences a person reads.

Every resident-facing sentence lives in the knowledge base: a node's text, a
fact's value phrase, or a message under `messages:`. Python only picks which
one, fills in `{placeholders}` and joins short phrases into a list. Keeping
that in one place means a council can reword anything without touching code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache, cached_property

from navigator.kb.knowledge import KnowledgeBase
from navigator.kb.model import Fact, FactValue, Text
from navigator.kb.rates import fill_rates

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_PLURAL = re.compile(r"\{([a-z_]+),\s*plural,")
_SELECTOR = re.compile(r"\s*(=\d+(?:\.\d+)?|zero|one|two|few|many|other)\s*\{")
_CLOSING = re.compile(r"\s*\}")


def fill(template: str, values: Mapping[str, object], language: str = "en") -> str:
    """Replace `{name}` with its value, leaving unknown names and stray braces alone.

    Plural forms (`{weeks, plural, one {# week} other {# weeks}}`) are chosen
    first, for `language` (`choose_plurals`). `str.format` would raise on a
    stray brace typed by content staff; a person should never see an error
    because of punctuation in a message.
    """

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(values[name]) if name in values else match.group(0)

    return _PLACEHOLDER.sub(replace, choose_plurals(template, values, language))


def choose_plurals(template: str, values: Mapping[str, object], language: str) -> str:
    """Each `{name, plural, ...}` in `template` replaced by the form for `values[name]`.

    The form is chosen by CLDR's plural rules for `language`, from babel, never
    by rules of our own: English has `one` and `other`; Welsh has `zero`, `one`,
    `two`, `few`, `many` and `other` (0, 1, 2, 3, 6, and the rest). `=3 {...}`
    picks an exact number first; a category the message does not give falls back
    to `other`. `#` in the form is the number. A part whose name has no value, or
    that is not written right, is left as written, so the mistake shows in testing.
    """
    if "plural" not in template:
        return template
    parts: list[str] = []
    position = 0
    for match in _PLURAL.finditer(template):
        if match.start() < position:
            continue
        read = plural_forms(template, match.end())
        name = match.group(1)
        if read is None or name not in values:
            continue
        end, forms = read
        chosen = _form_for(forms, values[name], language)
        if chosen is None:
            continue
        parts += [template[position : match.start()], chosen.replace("#", str(values[name]))]
        position = end
    return "".join([*parts, template[position:]])


def plural_forms(template: str, start: int) -> tuple[int, dict[str, str]] | None:
    """(end, forms) of the plural part whose forms begin at `start`, or None if malformed.

    Forms are `selector {text}` pairs up to the part's closing brace; a text may
    hold `{placeholders}` of its own.
    """
    forms: dict[str, str] = {}
    position = start
    while True:
        selector = _SELECTOR.match(template, position)
        if selector is None:
            closing = _CLOSING.match(template, position)
            return (closing.end(), forms) if closing is not None and forms else None
        body_start = selector.end()
        depth, position = 1, body_start
        while depth and position < len(template):
            depth += {"{": 1, "}": -1}.get(template[position], 0)
            position += 1
        if depth:
            return None
        forms[selector.group(1)] = template[body_start : position - 1]


def _form_for(forms: Mapping[str, str], value: object, language: str) -> str | None:
    number = _as_number(value)
    if number is None:
        return forms.get("other")
    exact = forms.get(f"={number:g}")
    if exact is not None:
        return exact
    return forms.get(plural_category(number, language), forms.get("other"))


def plural_category(number: float, language: str) -> str:
    """CLDR's plural category of `number` in `language` ("one", "few", ...), from babel."""
    return _plural_rule(language)(number)


@cache
def _plural_rule(language: str) -> Callable[[float], str]:
    from babel import Locale, UnknownLocaleError  # here: only messages with plurals need it

    try:
        return Locale.parse(language).plural_form
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en").plural_form


def _as_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None


class Wording:
    """The words of one knowledge base in one language."""

    def __init__(
        self, knowledge: KnowledgeBase, language: str = "en", as_of: dt.date | None = None
    ) -> None:
        self.knowledge = knowledge
        self.language = language
        self.as_of = as_of
        """The day whose rates texts show (`--as-of` previews); None: the day it is read."""
        self.person = ""
        """Who the answers are about when it is not the person typing ("your mum"); '' for "you"."""
        self.their_facts: frozenset[str] = frozenset()
        """Facts learnt about that person, whose "you" phrases are reworded to "they"."""

    def about(self, person: str, their_facts: frozenset[str]) -> Wording:
        """These words for results about someone else: `person` names them, their facts say "they".

        A copy, so the conversation's own wording (and the advocate's panel) keeps "you".
        """
        other = Wording(self.knowledge, self.language, self.as_of)
        other.person = person
        other.their_facts = their_facts
        return other

    def about_them(self, fact_ids: frozenset[str] | set[str]) -> bool:
        """Whether a reason resting on these facts is about the person helped, not the speaker."""
        return bool(self.person) and not self.their_facts.isdisjoint(fact_ids)

    def them(self, phrase: str) -> str:
        """ "you live in Northbrook" -> "they live in Northbrook", with the knowledge base's words.

        `engine_them_words` lists the swaps ("your = their, you = they"); "they"
        takes the same verb as "you", so nothing else in the phrase changes.
        """
        pattern, swaps = self._them_swaps
        if pattern is None:
            return phrase

        def swap(match: re.Match[str]) -> str:
            said = match.group(0)
            new = swaps[" ".join(said.split()).casefold()]
            return new[:1].upper() + new[1:] if said[:1].isupper() else new

        return pattern.sub(swap, phrase)

    @cached_property
    def _them_swaps(self) -> tuple[re.Pattern[str] | None, dict[str, str]]:
        swaps: dict[str, str] = {}
        if self.has_message("engine_them_words"):
            for pair in self.message("engine_them_words").split(","):
                said, _, new = pair.partition("=")
                if said.strip() and new.strip():
                    swaps[" ".join(said.split()).casefold()] = " ".join(new.split())
        if not swaps:
            return None, swaps
        longest = sorted(swaps, key=len, reverse=True)
        words = "|".join(re.escape(said).replace(r"\ ", r"\s+") for said in longest)
        return re.compile(rf"\b(?:{words})\b", re.IGNORECASE), swaps

    def today(self) -> dt.date:
        return self.as_of if self.as_of is not None else dt.date.today()

    def message(self, key: str, **values: object) -> str:
        """The message `key`, filled in. A missing message shows its key, which tests catch."""
        message = self._with_rates(self.knowledge.message(key, self.language))
        return fill(message, values, self.language)

    def has_message(self, key: str) -> bool:
        return key in self.knowledge.messages

    def text(self, text: Text | None) -> str:
        """A `Text` in this language (English where there is no translation); '' for none.

        Rates it names (`{healthy_start.weekly}`) read as their value on `today()`.
        """
        return self._with_rates(text.get(self.language)) if text is not None else ""

    def _with_rates(self, sentence: str) -> str:
        if "{" not in sentence or not self.knowledge.rates:
            return sentence
        return fill_rates(sentence, self.knowledge.rates, self.today())

    def join(self, phrases: Sequence[str]) -> str:
        """ "a", "b", "c" -> "a, b and c", with the word for "and" from the messages."""
        unique = list(dict.fromkeys(phrase for phrase in phrases if phrase))
        if len(unique) <= 1:
            return "".join(unique)
        conjunction = self.message("engine_word_and")
        return f"{', '.join(unique[:-1])} {conjunction} {unique[-1]}"

    def fact_phrase(self, fact_id: str, value: FactValue) -> str:
        """How a fact's value reads after "because": "you are 65 or over".

        Uses the fact's `values` phrase for that value, then its `phrase` with
        `{value}`, then a general message naming the fact and the value.
        """
        phrase = self._fact_phrase(fact_id, value)
        return self.them(phrase) if self.about_them({fact_id}) else phrase

    def _fact_phrase(self, fact_id: str, value: FactValue) -> str:
        fact = self.knowledge.facts.get(fact_id)
        if fact is not None:
            phrase = value_phrase(fact, value)
            if phrase is not None:
                return self.text(phrase)
            if fact.phrase is not None:
                return fill(self.text(fact.phrase), {"value": display_value(value)})
        title = self.text(fact.title) if fact is not None else fact_id
        return self.message("engine_fact_value", fact=title, value=display_value(value))

    def fact_title(self, fact_id: str) -> str:
        fact = self.knowledge.facts.get(fact_id)
        return self.text(fact.title) if fact is not None else fact_id


def value_keys(value: FactValue) -> list[str]:
    """The ways a value may be written as a key under a fact's `values`."""
    if isinstance(value, bool):
        return ["yes", "true"] if value else ["no", "false"]
    if isinstance(value, float) and value.is_integer():
        return [str(int(value)), str(value)]
    return [str(value)]


def value_phrase(fact: Fact, value: FactValue) -> Text | None:
    """The phrase a fact gives for `value`, matching keys without regard to case."""
    lowered = {key.lower(): text for key, text in fact.values.items()}
    for key in value_keys(value):
        found = fact.values.get(key) or lowered.get(key.lower())
        if found is not None:
            return found
    return None


def display_value(value: FactValue) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
