"""Understanding one text: the stages in order, behind one method.

Whatever a person types goes through the same stages (see the package docstring):
normalise, detect the language, the safeguarding lines in order, the topic scorers
fused, and the answer parsers of the question on screen. Before this module the
conversation and `navigator match` each called the stages their own way; now both
call `Understanding.read` and get one `Reading`, so a stage added here is added for
every front end at once.

Each stage is a small protocol, held in order by `Understanding`:

- `LanguageReader`: which declared language a text is in (`LanguageDetector`);
- `SafetyLine`: one safeguarding line. The sign lexicon is always the first line and
  cannot be left out (`signs.SignLexiconLine`); the meaning line follows; a council's own
  lines come after both. The first line that finds something decides;
- `TopicScorer` (`navigator.engine.understanding.topics`): one way of scoring the
  topics, fused with the lexical index by `TopicRanker`. A council adds one with the
  `scorers` argument, or installs it under the `navigator.topic_scorers` entry-point
  group (`navigator.engine.understanding.extensions`);
- `AnswerParser` (`answers.Parser`): one way of reading an answer at a question,
  tried in order; the first that is sure picks the option.

A language needs no code at all: it is knowledge (`knowledge/messages/languages.yaml`,
and translations for a language the knowledge base is served in); the language stage
and the safeguarding lines read it from there.

Cost is today's cost: the language and the safety verdict are read at once (safety is
never skipped, and comes first), the rest only when first asked for. A text that is a
crisis, a command or an answer is never ranked against the topics, as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from navigator.engine.matching import TopicDecision, TopicMatcher
from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.textnorm import normalise
from navigator.engine.understanding.answers import (
    PARSERS,
    AnswerWords,
    Parser,
    Understood,
    match_option,
    understand,
)
from navigator.engine.understanding.language import ENGLISH, LanguageDetector, LanguageGuess
from navigator.engine.understanding.topics import MeaningScorer, TopicRanker, TopicScorer
from navigator.engine.understanding.verdict import SafetyVerdict
from navigator.kb.knowledge import KnowledgeBase
from navigator.kb.model import Question

if TYPE_CHECKING:
    from navigator.engine.understanding.contextual import ContextualModel
    from navigator.engine.understanding.embedding import EmbeddingModel

__all__ = [
    "SHORT_ANSWER_WORDS",
    "AnswerParser",
    "LanguageReader",
    "MeaningSafetyLine",
    "Reading",
    "SafetyLine",
    "TopicScorer",
    "Understanding",
    "short_answer",
]

SHORT_ANSWER_WORDS = 5
"""Answers to a question this long or shorter are not asked the check-in question
(`Understanding.read`)."""

AnswerParser = Parser
"""One way of reading an answer at a question: (question, reply, words) -> option key or
None when not sure (`navigator.engine.understanding.answers.PARSERS` lists today's)."""


class LanguageReader(Protocol):
    """Which declared language a text is in; None for English or unsure."""

    def detect(self, text: str) -> LanguageGuess | None: ...


class SafetyLine(Protocol):
    """One safeguarding line: a verdict on the text, or None when it sees nothing.

    `language` is the language stage's guess (None: English); `check_in` False asks the
    line not to use its unsure band (a short answer at a question).
    """

    name: str

    def assess(
        self, text: str, language: LanguageGuess | None, *, check_in: bool
    ) -> SafetyVerdict | None: ...


class MeaningSafetyLine:
    """The second line: nearness to the example disclosures, in English or in the detected
    language's own examples (`SafeguardingDetector.by_meaning`). May ask the check-in."""

    name = "meaning"

    def __init__(self, detector: SafeguardingDetector) -> None:
        self.detector = detector

    def assess(
        self, text: str, language: LanguageGuess | None, *, check_in: bool
    ) -> SafetyVerdict | None:
        return self.detector.by_meaning(
            text,
            meaning=language is None,
            check_in=check_in,
            language=language.code if language is not None else None,
        )


class _Unread:
    """Marks a part of a reading not worked out yet."""


_UNREAD = _Unread()


class Reading:
    """What one text says, stage by stage. Immutable: every part is worked out once (the
    language and the safety verdict at once, the rest on first use) and never changes."""

    def __init__(
        self,
        pipeline: Understanding,
        text: str,
        *,
        language: LanguageGuess | None,
        safety: SafetyVerdict | None,
        at: Question | None,
        words: AnswerWords | None,
        answer: str | _Unread | None = _UNREAD,
    ) -> None:
        self._pipeline = pipeline
        self._text = text
        self._language = language
        self._safety = safety
        self._at = at
        self._words = words
        self._answer = answer
        self._topics: TopicDecision | _Unread = _UNREAD
        self._understood: Understood | _Unread = _UNREAD

    @property
    def text(self) -> str:
        """The text as given (the conversation has already cleaned it)."""
        return self._text

    @property
    def normalised(self) -> str:
        """Lower case, typos and text-speak evened out: what the stages read."""
        return normalise(self._text)

    @property
    def language(self) -> LanguageGuess | None:
        """The language stage's guess; None for English (or unsure)."""
        return self._language

    @property
    def language_code(self) -> str:
        """The ISO 639-1 code of the text's language (English when unsure)."""
        return self._language.code if self._language is not None else ENGLISH

    @property
    def safety(self) -> SafetyVerdict | None:
        """The first safety line's verdict, with which line fired; None when none did."""
        return self._safety

    @property
    def words(self) -> AnswerWords | None:
        """The answer vocabulary the text was read with (the conversation's language)."""
        return self._words

    @property
    def at(self) -> Question | None:
        """The question the text was read at, if any."""
        return self._at

    @property
    def answer(self) -> str | None:
        """The key of the option the text picks at the question; None without one."""
        if isinstance(self._answer, _Unread):
            self._answer = _answer_at(self._pipeline, self._at, self._text, self._words)
        return self._answer

    @property
    def topics(self) -> TopicDecision:
        """What the fused topic scorers decide: one topic, a choice, or none."""
        if isinstance(self._topics, _Unread):
            self._topics = self._pipeline.topics.decide(self._text)
        return self._topics

    @property
    def understood(self) -> Understood:
        """What the text already says that questions may ask (ages, districts, facts)."""
        if isinstance(self._understood, _Unread):
            words = self._words or self._pipeline.answer_words(self.language_code)
            self._understood = understand(self._text, words)
        return self._understood


def _answer_at(
    pipeline: Understanding, at: Question | None, text: str, words: AnswerWords | None
) -> str | None:
    if at is None:
        return None
    return pipeline.answer(at, text, words or pipeline.answer_words(ENGLISH))


def short_answer(normalised: str, answer: str | None) -> bool:
    """A few words that answer the question on screen ("she is 82", "me and my husband").

    Such a text gets no check-in question from the meaning line, whose unsure band is
    for stories: a short answer carries too little meaning to be unsure about, and
    "she is 82" sat in it. Crisis signs and a clear meaning margin still interrupt it.
    Longer texts are read in full even when they name an option: "my daughter, her
    boyfriend has been choking her" answers "Who needs the help?" too."""
    return answer is not None and len(normalised.split()) <= SHORT_ANSWER_WORDS


class Understanding:
    """The understanding pipeline of one knowledge base: its stages, held in order.

    Shared by every conversation of a front end (the stages keep no conversation's
    state). Built cheaply: the indexes and models behind the stages load on first use,
    or in the background where a front end starts them (see `navigator.tui.app`).
    """

    def __init__(
        self,
        knowledge: KnowledgeBase,
        *,
        topics: TopicMatcher | None = None,
        safeguarding: SafeguardingDetector | None = None,
        languages: LanguageReader | None = None,
        scorers: Sequence[TopicScorer] = (),
        safety_lines: Sequence[SafetyLine] = (),
        parsers: Sequence[AnswerParser] = PARSERS,
    ) -> None:
        """`topics`, `safeguarding`, `languages`: the stages' engines (today's defaults
        when None). `scorers` are fused with the topic ranking; `safety_lines` run after
        the sign lexicon and the meaning line; `parsers` read answers, in order."""
        self.knowledge = knowledge
        self.safeguarding = (
            safeguarding
            if safeguarding is not None
            else SafeguardingDetector.for_knowledge(knowledge)
        )
        self.languages: LanguageReader = (
            languages if languages is not None else LanguageDetector.for_knowledge(knowledge)
        )
        self.topics: TopicMatcher = _with_scorers(
            topics if topics is not None else TopicRanker(TopicMatcher(knowledge)), scorers
        )
        self.safety_lines: tuple[SafetyLine, ...] = (
            self.safeguarding.sign_line,
            MeaningSafetyLine(self.safeguarding),
            *safety_lines,
        )
        """In order; the sign lexicon is always first and cannot be left out."""
        self.parsers: tuple[AnswerParser, ...] = tuple(parsers)
        self._answer_words: dict[str, AnswerWords] = {}

    @classmethod
    def with_meaning(
        cls,
        knowledge: KnowledgeBase,
        model: EmbeddingModel,
        contextual: ContextualModel | None = None,
        *,
        early: bool = True,
        scorers: Sequence[TopicScorer] = (),
    ) -> Understanding:
        """Every stage with the meaning model, as the command-line tools use it.

        The topic ranking and the meaning safety line share `model` (one copy in memory);
        `contextual`: the contextual model (the shipped one when None). With `early`,
        the model starts loading now, in a thread. Either way a text waits for it: a
        command's output must not depend on how quickly it loaded. If it cannot load,
        the lexical lines answer alone, as in the apps.
        """
        from navigator.engine.understanding.contextual import ContextualModel
        from navigator.engine.understanding.embedding import ModelState
        from navigator.engine.understanding.safety import MeaningLine

        if early and model.state is ModelState.NOT_LOADED:
            model.start_loading()
        ranker = TopicRanker(TopicMatcher(knowledge), [MeaningScorer(knowledge, model, wait=True)])
        line = MeaningLine.for_knowledge(knowledge, model, contextual or ContextualModel())
        detector = SafeguardingDetector.for_knowledge(knowledge, meaning=line)
        return cls(knowledge, topics=ranker, safeguarding=detector, scorers=scorers)

    # --- The one entry point -----------------------------------------------------------

    def read(
        self, text: str, *, at: Question | None = None, words: AnswerWords | None = None
    ) -> Reading:
        """Read `text`: its language, then every safety line in order, and (when asked
        for) the topics, the answer at `at` and what the text already says.

        `at`: the question the text answers, when one is on screen with nothing over it;
        `words`: the answer vocabulary in the conversation's language (the text's own
        language when None). A short answer at `at` is read without the meaning line's
        check-in band (`short_answer`).
        """
        language = self.languages.detect(text)
        answer: str | _Unread | None = _UNREAD
        check_in = True
        if at is not None:
            typed = normalise(text)
            if len(typed.split()) <= SHORT_ANSWER_WORDS:
                answer = _answer_at(self, at, text, words)
                check_in = not short_answer(typed, answer)
        safety = None
        for line in self.safety_lines:
            safety = line.assess(text, language, check_in=check_in)
            if safety is not None:
                break
        return Reading(
            self, text, language=language, safety=safety, at=at, words=words, answer=answer
        )

    # --- The stages alone, for text read again (an overlay's stored words) -------------

    def answer(self, question: Question, text: str, words: AnswerWords) -> str | None:
        """The option `text` picks at `question` by the answer parsers, in order."""
        return match_option(question, text, words, self.parsers)

    def understand(self, text: str, words: AnswerWords) -> Understood:
        """What a first message already says (ages, districts, facts)."""
        return understand(text, words)

    def answer_words(self, language: str) -> AnswerWords:
        """The vocabulary as the answer parsers read it in `language`, built once each."""
        found = self._answer_words.get(language)
        if found is None:
            found = self._answer_words[language] = AnswerWords(self.knowledge.vocabulary, language)
        return found

    @property
    def meaning_unavailable(self) -> bool:
        """True when the meaning safety line has examples to read but its model could not
        load (the conversation records it once, for the managers' Content tab)."""
        meaning = self.safeguarding.meaning
        return (
            meaning is not None and meaning.has_examples and meaning.unavailable_reason is not None
        )


def _with_scorers(topics: TopicMatcher, scorers: Sequence[TopicScorer]) -> TopicMatcher:
    """`topics` with `scorers` fused in: added to a `TopicRanker`'s own, or a ranking
    made over a plain lexical index. Any other matcher takes its scorers itself."""
    if not scorers:
        return topics
    if isinstance(topics, TopicRanker):
        return topics.with_scorers(scorers)
    if type(topics) is TopicMatcher:
        return TopicRanker(topics, scorers)
    raise TypeError(
        f"{type(topics).__name__} fuses its own scorers: give them to it, not to Understanding"
    )
