"""Welsh read a second time as English words, so the English meaning line can read it too.

No Welsh sentence model fits the kiosk's budget or ships offline, and the Welsh meaning
line compares letter groups with the Welsh examples only: a Welsh disclosure worded
unlike every Welsh example is missed, however close its meaning is to the English
examples (33 of 53 on the held-aside Welsh set, where English catches 156 of 161). So a
message the language line calls Welsh is also *glossed*: each word or short phrase found
in the knowledge base's gloss (`vocabulary.languages.cy.gloss`, written by content staff:
"heno": "tonight", "ers dyddiau": "for days") is replaced by its English, and the English
line (both models, the trained view, the English examples and near misses) reads the
result: "mae o wedi fy nharo i eto heno" becomes "is o has my hit i again tonight",
broken English whose meaning the models still find.

Entries are looked up by `welsh.key`, so one entry written in any mutation finds the
others ("plentyn" finds "mhlentyn", "blentyn", "phlentyn"). Words without an entry are
kept as they are (people mix English in: "mae o'n stressed"). Which decides, and how the
two lines combine, is `GlossedLine.check`; the figures are in docs/performance.md,
"Session 9: welshgloss".
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from navigator.engine.textnorm import normalise
from navigator.engine.understanding import welsh
from navigator.engine.understanding.safety import MeaningFinding, MeaningLine
from navigator.kb.knowledge import KnowledgeBase

MIN_GLOSSED = 2
"""A message with fewer glossed words than this is not read by the English line: there is
nothing English in it to read, only Welsh words the English examples share letters with."""


class Reading(msgspec.Struct, frozen=True):
    """A message glossed: its English words, and how many of its words had an entry."""

    english: str
    glossed: int
    words: int


class Gloss:
    """The gloss of one language, keyed for lookup (`welsh.key`), longest phrase first."""

    def __init__(self, entries: Mapping[str, str]) -> None:
        """`entries`: phrase and the English it means, as content staff wrote them. Two
        entries that key alike (mutations of one word) share a lookup: the first wins.

        The entries are keyed when first read, not here: the apps make the gloss while
        building their first screen, and keying a few hundred phrases cost it 10-20 ms.
        """
        self._entries = entries
        self._keyed: tuple[dict[tuple[str, ...], str], int] | None = None

    def _lookup(self) -> tuple[dict[tuple[str, ...], str], int]:
        """The phrases keyed, and the most words in one (built once; a race builds it twice,
        alike, which is harmless)."""
        if self._keyed is None:
            phrases: dict[tuple[str, ...], str] = {}
            for phrase, english in self._entries.items():
                found = tuple(welsh.keyed(phrase))
                if found and found not in phrases:
                    phrases[found] = normalise(english)
            self._keyed = (phrases, max((len(phrase) for phrase in phrases), default=0))
        return self._keyed

    def __len__(self) -> int:
        return len(self._lookup()[0])

    def prepare(self) -> None:
        """Key the entries now (a thread preparing the lines calls this)."""
        self._lookup()

    def __bool__(self) -> bool:
        """Whether any entry has a word to look up (without keying them all)."""
        return any(welsh.keyed(phrase) for phrase in self._entries)

    @classmethod
    def for_knowledge(cls, knowledge: KnowledgeBase, language: str) -> Gloss:
        """The gloss `knowledge` gives for `language` (empty when it gives none)."""
        words = knowledge.vocabulary.languages.get(language) if knowledge.vocabulary else None
        return cls(words.gloss if words is not None else {})

    def read(self, text: str) -> Reading:
        """`text` with every word or phrase that has an entry replaced by its English, the
        longest phrase first; words without one kept as they are."""
        phrases, longest = self._lookup()
        words = welsh.words(text)
        keys = [welsh.key(word) for word in words]
        out: list[str] = []
        glossed = 0
        at = 0
        while at < len(words):
            for size in range(min(longest, len(words) - at), 0, -1):
                english = phrases.get(tuple(keys[at : at + size]))
                if english is not None:
                    out.append(english)
                    glossed += size
                    at += size
                    break
            else:
                out.append(words[at])
                at += 1
        return Reading(" ".join(out), glossed, len(words))


class GlossedLine:
    """A language's own meaning line, with the English line reading its gloss beside it.

    The own line (Welsh: letter groups against the Welsh examples) is asked first, as
    before. The English line then reads the glossed message, and counts only where its
    margin plus the own line's reaches GLOSS_LEAD; either may then ask the check-in
    question, and a panel shown at once needs the own line's clear lead, or the English
    line's clear lead on the gloss (`GLOSS_PANEL`). Without the contextual model, the
    gloss is not read: the own line answers alone, as it did before the gloss.
    """

    def __init__(
        self,
        own: MeaningLine,
        english: MeaningLine | None,
        gloss: Gloss,
        lead: MeaningLine | None = None,
    ) -> None:
        """`lead`: the own line again with no margins (`LEAD`), so its margin is read for
        every text, also one it lets pass (built from `own` when not given)."""
        self.own = own
        self.english = english
        self.gloss = gloss
        self.lead = lead if lead is not None else own.unbounded()

    @property
    def language(self) -> str | None:
        return self.own.language

    def prepare(self) -> bool:
        """Build the own line and its lead, and key the gloss, now (the English line is
        prepared by its owner)."""
        self.gloss.prepare()
        return self.own.prepare() and self.lead.prepare()

    def check(self, text: str, *, check_in: bool = True) -> MeaningFinding | None:
        """The own line's finding, unless the English line's reading of the gloss is
        further along (a panel beats a check-in; `read_as` then says what it read)."""
        own = self.own.check(text, check_in=check_in)
        if own is not None and own.line == "meaning":
            return own
        lead = self.lead_margin(text)
        if lead < LEAD_FLOOR:
            return own  # far from every Welsh example: the English line is not run
        english = self.read_glossed(text, check_in=check_in)
        if english is None or english.margin + lead < GLOSS_LEAD:
            return own
        if english.line == "meaning" and not GLOSS_PANEL:
            english = msgspec.structs.replace(english, line="check-in")
        if own is not None and english.line == "check-in":
            return own
        return english

    def together(self, text: str, english: MeaningFinding) -> float:
        """The English line's margin on the gloss plus the own line's margin on the text
        as written: a gloss is broken English, so its lead alone alarmed ordinary Welsh
        ("mae'r babi'n sgrechian drwy'r nos efo dannedd"); the own line, which knows the
        Welsh near misses, must not be far from a crisis too."""
        return english.margin + self.lead_margin(text)

    def lead_margin(self, text: str) -> float:
        """The own line's margin on `text`, however small (-1 where it reads nothing)."""
        own = self.lead.check(text)
        return -1.0 if own is None else own.margin

    def read_glossed(self, text: str, *, check_in: bool = True) -> MeaningFinding | None:
        """The English line's finding on `text` glossed, with `read_as` set; None when the
        gloss found too little or the contextual model is not loaded."""
        line = self.english
        contextual = line.contextual if line is not None else None
        if line is None or contextual is None:
            return None
        # The apps load the model in a thread and a message never waits for it: until it
        # is up, the gloss is not read (commands and tests wait, as the English line does).
        if not (contextual.ready or (line.wait_for_context and contextual.load())):
            return None
        reading = self.gloss.read(text)
        if reading.glossed < MIN_GLOSSED:
            return None
        found = line.check(reading.english, check_in=check_in)
        if found is None:
            return None
        return msgspec.structs.replace(found, read_as=reading.english)


GLOSS_LEAD = 0.06
"""The English line's margin on the gloss plus the own line's margin on the text must reach
this for the gloss to count. Chosen by leave-one-set-out over the five Welsh sets
(tests/bench/bench_welsh_gloss.py; docs/performance.md, "Session 9: welshgloss")."""
LEAD_FLOOR = -0.15
"""Below this own-line margin the English line is not run on the gloss (it costs 10 to 20
ms): it would need a margin above 0.2 on the gloss, past its own panel, to reach
GLOSS_LEAD. On the five Welsh sets it changed no decision."""
GLOSS_PANEL = True
"""Whether the English line's clear lead on a gloss shows the panel at once (True), or
only asks the check-in question (False). On the five Welsh sets every finding the gloss
added was a check-in, so the sets did not choose this: True treats a clear English lead
as the English line treats it ("the baby has had no milk since yesterday")."""


def glossed(
    own: MeaningLine, english: MeaningLine | None, knowledge: KnowledgeBase
) -> MeaningLine | GlossedLine:
    """`own` with the English line reading its gloss, when the knowledge base gives a
    gloss for its language; `own` alone otherwise."""
    gloss = Gloss.for_knowledge(knowledge, own.language or "")
    return GlossedLine(own, english, gloss) if gloss else own
