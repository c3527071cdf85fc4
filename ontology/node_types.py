"""The node types of a strategy graph and the groupings the code treats alike, read once from the ontology.

ontology/strategigraf.ttl declares each node class (a subclass of sg:DocumentElement) and, in its section
"Groupings of node classes", the classes those belong to. Every module takes its node-type sets from here,
so that a grouping is decided in one place, in the ontology, and named by what it means:

=======================  ============================  ========================================================
name                     ontology class                used for
=======================  ============================  ========================================================
:data:`CONTAINERS`       sg:Container                  nodes (and the document) that hold other nodes
:data:`ROLLUP_TARGETS`   sg:Container                  type filters a search answers with containers ranked by
                                                       what they hold (the document as :data:`DOCUMENT_FILTER`)
:data:`HEADED_ELEMENTS`  sg:HeadedElement              nodes named by a heading (the shapes require a
                                                       skos:prefLabel; the recogniser's container classes)
:data:`THEMATIC`         sg:ThematicElement            headed elements that set a theme: topics and overlaps
                                                       are gathered up to them from their members
:data:`TEXT_UNITS`       sg:TextUnit                   running text the overlap analysis compares one by one
:data:`COMMITMENTS`      sg:Commitment                 text units that say what the municipality will do
:data:`REFERENCES`       sg:Reference                  titles of other documents: not topic-tagged, searched
                                                       only when asked for
:data:`TOPIC_COVER`      sg:ThematicElement, -         nodes a topic page lists as covering the topic
                         sg:Commitment
:data:`OVERLAP_TYPES`    sg:ThematicElement,           the levels overlaps are found at
                         sg:TextUnit
=======================  ============================  ========================================================

Types are the classes' local names (``"Track"``), the strings records and the API use; :class:`NodeKind`
names the same types for code that branches on one of them, and is checked against the ontology at import.
Danish names come from rdfs:label@da, where the pages use a shorter one from sg:shortLabel, and plurals from
sg:pluralLabel (:func:`danish_name`, :func:`danish_plural`).

The Turtle file is parsed with pyoxigraph once, at import (about 1 ms for the parse itself).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

import pyoxigraph

from ontology import ONTOLOGY_FILE, SG_NS, resource_path

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"


class NodeKind(StrEnum):
    """Node types; each value is the local name of an ontology class (checked against the ontology at import)."""

    VISION = "Vision"
    TRACK = "Track"
    BEARING = "Bearing"
    FOCUS_AREA = "FocusArea"
    PRINCIPLE = "Principle"
    STATEMENT = "Statement"
    GOAL = "Goal"
    ACTIVITY = "Activity"
    STATUS_REPORT = "StatusReport"
    MOTTO = "Motto"
    PASSAGE = "Passage"
    SECTION = "Section"
    RELATED_DOCUMENT = "RelatedDocument"


@dataclass(frozen=True)
class TypeNames:
    """What one class is called, from the ontology."""

    label: str
    """rdfs:label@da, e.g. ``strategispor``."""
    short: str
    """The name the pages use: sg:shortLabel@da where the class has one (``spor``), else :attr:`label`."""
    plural: str
    """sg:pluralLabel@da, the plural of :attr:`short` (``pejlemærker``)."""
    label_en: str
    """rdfs:label@en, e.g. ``strategy track``."""


class OntologyError(RuntimeError):
    """ontology/strategigraf.ttl does not say what this module needs; the message names what is missing."""


@dataclass(frozen=True)
class _Ontology:
    superclasses: Mapping[str, frozenset[str]]
    literals: Mapping[tuple[str, str], Mapping[str, str]]
    """(class local name, property IRI) → {language: value}."""
    node_order: tuple[str, ...]


def _local(term: object) -> str | None:
    value = getattr(term, "value", None)
    return value[len(SG_NS):] if isinstance(term, pyoxigraph.NamedNode) and value and value.startswith(SG_NS) \
        else None


def _read() -> _Ontology:
    supers: dict[str, set[str]] = {}
    literals: dict[tuple[str, str], dict[str, str]] = {}
    first: dict[object, object] = {}
    rest: dict[object, object] = {}
    members_list: object = None
    path = resource_path(ONTOLOGY_FILE)
    for triple in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
        s, p, o = triple.subject, triple.predicate.value, triple.object
        if p == _RDF + "first":
            first[s] = o
        elif p == _RDF + "rest":
            rest[s] = o
        elif p == _OWL + "members":
            members_list = o
        name = _local(s)
        if name is None:
            continue
        if p == _RDFS + "subClassOf":
            sup = _local(o)
            if sup is not None:
                supers.setdefault(name, set()).add(sup)
        elif isinstance(o, pyoxigraph.Literal) and o.language:
            literals.setdefault((name, p), {})[o.language] = o.value
    order: list[str] = []
    node = members_list
    while node in first:
        member = _local(first[node])
        if member is not None:
            order.append(member)
        node = rest.get(node)
    return _Ontology(superclasses={k: frozenset(v) for k, v in supers.items()}, literals=literals,
                     node_order=tuple(order))


_ONTOLOGY = _read()


def _ancestors(name: str) -> set[str]:
    seen: set[str] = set()
    todo = list(_ONTOLOGY.superclasses.get(name, ()))
    while todo:
        sup = todo.pop()
        if sup not in seen:
            seen.add(sup)
            todo.extend(_ONTOLOGY.superclasses.get(sup, ()))
    return seen


def _node_types() -> tuple[str, ...]:
    declared = {n for n in _ONTOLOGY.superclasses if "DocumentElement" in _ONTOLOGY.superclasses[n]}
    order = tuple(n for n in _ONTOLOGY.node_order if n in declared)
    if set(order) != declared:
        raise OntologyError(f"node classes missing from the owl:AllDisjointClasses list of {ONTOLOGY_FILE}: "
                            f"{', '.join(sorted(declared - set(order)))}")
    enum = {k.value for k in NodeKind}
    if enum != declared:
        raise OntologyError(f"NodeKind and the subclasses of sg:DocumentElement in {ONTOLOGY_FILE} differ: only in "
                            f"NodeKind {sorted(enum - declared)}, only in the ontology {sorted(declared - enum)}")
    return order


NODE_TYPES: tuple[str, ...] = _node_types()
"""Every node type (subclass of sg:DocumentElement), in the order of the ontology's disjointness axiom."""
DOCUMENT = "StrategyDocument"
"""The type of a whole document (sg:StrategyDocument)."""
DOCUMENT_FILTER = "Document"
"""What a type filter of the search calls whole documents."""


def members(grouping: str) -> frozenset[str]:
    """The node types and the document type that belong to ``grouping`` (a class local name, e.g. "TextUnit")."""
    found = frozenset(t for t in (*NODE_TYPES, DOCUMENT) if grouping in _ancestors(t))
    if not found:
        raise OntologyError(f"no node class is a subclass of sg:{grouping} in {ONTOLOGY_FILE}")
    return found


CONTAINERS = members("Container")
"""Nodes (and the document) that hold other nodes."""
HEADED_ELEMENTS = members("HeadedElement")
"""Nodes named by a heading: the shapes require their skos:prefLabel; the recogniser's container classes."""
THEMATIC = members("ThematicElement")
"""Headed elements that set a theme (not a Section): topics and overlaps are gathered up to them."""
TEXT_UNITS = members("TextUnit")
"""Running text the overlap analysis compares one by one (its alignment leaves)."""
COMMITMENTS = members("Commitment")
"""Text units that say what the municipality will do."""
REFERENCES = members("Reference")
"""Nodes that merely name another document: not topic-tagged, searched only when the type filter asks."""
TOPIC_COVER = THEMATIC | COMMITMENTS
"""Nodes a topic page lists as covering the topic (narrative passages and section headings are left out)."""
OVERLAP_TYPES = THEMATIC | TEXT_UNITS
"""The levels overlaps are found at: text units one by one, thematic elements from their members."""
ROLLUP_TARGETS = (CONTAINERS - {DOCUMENT}) | {DOCUMENT_FILTER}
"""Type filters a search answers with containers ranked by what they hold (the document as "Document")."""
FILTER_TYPES: tuple[str, ...] = (*(t for t in NODE_TYPES if t in ROLLUP_TARGETS), DOCUMENT_FILTER,
                                 *(t for t in NODE_TYPES if t not in ROLLUP_TARGETS))
"""Every value a search's type filter takes, roll-up targets first, each part in ontology order."""


def _names(name: str) -> TypeNames:
    def literal(prop: str, lang: str = "da") -> str | None:
        return _ONTOLOGY.literals.get((name, prop), {}).get(lang)

    label, label_en = literal(_RDFS + "label"), literal(_RDFS + "label", "en")
    plural = literal(SG_NS + "pluralLabel")
    if label is None or label_en is None or plural is None:
        raise OntologyError(f"sg:{name} in {ONTOLOGY_FILE} lacks an rdfs:label@da, rdfs:label@en or "
                            "sg:pluralLabel@da")
    return TypeNames(label=label, short=literal(SG_NS + "shortLabel") or label, plural=plural, label_en=label_en)


NAMES: Mapping[str, TypeNames] = MappingProxyType({t: _names(t) for t in (*NODE_TYPES, DOCUMENT)})
"""What each node type and the document type is called."""


def _lookup(name: str) -> TypeNames:
    found = NAMES.get(DOCUMENT if name == DOCUMENT_FILTER else name)
    if found is None:
        raise KeyError(f"unknown node type {name!r}; known: {', '.join(sorted(NAMES))}")
    return found


def danish_name(name: str) -> str:
    """The Danish name the pages use for a node type, lower case (``spor``, ``pejlemærke``, ``dokument``)."""
    return _lookup(name).short


def danish_plural(name: str) -> str:
    """The plural of :func:`danish_name` (``spor``, ``pejlemærker``, ``dokumenter``)."""
    return _lookup(name).plural


__all__ = [
    "COMMITMENTS", "CONTAINERS", "DOCUMENT", "DOCUMENT_FILTER", "FILTER_TYPES", "HEADED_ELEMENTS", "NAMES",
    "NODE_TYPES", "OVERLAP_TYPES", "REFERENCES", "ROLLUP_TARGETS", "TEXT_UNITS", "THEMATIC", "TOPIC_COVER",
    "NodeKind", "OntologyError", "TypeNames", "danish_name", "danish_plural", "members",
]
