"""The structure recogniser: blocks of any format → the ontology's document tree.

It works from cues that are data (``cues.toml`` beside this module: words per class, numbering patterns, list
lead-ins, table column roles), never from code per document. Unknown headings become Section, prose Passage,
list items under a container Statement.

API: ``recognise(doc: ReadDocument, *, file: str) -> ParsedDocument``.
"""
