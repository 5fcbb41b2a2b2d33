"""Evidence that compares like for like: records coded to shared lists, published, compared.

`coding` counts unmet need in the records database and codes it through the
knowledge base's crosswalk (`navigator.kb.codes`) at report time; `pack`
protects the figures (disclosure control) and writes an open-data pack
(`navigator publish`); `compare` reads several councils' packs side by side
(`navigator compare`); `councils` holds the made-up councils of the demo.
"""
