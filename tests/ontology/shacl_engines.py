"""The two SHACL engines side by side: pyrudof as the build runs it (ingest.validate) and pySHACL, the reference
it replaced (SHACL Core, no inference), kept here as the cross-check. A report is compared as the verdict and
the set of (focus node, path, constraint component) of its top-level results; pySHACL's nested ``sh:detail``
results of a failing ``sh:node`` are not top-level (pyrudof reports the same single result on the referring
node)."""

from __future__ import annotations

import pyshacl
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from ingest.validate import shacl_results
from ontology import SH

Key = tuple[str, str | None, str]
"""(focus node, path, constraint component), IRIs as plain strings, any blank node as ``_:``, an inverse path
as ``^(iri)``."""


def _term(node: Node | str | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, BNode) or str(node).startswith("_:"):
        return "_:"
    return str(node)


def _path(report: Graph, path: Node | None) -> str | None:
    """An IRI path as the IRI, an inverse path as pyrudof writes it (``^(iri)``)."""
    inverse = report.value(path, SH.inversePath) if isinstance(path, BNode) else None
    return f"^({inverse})" if isinstance(inverse, URIRef) else _term(path)


def pyshacl_report(data: Graph, shapes: Graph) -> tuple[bool, set[Key]]:
    rules = Graph()  # pySHACL adds to the shapes graph it is given
    rules += shapes
    conforms, report, _ = pyshacl.validate(data, shacl_graph=rules, inference="none", advanced=False,
                                           allow_warnings=True)
    assert isinstance(report, Graph)
    keys: set[Key] = set()
    for result in report.objects(None, SH.result):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus, path = _term(report.value(result, SH.focusNode)), _path(report, report.value(result, SH.resultPath))
        assert focus is not None
        keys.add((focus, path, str(report.value(result, SH.sourceConstraintComponent))))
    return bool(conforms), keys


def pyrudof_report(data: Graph, shapes: Graph) -> tuple[bool, set[Key]]:
    conforms, results = shacl_results(data, shapes)
    keys: set[Key] = set()
    for r in results:
        focus = _term(r.focus)
        assert focus is not None
        keys.add((focus, _term(r.path), r.component))
    return conforms, keys
