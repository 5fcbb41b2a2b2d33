"""Which language a person wrote in, so Navigator can answer in it or say it cannot.

Three readings, cheapest and surest first:

1. **Script.** Text mostly in a script only one declared language uses here
   is that language: Gurmukhi is Punjabi, Bengali script is Bengali, Gujarati
   script is Gujarati, Han characters are Chinese. Arabic script is Urdu when
   it has letters Arabic does not use (ٹ ڈ ڑ ں ے), Persian where that is
   declared and the text has Persian-only letters, otherwise Arabic.
   A few English words in such text ("我需要universal credit的帮助") do not
   count against the script, once it has enough letters.
2. **Romanised words.** Urdu, Punjabi, Bengali, Gujarati and Arabic are often
   typed in Latin letters ("mujhe madad chahiye"). The knowledge base lists
   everyday words per language (`romanised:`); two or more of them, and a third
   of the words that are not English words the knowledge base uses, are
   enough. Arabic typed with digits for letters (Arabizi: "3ayez", "ma3a")
   counts those words as Arabic without listing each one.
3. **A model** for the other languages in Latin (or other) letters: lingua
   (`lingua-language-detector`), restricted to the declared languages plus
   English, in its low-accuracy mode (letter trigrams only): about 15 MB and
   0.2 s to build, against about 190 MB for the full models, and right on
   the labelled sets (docs/performance.md). It ships its models inside its
   wheel: nothing is downloaded. A language declared `language_model: when_first`
   (Spanish, close to Portuguese) is named only when the model puts it first and is
   sure; otherwise the text is read as if it were not declared, so it takes no
   confidence from the languages near it.

English is the default and must stay so: "cant pay gas" or "me nan needs
help" must never switch. So the model must be confident, the text long
enough, and English a poor second, before a language other than English is
reported (thresholds chosen on tests/data/languages.yaml and the English
phrasings; measured on a held-aside set).

If lingua cannot be imported or built, that is logged once and only the
script and word readings answer; nothing else changes.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import msgspec

from navigator.engine.understanding.loading import LoadOnce
from navigator.kb.knowledge import KnowledgeBase
from navigator.kb.model import Question, Text
from navigator.lazy_re import LazyPattern

if TYPE_CHECKING:
    from lingua import LanguageDetector as LinguaDetector

log = logging.getLogger(__name__)

ENGLISH = "en"

How = Literal["script", "words", "model"]

# --- Tuning (on tests/data/languages.yaml and the English phrasings) ----------------

MIN_SCRIPT_LETTERS = 2
"""Letters of a non-Latin script needed before the script decides."""
SCRIPT_SHARE = 0.5
"""...and the share of all letters they must be."""
MIN_MIXED_SCRIPT_LETTERS = 4
"""From this many letters of the script, English words the knowledge base uses are left
out of the share: "food bank কোথায় আছে?" is Bengali. Fewer, and "my neighbour only
speaks 中文" stays English."""
MIN_ROMANISED_HITS = 2
ROMANISED_SHARE = 0.3
"""Romanised words: at least this many listed words, and this share of all words."""
MIN_MIXED_HITS = 3
"""...or this many, and that share of the words that are not English words the knowledge
base uses ("mera universal credit band ho gaya hai"). Two are not enough there: "bachon
ke liye swimming lessons, how much for two kids" is English with an Urdu phrase."""
MAX_ENGLISH_IN_LONG = 0.25
"""...or this many listed words, when at most this share of all the words are English words
the knowledge base uses. A long romanised message ("sanu navan ghar chahida, asi bahut
chhote kamre vich rehnde ...") holds many more words than any list can: five listed words
in nineteen is under the third the share asks, though hardly a word of it is English. English
text holds far more English words (at least 70% among the English sets' texts with two
listed words), so the English guard still holds. Chosen on the tuned language sets (session
12, branch welsh7)."""
MIN_MODEL_LETTERS = 12
"""Shorter text is not given to the model: a few letters look like any language."""
MIN_MODEL_WORDS = 2
MODEL_CONFIDENCE = 0.8
"""The model's confidence in the language it reports, at least."""
MAX_ENGLISH_CONFIDENCE = 0.1
"""...and its confidence in English, at most."""
MAX_STRIPPED_SHARE = 0.4
"""Up to this share of English words the knowledge base uses, the model reads the text
without them ("preciso de ajuda com o council tax por favor"); above it, as written,
so that English with a foreign phrase ("donde esta la sala, i need print my cv") keeps
the English guard."""
MAX_KNOWN_SHARE = 0.5
"""...and at most this share of the words are English words the knowledge base uses.

Trigrams alone take a few short English messages for another language ("the
senco wont listen to me" looks Portuguese to them); the knowledge base's own
English words ("listen", "the", "me") say otherwise."""

_SCRIPTS: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = (
    ("arabic", ((0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))),
    ("gurmukhi", ((0x0A00, 0x0A7F),)),
    ("bengali", ((0x0980, 0x09FF),)),
    ("gujarati", ((0x0A80, 0x0AFF),)),
    ("devanagari", ((0x0900, 0x097F),)),
    ("han", ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF))),
)
"""Scripts that decide the language by themselves, with their Unicode blocks."""

SCRIPT_LANGUAGES: Mapping[str, str] = {
    "gurmukhi": "pa",
    "bengali": "bn",
    "gujarati": "gu",
    "devanagari": "hi",
    "han": "zh",
}
"""The language each script means here (Arabic script is read by `_arabic_script`)."""

BY_SCRIPT = frozenset({"ar", "ur", "fa", *SCRIPT_LANGUAGES.values()})
"""Languages read from their script, so the model never needs to know them."""

URDU_LETTERS = frozenset("ٹڈڑںےۓ")
"""Letters Urdu uses and Arabic and Persian do not."""
PERSIAN_URDU_LETTERS = frozenset("پچژگکی")
"""Letters Persian and Urdu use and Arabic does not."""

ARABIZI = "ar"
"""The language whose Latin spelling writes letters as digits (3 for ع, 7 for ح)."""
_ARABIZI_WORD = LazyPattern(r"(?:[a-z]+[235679]+[a-z][a-z0-9]*|[235679][a-z]{3,}[a-z0-9]*)")
"""A word with a digit for a letter: "ma3a", "m7tag", "3ayez", "ma3i". Arabizi. Not a
postcode ("NB7 2AB": a digit last, or two letters after it)."""
NOT_ARABIZI = frozenset(
    {"am", "pm", "st", "nd", "rd", "th", "ish", "day", "days", "hr", "hrs", "hour", "hours"}
    | {"min", "mins", "yr", "yrs", "year", "years", "yo", "wk", "wks", "week", "weeks"}
    | {"month", "months", "kids", "kg", "mg", "ml", "mp", "mph", "ft", "th", "pc", "gb"}
)
"""What follows or precedes a number in English ("3rd", "7days", "5pm", "mp3")."""
_ROMAN_WORD = LazyPattern(r"[^\W_]*[^\W\d_][^\W_]*(?:'[^\W\d_]+)?")
"""A word with at least one letter, digits inside kept ("3ayez", not "ayez")."""

_LATIN_WORD = LazyPattern(r"[A-Za-z]+(?:'[A-Za-z]+)?")
"""English words inside text in another script ("我需要universal credit的帮助")."""

WARM_UP_TEXT = "a few words to load the models"
"""lingua reads its models on the first text, not when built: one text loads them."""

_WORD = LazyPattern(r"[^\W\d_]+(?:'[^\W\d_]+)?")


class LanguageGuess(msgspec.Struct, frozen=True):
    """A language recognised in a text: its ISO 639-1 code, how sure, and how it was read."""

    code: str
    confidence: float
    how: How


class LanguageDetector:
    """Recognises the languages a knowledge base declares; English otherwise.

    The model is built on first use or by `warm_up()` (front ends call that in
    a background thread once the first screen is drawn), under a lock, once.
    lingua keeps its models for the whole process, so building a second
    detector for the same languages costs nothing.
    """

    def __init__(
        self,
        codes: Iterable[str],
        romanised: Mapping[str, Sequence[str]] | None = None,
        english: Callable[[], frozenset[str]] = frozenset,
        when_first: Iterable[str] = (),
    ) -> None:
        """`english` gives the English words known here, when the model is built;
        `when_first`, the languages the model reports only when it puts them first
        (`languages.yaml`, `language_model: when_first`)."""
        self.codes = frozenset(code for code in codes if code != ENGLISH)
        self._when_first = frozenset(when_first) & self.codes
        self._romanised = {
            word.casefold(): code
            for code, words in (romanised or {}).items()
            if code in self.codes
            for word in words
        }
        self._romanised_by_code: dict[str, frozenset[str]] = {
            code: frozenset(w.casefold() for w in words)
            for code, words in (romanised or {}).items()
            if code in self.codes
        }
        self._model_codes = tuple(sorted(self.codes - BY_SCRIPT))
        self._lock = threading.Lock()
        """Held while the model is built (seconds, in the background)."""
        self._english = LoadOnce(english)
        """The English words, read once (about 30 ms) under their own lock, so a message
        that needs them never waits for the model's build."""
        self._model: LinguaDetector | None = None
        self._tried = False
        self.problem: str | None = None
        """Why the model could not be built (logged once), or None."""

    @classmethod
    def for_knowledge(cls, knowledge: KnowledgeBase) -> LanguageDetector:
        languages = knowledge.languages.values()
        return cls(
            (language.id for language in languages),
            {language.id: language.romanised for language in languages if language.romanised},
            lambda: english_words(knowledge),
            (language.id for language in languages if language.language_model == "when_first"),
        )

    # --- Reading ---------------------------------------------------------------------

    def detect(self, text: str) -> LanguageGuess | None:
        """The declared language `text` is written in, or None for English (or unsure)."""
        if not self.codes:
            return None
        return self._by_script(text) or self._by_romanised_words(text) or self._by_model(text)

    def _by_script(self, text: str) -> LanguageGuess | None:
        counts: dict[str, int] = {}
        letters = 0
        for char in text:
            script = _script_of(ord(char))
            if script is not None and (char.isalpha() or unicodedata.category(char)[0] == "M"):
                counts[script] = counts.get(script, 0) + 1  # vowel signs are letters here
                letters += 1
            elif char.isalpha():
                letters += 1
        if not counts:
            return None
        script, count = max(counts.items(), key=lambda item: item[1])
        if count >= MIN_MIXED_SCRIPT_LETTERS:
            english = self.english
            letters -= sum(len(w) for w in _LATIN_WORD.findall(text) if w.casefold() in english)
        if count < MIN_SCRIPT_LETTERS or count < SCRIPT_SHARE * letters:
            return None
        code = _arabic_script(text) if script == "arabic" else SCRIPT_LANGUAGES[script]
        if code not in self.codes:
            return None
        return LanguageGuess(code, round(count / letters, 3), "script")

    def _by_romanised_words(self, text: str) -> LanguageGuess | None:
        """Listed words of one language; the English words the knowledge base uses do
        not dilute them ("mera universal credit band ho gaya hai" is Urdu)."""
        if not self._romanised and ARABIZI not in self.codes:
            return None
        words = [word.casefold() for word in _ROMAN_WORD.findall(text)]
        if not words:
            return None
        hits = {
            code: sum(1 for word in words if word in listed)
            for code, listed in self._romanised_by_code.items()
        }
        if ARABIZI in self.codes:
            hits[ARABIZI] = sum(
                1
                for word in words
                if word in self._romanised_by_code.get(ARABIZI, ())
                or (_arabizi(word) and word not in self.english)
            )
        code, found = max(sorted(hits.items()), key=lambda item: item[1])
        if found < MIN_ROMANISED_HITS:
            return None
        if found < ROMANISED_SHARE * len(words) and not self._mostly_listed(words, found):
            return None
        return LanguageGuess(code, round(found / len(words), 3), "words")

    def _mostly_listed(self, words: Sequence[str], found: int) -> bool:
        """Whether `found` listed words of one language are enough in a text with fewer than
        `ROMANISED_SHARE` of them: a third of the words that are not English words the
        knowledge base uses (`MIN_MIXED_HITS`), or hardly any English at all
        (`MAX_ENGLISH_IN_LONG`)."""
        if found < MIN_MIXED_HITS:
            return False
        english = self.english
        known = sum(1 for word in words if word in english and word not in self._romanised)
        if known <= MAX_ENGLISH_IN_LONG * len(words):
            return True
        return found >= ROMANISED_SHARE * (len(words) - known)

    def _by_model(self, text: str) -> LanguageGuess | None:
        words = _WORD.findall(text)
        if len(words) < MIN_MODEL_WORDS or sum(len(word) for word in words) < MIN_MODEL_LETTERS:
            return None
        if len({word.casefold() for word in words}) < MIN_MODEL_WORDS:
            return None  # "blah blah blah": one word repeated is no language to answer in
        model = self.warm_up()
        if model is None:
            return None
        english = self.english
        kept = [word for word in words if word.casefold() not in english]
        if len(words) - len(kept) > MAX_KNOWN_SHARE * len(words):
            return None
        if 0 < len(words) - len(kept) <= MAX_STRIPPED_SHARE * len(words):
            if len(kept) < MIN_MODEL_WORDS or sum(len(word) for word in kept) < MIN_MODEL_LETTERS:
                return None
            text = " ".join(kept)
        scores = {
            value.language.iso_code_639_1.name.lower(): value.value
            for value in model.compute_language_confidence_values(text)
        }
        best = max(scores, key=lambda code: scores[code], default=ENGLISH)
        if best in self._when_first:
            found = self._confident(scores, best)
            if found is not None:
                return found
        if self._when_first:  # read as if they were not declared
            scores = _without(scores, self._when_first)
            best = max(scores, key=lambda code: scores[code], default=ENGLISH)
        return self._confident(scores, best)

    def _confident(self, scores: Mapping[str, float], best: str) -> LanguageGuess | None:
        """`best` when the model is sure enough of it, and English is a poor second."""
        if best == ENGLISH or best not in self.codes:
            return None
        if scores[best] < MODEL_CONFIDENCE or scores.get(ENGLISH, 0.0) > MAX_ENGLISH_CONFIDENCE:
            return None
        return LanguageGuess(best, round(scores[best], 3), "model")

    # --- The knowledge base's English and the model ----------------------------------

    @property
    def english(self) -> frozenset[str]:
        """The English words the knowledge base uses, read once (about 30 ms)."""
        return self._english.get()

    @property
    def ready(self) -> bool:
        """True once the model is built (or there is none to build)."""
        return self._tried or not self._model_codes

    def warm_up(self) -> LinguaDetector | None:
        """Build the model now (once), or return the one built; None if it cannot be."""
        if self._tried:
            return self._model
        self._english.get()  # first, outside the model's lock (it has its own)
        with self._lock:
            if not self._tried:
                self._model = self._build() if self._model_codes else None
                self._tried = True
        return self._model

    def _build(self) -> LinguaDetector | None:
        try:
            import lingua

            languages = [_lingua_language(lingua, code) for code in (ENGLISH, *self._model_codes)]
            known = [language for language in languages if language is not None]
            if len(known) < 2:  # English and at least one other
                return None
            model = (
                lingua.LanguageDetectorBuilder.from_languages(*known)
                .with_low_accuracy_mode()
                .build()
            )
            model.compute_language_confidence_values(WARM_UP_TEXT)  # loads the models now
            return model
        except Exception as problem:  # any failure: carry on without the model
            self.problem = f"{type(problem).__name__}: {problem}"
            log.warning(
                "Language detection model could not be built (%s); only scripts and listed "
                "words are recognised",
                self.problem,
            )
            return None


def _english_keywords(
    knowledge: KnowledgeBase, english: list[str], translated: list[Text]
) -> list[str]:
    """Topics' keywords and examples, without those written in another language.

    Keywords are plain strings in any language (a Welsh topic lists Welsh ones
    too). One made mostly of words that only the knowledge base's translations
    use ("seibiant o ofalu") is not English, and must not teach the guard that
    Welsh words are English (branch welsh).
    """
    known = {word.casefold() for text in english for word in _WORD.findall(text)}
    foreign = {
        word.casefold()
        for text in translated
        for language, words in text.translations.items()
        if language != "en"
        for word in _WORD.findall(words)
    } - known
    kept = []
    for topic in knowledge.topics.values():
        for entry in (*topic.keywords, *topic.examples):
            words = [word.casefold() for word in _WORD.findall(entry)]
            if sum(word in foreign for word in words) * 2 < len(words) or not words:
                kept.append(entry)
    return kept


def english_words(knowledge: KnowledgeBase) -> frozenset[str]:
    """Every word of the knowledge base's English that residents meet or type (about 30 ms).

    Topics with their keywords and examples, questions and their options,
    services' names and descriptions, messages, and the vocabulary's everyday
    words and spellings ("wiv", "nan").
    """
    texts: list[str] = [text.get() for text in knowledge.messages.values()]
    translated: list[Text] = list(knowledge.messages.values())
    for topic in knowledge.topics.values():
        texts += [topic.title.get(), topic.summary.get()]
        translated += [topic.title, topic.summary]
    for node in knowledge.nodes.values():
        texts.append(node.text.get())
        translated.append(node.text)
        if isinstance(node, Question):
            texts += [option.label.get() for option in node.options]
            translated += [option.label for option in node.options]
    for service in knowledge.services.values():
        texts += [service.name.get(), service.description.get()]
    texts += _english_keywords(knowledge, texts, translated)
    vocabulary = knowledge.vocabulary
    typed: list[str] = list(vocabulary.filler)
    for words in (
        vocabulary.answers,
        vocabulary.commands,
        vocabulary.spellings,
        vocabulary.related,
    ):
        for word, others in words.items():
            typed += [word, *others]
    texts += typed
    # Text-speak with digits ("2nite", "2moro") is English too: kept whole, or it would look
    # like Arabizi (a digit for a letter) and switch a message away from the English lines.
    spelled = (word for text in typed for word in _ROMAN_WORD.findall(text) if _arabizi(word))
    found = [word for text in texts for word in _WORD.findall(text)] + list(spelled)
    return frozenset(word.casefold() for word in found)


def _arabizi(word: str) -> bool:
    """A word written with digits for Arabic letters, not a number with an English unit."""
    if not _ARABIZI_WORD.fullmatch(word):
        return False
    return not any(part in NOT_ARABIZI for part in re.split(r"\d+", word) if part)


def _without(scores: dict[str, float], left_out: frozenset[str]) -> dict[str, float]:
    """The model's confidences with the `left_out` languages taken away, the rest scaled back
    to a whole: what a model built without them says (the same to 1e-14 on the tuned
    language sets), so a `when_first` language takes no confidence from those near it."""
    kept = {code: value for code, value in scores.items() if code not in left_out}
    total = sum(kept.values())
    if len(kept) == len(scores) or total <= 0.0:
        return scores
    return {code: value / total for code, value in kept.items()}


def _script_of(point: int) -> str | None:
    for script, blocks in _SCRIPTS:
        for low, high in blocks:
            if low <= point <= high:
                return script
    return None


def _arabic_script(text: str) -> str:
    """Urdu, Persian or Arabic, by the letters only some of them use."""
    letters = set(text)
    if letters & URDU_LETTERS:
        return "ur"
    if letters & PERSIAN_URDU_LETTERS:
        return "ur"
    return "ar"


def _lingua_language(lingua: Any, code: str) -> Any:
    """lingua's `Language` for an ISO 639-1 code, or None where lingua does not know it."""
    try:
        iso = getattr(lingua.IsoCode639_1, code.upper())
        return lingua.Language.from_iso_code_639_1(iso)
    except (AttributeError, ValueError):
        return None
