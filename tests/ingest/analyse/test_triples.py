"""ingest/analyse/triples.py: the analysis triples as N-Triples lines read back as the same RDF terms, each
triple once, in chunks, with the classes they type counted."""

from __future__ import annotations

import pyoxigraph
import rdflib.namespace as rns  # XSD via the module: a global XSD makes pytest warn while collecting
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from ingest.analyse.topic_tagging import topic_scheme_graph
from ingest.analyse.triples import TripleLines, literal_nt, term_nt, type_counts
from ontology import SG

A, B = URIRef("https://example.org/a"), URIRef("https://example.org/b")


def _tricky() -> Graph:
    g = Graph()
    g.add((A, RDF.type, SG.Overlap))
    g.add((A, SG.score, Literal(0.9997, datatype=rns.XSD.double)))
    g.add((A, SG.score, Literal(1e-05, datatype=rns.XSD.double)))
    g.add((A, SG.method, Literal('siger "ja"\\nej\nlinje\r\u2028slut')))
    g.add((A, SG.sharedTerm, Literal("pårørende", lang="da")))
    g.add((A, SG.overlapNode, B))
    g.add((B, SG.method, Literal("plain")))
    return g


def test_lines_parse_back_to_the_same_graph() -> None:
    g = _tricky()
    lines = TripleLines.of(g)
    assert len(lines) == len(g)
    assert isomorphic(lines.graph(), g)
    assert isomorphic(TripleLines.of(topic_scheme_graph()).graph(), topic_scheme_graph())


def test_a_double_keeps_rdflibs_lexical_form_and_a_string_its_plain_form() -> None:
    assert term_nt(Literal(0.5, datatype=rns.XSD.double)) == '"0.5"^^<http://www.w3.org/2001/XMLSchema#double>'
    assert term_nt(Literal("x", datatype=rns.XSD.string)) == '"x"'
    assert literal_nt("a\"b", "da") == '"a\\"b"@da'


def test_the_lines_are_what_rdflib_writes_once_both_are_made_canonical() -> None:
    def canonical(text: str) -> list[str]:
        fmt = pyoxigraph.RdfFormat.N_TRIPLES
        return sorted(pyoxigraph.serialize(pyoxigraph.parse(input=text, format=fmt), format=fmt).decode().split("\n"))

    g = _tricky()
    assert canonical(TripleLines.of(g).ntriples()) == canonical(g.serialize(format="nt"))


def test_a_triple_added_twice_is_kept_once_and_lines_group_by_subject() -> None:
    lines = TripleLines()
    lines.add((A, SG.overlapNode, B))
    lines.add((B, RDF.type, SG.Statement))
    lines.add((A, SG.overlapNode, B))
    lines.add((A, RDF.type, SG.Overlap))
    assert len(lines) == 3
    assert list(lines.subjects()) == [f"<{A}>", f"<{B}>"]
    assert lines.lines_of(f"<{A}>") == [f"<{A}> <{SG.overlapNode}> <{B}>", f"<{A}> <{RDF.type}> <{SG.Overlap}>"]
    assert lines.subjects_of_type(SG.Overlap) == [f"<{A}>"]
    assert lines.lines_of("<https://example.org/none>") == []


def test_chunks_hold_every_line_once() -> None:
    lines = TripleLines.of(topic_scheme_graph())
    chunks = list(lines.chunks(size=7))
    assert len(chunks) == -(-len(lines) // 7)
    assert "".join(chunks) == lines.ntriples()


def test_drain_gives_every_line_once_and_empties_the_set() -> None:
    lines = TripleLines.of(topic_scheme_graph())
    whole = sorted(lines.ntriples().splitlines())
    drained = [line for text in lines.drain(size=5) for line in text.splitlines()]
    assert sorted(drained) == whole
    assert len(lines) == 0 and lines.ntriples() == ""


def test_type_counts_count_rdf_type_lines_per_class() -> None:
    lines = TripleLines.of(_tricky())
    lines.add((B, RDF.type, SG.Overlap))
    lines.add((B, RDF.type, SG.Statement))
    counts = type_counts(f"{line} ." for line in lines.lines())
    assert counts == {str(SG.Overlap): 2, str(SG.Statement): 1}
