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
from navigator.engine.understanding.safety import WELSH, MeaningFinding, MeaningLine, Tuning
from navigator.kb.knowledge import KnowledgeBase

SPOKEN_PLURAL = 4
"""The fewest letters a word needs to be read as a spoken plural ("orie" for "oriau")."""
BORROWED_ENDING = "io"
"""The ending Welsh gives an English verb it borrows ("sortio", "stressio", "blocio")."""
BORROWED_STEM = 4
"""The fewest letters left without that ending for the word to be read as the English verb
("sort"), so a short Welsh word ending so ("llio") is kept."""


class Reading(msgspec.Struct, frozen=True):
    """A message glossed: its English words, and how many of its words had an entry."""

    english: str
    glossed: int
    words: int


Entry = tuple[tuple[str, ...], str]
"""A gloss entry: its words as written (no accents), and the English it means."""


class _Index(msgspec.Struct, frozen=True):
    """A gloss keyed for lookup: built once, on first use."""

    written: dict[tuple[str, ...], str]
    """Each entry's words as written, and its English: a word typed so finds its own entry."""
    phrases: dict[tuple[str, ...], list[Entry]]
    """Entries by their words' keys (mutations folded), in the order written."""
    longest: int
    """The most words in one entry."""


class Gloss:
    """The gloss of one language, keyed for lookup (`welsh.key`), longest phrase first."""

    def __init__(self, entries: Mapping[str, str]) -> None:
        """`entries`: phrase and the English it means, as content staff wrote them.

        The key folds more together than grammar does: "cleisiau" (bruises) and "lleisiau"
        (voices), "mam" (mum) and "pam" (why) share a key, so the first entry written used to
        answer for both. So words typed exactly as an entry is written find that entry; a
        mutated form finds the entry it can be a mutation of ("fam" is "mam" mutated, never
        "pam"); only a form that is neither (a mutation typed wrongly) takes the first entry
        with its key, as before.

        The entries are keyed when first read, not here: the apps make the gloss while
        building their first screen, and keying a few hundred phrases cost it 10-20 ms."""
        self._entries = entries
        self._index: _Index | None = None

    def _lookup(self) -> _Index:
        """The phrases keyed (built once; a race builds it twice, alike, which is harmless)."""
        if self._index is None:
            written: dict[tuple[str, ...], str] = {}
            phrases: dict[tuple[str, ...], list[Entry]] = {}
            for phrase, english in self._entries.items():
                words = tuple(welsh.words(phrase))
                if not words:
                    continue
                meaning = normalise(english)
                written.setdefault(words, meaning)
                found = tuple(welsh.key(word) for word in words)
                phrases.setdefault(found, []).append((words, meaning))
            longest = max((len(phrase) for phrase in phrases), default=0)
            self._index = _Index(written, phrases, longest)
        return self._index

    def _english(self, typed: tuple[str, ...], keys: tuple[str, ...]) -> str | None:
        """The English of the words `typed` (whose keys are `keys`), None without an entry."""
        index = self._lookup()
        exact = index.written.get(typed)
        if exact is not None:
            return exact
        sharing = index.phrases.get(keys)
        if sharing is None:
            return None
        for written, english in sharing:
            if all(
                word in welsh.mutations(entry) for word, entry in zip(typed, written, strict=True)
            ):
                return english
        return sharing[0][1]

    def _written(self, word: str) -> str:
        """`word`, or the written plural it is spoken for: spoken Welsh says the plural
        ending -au as -a in the North and -e in the South ("cleisia", "tridie" for
        "cleisiau", "tridiau"), so a word of four letters or more ending so, with no entry
        of its own, is read as the -au word when that has one. Short words are kept ("da"
        is good, never "dau", two). A borrowed English verb ("stressio") is read as the
        English verb (`_borrowed`)."""
        index = self._lookup()
        if self._has(index, word):
            return word
        if self._borrowed(word):
            return word[: -len(BORROWED_ENDING)]
        if len(word) < SPOKEN_PLURAL or word[-1] not in "ae":
            return word
        plural = word[:-1] + "au"
        return plural if self._has(index, plural) else word

    @staticmethod
    def _borrowed(word: str) -> bool:
        """Whether `word` (with no entry) is an English verb Welsh has borrowed: people write
        English verbs with the Welsh ending -io ("dwi'n stressio", "mae o'n sortio fo allan"),
        which no gloss can list one by one; read without it, the English line knows the verb.
        Welsh's own verbs in -io ("cofio", "gweithio") have entries, or read as before."""
        stem = word[: -len(BORROWED_ENDING)]
        return word.endswith(BORROWED_ENDING) and len(stem) >= BORROWED_STEM and stem.isascii()

    @staticmethod
    def _has(index: _Index, word: str) -> bool:
        """Whether `word` has a one-word entry, as written or by its key."""
        return (word,) in index.written or (welsh.key(word),) in index.phrases

    def __len__(self) -> int:
        return len(self._lookup().phrases)

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
        """`text` with every word or phrase that has an entry replaced by its English, in
        as few pieces as the entries allow; words without one kept as they are.

        Reading left to right, longest phrase first, let a short entry at the start take a
        word a longer one needed: "yn barod i'w cymryd" was "already" + "i w cymryd", though
        "barod i'w cymryd" (ready to take) is an entry. So the whole message is cut into the
        fewest pieces (an entry's phrase or one word without an entry), and among cuts as
        few, the one that glosses the most words, then the one whose phrases start first."""
        words = [self._written(word) for word in welsh.words(text)]
        keys = [welsh.key(word) for word in words]
        pieces = self._pieces(words, keys)
        out: list[str] = []
        glossed = 0
        at = 0
        while at < len(words):
            size, english = pieces[at]
            out.append(english if english is not None else words[at])
            glossed += size if english is not None else 0
            at += size
        return Reading(" ".join(out), glossed, len(words))

    def _pieces(self, words: list[str], keys: list[str]) -> list[tuple[int, str | None]]:
        """For each word position, the first piece of the best cut of the words from there
        on (`read`): its size and its English (None: one word without an entry)."""
        longest = self._lookup().longest
        count = len(words)
        # From each position: (pieces, words left unglossed) of the best cut, and its piece.
        best: list[tuple[int, int]] = [(0, 0)] * (count + 1)
        first: list[tuple[int, str | None]] = [(1, None)] * count
        for at in range(count - 1, -1, -1):
            pieces, unglossed = best[at + 1]
            chosen: tuple[int, str | None] = (1, None)
            score = (pieces + 1, unglossed + 1)
            for size in range(min(longest, count - at), 0, -1):
                english = self._english(tuple(words[at : at + size]), tuple(keys[at : at + size]))
                if english is None:
                    continue
                pieces, unglossed = best[at + size]
                if (pieces + 1, unglossed) < score:
                    chosen, score = (size, english), (pieces + 1, unglossed)
            best[at], first[at] = score, chosen
        return first


class GlossedLine:
    """A language's own meaning line, with the English line reading its gloss beside it.

    The own line (Welsh: letter groups against the Welsh examples) is asked first, as
    before. The English line then reads the glossed message, and counts only where its
    margin plus the own line's reaches `Tuning.gloss_lead`; either may then ask the check-in
    question, and a panel shown at once needs the own line's clear lead, or the English
    line's clear lead on the gloss (`Tuning.gloss_panel`). The switches are the own line's
    frozen `Tuning` (`WELSH`), so a benchmark builds a variant with
    `msgspec.structs.replace` rather than assigning module globals. Without the contextual
    model, the gloss is not read: the own line answers alone, as it did before the gloss.
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
    def tuning(self) -> Tuning:
        """The own line's tuning, which holds the gloss's switches too (`WELSH`)."""
        return self.own.tuning or WELSH

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
        tuning = self.tuning
        lead = self.lead_margin(text)
        if lead < tuning.gloss_floor:
            return own  # far from every Welsh example: the English line is not run
        english = self.read_glossed(text, check_in=check_in)
        if english is None or english.margin + lead < tuning.gloss_lead:
            return own
        if english.line == "meaning" and not tuning.gloss_panel:
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
        if reading.glossed < self.tuning.min_glossed:
            return None
        found = line.check(reading.english, check_in=check_in)
        if found is None:
            return None
        return msgspec.structs.replace(found, read_as=reading.english)


def glossed(
    own: MeaningLine, english: MeaningLine | None, knowledge: KnowledgeBase
) -> MeaningLine | GlossedLine:
    """`own` with the English line reading its gloss, when the knowledge base gives a
    gloss for its language; `own` alone otherwise."""
    gloss = Gloss.for_knowledge(knowledge, own.language or "")
    return GlossedLine(own, english, gloss) if gloss else own
