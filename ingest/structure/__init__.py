"""The structure recogniser: blocks of any format → the ontology's document tree.

It works from cues that are data (``cues.toml`` beside this module: words per class, numbering patterns, list
lead-ins, table column roles), never from code per document. Unknown headings become Section, prose Passage,
list items under a container Statement.

=================  ==============================================================================
module             job
=================  ==============================================================================
``cues``           loads ``cues.toml`` (its format is documented at the top of that file)
``recognise``      ``recognise(doc: ReadDocument, *, file: str) -> ParsedDocument``
``tables``         column roles of tables → FocusArea / Goal / Activity / StatusReport rows
``evaluate``       precision and recall against hand-labelled documents (``strategigraf eval-structure``)
=================  ==============================================================================
"""
