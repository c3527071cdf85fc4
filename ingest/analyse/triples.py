"""The triples the analyse stage adds, held as N-Triples lines grouped by subject instead of in an rdflib graph.

At national scale the analysis adds millions of triples (about 84 per node on the 10k-node synthetic tier:
overlaps with their scores, shared topics and terms, topic assignments), and an rdflib graph holds each in
several Python objects and indexes (1-2 KB a triple). Here a triple is one string; the SHACL check reads the
lines as they are (pyrudof parses N-Triples itself, see :func:`ingest.analyse.validate_analysis`) and the
build writes them next to the graph's own triples (``ingest.build.write_graph_files``).

:class:`TripleLines` has the ``add`` of an rdflib graph, so the stage's ``*_triples`` functions write into
either. A triple added twice is kept once, as in a graph.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

__all__ = ["TripleLines", "TripleSink", "literal_nt", "term_nt", "type_counts"]

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
RDF_TYPE = f"<{RDF.type}>"


class TripleSink(Protocol):
    """Where the analysis's ``*_triples`` functions put their triples: an rdflib ``Graph`` or :class:`TripleLines`."""

    def add(self, triple: tuple[Node, Node, Node], /) -> object: ...


def literal_nt(value: str, language: str | None = None, datatype: str | None = None) -> str:
    """A literal in N-Triples (``xsd:string`` written plain, as canonical N-Triples does)."""
    text = f'"{value.translate(_ESCAPES)}"'
    if language:
        return f"{text}@{language}"
    if datatype is not None and datatype != str(XSD.string):
        return f"{text}^^<{datatype}>"
    return text


def term_nt(term: Node) -> str:
    """An rdflib term in N-Triples: ``<iri>``, ``_:label`` or a literal with its lexical form."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return literal_nt(str(term), term.language, None if term.datatype is None else str(term.datatype))
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


class TripleLines:
    """N-Triples lines (without the final `` .``) by subject, in the order added, each triple once."""

    def __init__(self) -> None:
        self._by_subject: dict[str, dict[str, None]] = {}
        self._count = 0

    @classmethod
    def of(cls, triples: Iterable[tuple[Node, Node, Node]]) -> TripleLines:
        out = cls()
        for triple in triples:
            out.add(triple)
        return out

    def add(self, triple: tuple[Node, Node, Node]) -> TripleLines:
        s, p, o = triple
        self.add_line(term_nt(s), f"{term_nt(p)} {term_nt(o)}")
        return self

    def add_line(self, subject: str, predicate_object: str) -> None:
        """Add ``subject predicate object`` given in N-Triples (subject apart, so lines group by it)."""
        lines = self._by_subject.get(subject)
        if lines is None:
            lines = self._by_subject[subject] = {}
        line = f"{subject} {predicate_object}"
        if line not in lines:
            lines[line] = None
            self._count += 1

    def __len__(self) -> int:
        return self._count

    def subjects(self) -> Iterator[str]:
        """Every subject in N-Triples form, in the order first added."""
        return iter(self._by_subject)

    def lines_of(self, subject: str) -> list[str]:
        """The lines whose subject is ``subject`` (N-Triples form); empty when it has none."""
        return list(self._by_subject.get(subject, ()))

    def lines(self) -> Iterator[str]:
        """Every line, subject by subject."""
        for lines in self._by_subject.values():
            yield from lines

    def ntriples(self) -> str:
        """The whole set as an N-Triples document."""
        return "".join(f"{line} .\n" for line in self.lines())

    def chunks(self, size: int = 100_000) -> Iterator[str]:
        """The set as N-Triples documents of at most ``size`` lines each (no blank nodes span two)."""
        lines = self.lines()
        while batch := list(itertools.islice(lines, size)):
            yield "".join(f"{line} .\n" for line in batch)

    def drain(self, size: int = 100_000) -> Iterator[str]:
        """Like :meth:`chunks` (in no particular order), emptying the set as it goes: what is written is freed."""
        while self._by_subject:
            batch: list[str] = []
            while self._by_subject and len(batch) < size:
                batch.extend(self._by_subject.popitem()[1])
            self._count -= len(batch)
            yield "".join(f"{line} .\n" for line in batch)

    def subjects_of_type(self, cls: URIRef) -> list[str]:
        """The subjects typed ``cls`` here (N-Triples form)."""
        typed = f"{RDF_TYPE} <{cls}>"
        return [s for s, lines in self._by_subject.items() if f"{s} {typed}" in lines]

    def graph(self) -> Graph:
        """The lines as an rdflib graph (for small sets: tests, locating a violation)."""
        return Graph().parse(data=self.ntriples(), format="nt")


def type_counts(lines: Iterable[str]) -> Counter[str]:
    """How many subjects each class IRI types in N-Triples ``lines`` (with or without the final `` .``)."""
    counts: Counter[str] = Counter()
    for line in lines:
        _, predicate, value = line.removesuffix(" .").split(" ", 2)
        if predicate == RDF_TYPE and value.startswith("<"):
            counts[value[1:-1]] += 1
    return counts
