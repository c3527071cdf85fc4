"""Every IRI the graph mints, described for people: what kind of resource it is, and what the graph says about
it (its own statements and the resources that point to it), with Danish names from the ontology.

The graph mints IRIs under three namespaces (ontology/__init__.py): ``ID_NS`` for documents, their nodes, the
nodes' source selectors (``…/span``, ``…/span/N``) and topic assignments (``…/topic/<topic>``), overlaps
(``overlap/<digest>``), municipalities (``municipality/<key>``) and committees (``committee/<municipality>/<slug>``);
``TOPIC_NS`` for the SKOS topics and their scheme; ``SG_NS`` for the ontology's terms. Each resolves on this
server under the same path (``/id/…``, ``/topic/…``, ``/ontology``); see service/routes/graph_api.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote

import pyoxigraph

from ontology import ID_NS, ONTOLOGY_FILE, SG_NS, TOPIC_NS, XSD, resource_path
from service.generation import Generation
from service.pages.wording import document_url, node_url

ONTOLOGY_IRI = SG_NS.rstrip("#")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCT = "http://purl.org/dc/terms/"
_OWL = "http://www.w3.org/2002/07/owl#"
LABEL_PROPERTIES = (_SKOS + "prefLabel", _DCT + "title", _RDFS + "label")
MAX_INCOMING = 60
"""At most this many resources are listed per property that points to a resource (the rest are counted)."""

# Names of the terms of reused vocabularies that the graph uses (the ontology names its own terms).
VOCABULARY_LABELS = {
    RDF_TYPE: "type",
    _RDFS + "label": "navn",
    _RDFS + "comment": "beskrivelse",
    _RDFS + "subClassOf": "underklasse af",
    _RDFS + "domain": "gælder for",
    _RDFS + "range": "værdier",
    _SKOS + "prefLabel": "navn",
    _SKOS + "altLabel": "andre ord",
    _SKOS + "hiddenLabel": "skjulte stavemåder",
    _SKOS + "definition": "definition",
    _SKOS + "notation": "kode",
    _SKOS + "inScheme": "i emnekortet",
    _SKOS + "topConceptOf": "topemne i",
    _SKOS + "hasTopConcept": "topemner",
    _SKOS + "broader": "bredere emne",
    _SKOS + "narrower": "snævrere emner",
    _SKOS + "related": "beslægtede emner",
    _DCT + "title": "titel",
    _DCT + "isPartOf": "del af",
    _DCT + "hasPart": "består af",
    _DCT + "subject": "emne",
    _DCT + "publisher": "udgivet af",
    _DCT + "issued": "dato",
    _DCT + "source": "kildefil",
    _DCT + "references": "henviser til",
    _DCT + "license": "licens",
    "http://www.w3.org/ns/org#unitOf": "enhed under",
    "http://www.w3.org/ns/oa#start": "starttegn",
    "http://www.w3.org/ns/oa#end": "sluttegn",
    "http://www.w3.org/ns/prov#wasRevisionOf": "reviderer",
    _OWL + "versionInfo": "version",
    _OWL + "Class": "klasse",
    _SKOS + "Concept": "emne",
    _SKOS + "ConceptScheme": "emnekort",
    "http://www.w3.org/ns/org#FormalOrganization": "organisation",
    "http://www.w3.org/ns/org#OrganizationalUnit": "organisatorisk enhed",
    "http://www.w3.org/ns/oa#TextPositionSelector": "tekstudsnit",
    "http://www.w3.org/ns/prov#Entity": "entitet",
    "http://www.w3.org/ns/prov#Activity": "proces (PROV)",
}

# What the resources pointing here are, by the property they point with ("Dokumenter fra kommunen").
INCOMING_LABELS = {
    SG_NS + "municipality": "dokumenter fra kommunen",
    "http://www.w3.org/ns/org#unitOf": "udvalg og centre",
    _DCT + "publisher": "udgivne dokumenter",
    _DCT + "isPartOf": "dele",
    _DCT + "hasPart": "del af",
    _DCT + "subject": "tagget med emnet",
    _DCT + "references": "nævnt i",
    SG_NS + "assignedTo": "emnetildelinger",
    SG_NS + "topic": "tildelinger af emnet",
    SG_NS + "sharedTopic": "overlap om emnet",
    SG_NS + "overlapNode": "overlap",
    SG_NS + "sourceSpan": "kildehenvisning for",
    SG_NS + "sourceSegment": "kildeafsnit for",
    SG_NS + "inDocument": "tekststykker i dokumentet",
    _SKOS + "inScheme": "emner i emnekortet",
    _SKOS + "topConceptOf": "topemner",
    _SKOS + "hasTopConcept": "topemne i",
    _SKOS + "broader": "snævrere emner",
    _SKOS + "narrower": "bredere emne",
    _SKOS + "related": "beslægtede emner",
}

KIND_NAMES = {
    "document": "Dokument",
    "node": "Tekststykke",
    "span": "Kildehenvisning",
    "topic-assignment": "Emnetildeling",
    "overlap": "Overlap",
    "municipality": "Kommune",
    "committee": "Udvalg eller center",
    "topic": "Emne",
    "topic-scheme": "Emnekort",
    "ontology": "Ontologi",
    "ontology-term": "Ontologiens begreb",
    "unknown": "Ressource",
}


def kind_of(iri: str, gen: Generation) -> str:
    """The kind of resource an IRI of this graph names (``unknown`` for one the graph does not mint)."""
    if iri.startswith(ID_NS):
        path = iri[len(ID_NS):]
        first, _, rest = path.partition("/")
        if path in gen.documents:
            return "document"
        if gen.node(iri) is not None:
            return "node"
        if first in ("municipality", "committee", "overlap") and rest:
            return first
        if "/span" in path:
            return "span"
        if "/topic/" in path:
            return "topic-assignment"
        return "unknown"
    if iri.startswith(TOPIC_NS):
        return "topic-scheme" if iri[len(TOPIC_NS):] == "scheme" else "topic"
    if iri in (ONTOLOGY_IRI, SG_NS):
        return "ontology"
    if iri.startswith(SG_NS):
        return "ontology-term"
    return "unknown"


@lru_cache(maxsize=1)
def ontology_store() -> pyoxigraph.Store:
    """The ontology (ontology/strategigraf.ttl) in a store of its own: it is not part of a build's graph."""
    store = pyoxigraph.Store()
    store.bulk_load(path=str(resource_path(ONTOLOGY_FILE)), format=pyoxigraph.RdfFormat.TURTLE)
    return store


def _literal(store: pyoxigraph.Store, iri: str, prop: str, lang: str = "da") -> str | None:
    best: str | None = None
    for quad in store.quads_for_pattern(pyoxigraph.NamedNode(iri), pyoxigraph.NamedNode(prop), None, None):
        obj = quad.object
        if isinstance(obj, pyoxigraph.Literal):
            if obj.language == lang:
                return obj.value
            if best is None and obj.language in (None, ""):
                best = obj.value
    return best


def term_label(iri: str) -> str:
    """The Danish name of a property or class: the ontology's rdfs:label@da, else a known vocabulary's."""
    if iri.startswith(SG_NS):
        return _literal(ontology_store(), iri, _RDFS + "label") or iri[len(SG_NS):]
    return VOCABULARY_LABELS.get(iri, iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1])


def term_comment(iri: str) -> str | None:
    return _literal(ontology_store(), iri, _RDFS + "comment") if iri.startswith(SG_NS) else None


def href_of(iri: str, gen: Generation) -> str:
    """Where a person reads about ``iri`` on this site (a node's or document's page, a topic's page …)."""
    kind = kind_of(iri, gen)
    if kind == "document":
        return document_url(iri[len(ID_NS):])
    if kind == "node":
        return node_url(iri)
    if kind == "topic":
        return "/emner/" + quote(iri[len(TOPIC_NS):], safe="")
    if kind == "topic-scheme":
        return "/emner"
    if kind == "ontology":
        return "/ontology"
    if kind == "ontology-term":
        return "/ontology#" + iri[len(SG_NS):]
    if iri.startswith(ID_NS):
        return "/id/" + iri[len(ID_NS):]
    return iri


def label_of(iri: str, gen: Generation) -> str:
    """A readable name for ``iri``: its label in the graph, the node's heading or text, or its last path part."""
    if iri.startswith(SG_NS) or iri == ONTOLOGY_IRI:
        return term_label(iri) if iri.startswith(SG_NS) else "Strategigraf-ontologien"
    node = gen.node(iri)
    if node is not None:
        return _cut(node.label or node.text, 90)
    for prop in LABEL_PROPERTIES:
        value = _literal(gen.store, iri, prop)
        if value:
            return value
    if iri in VOCABULARY_LABELS:
        return VOCABULARY_LABELS[iri]
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@dataclass(frozen=True)
class Link:
    iri: str
    label: str
    href: str


@dataclass(frozen=True)
class Value:
    """One value of a property: a literal's text, or a link to another resource."""

    text: str | None = None
    link: Link | None = None


@dataclass
class Statement:
    """A property of the resource with its values (or, for incoming statements, the resources pointing here)."""

    prop: Link
    values: list[Value] = field(default_factory=list)
    total: int = 0
    """How many values there are in all (``values`` stops at :data:`MAX_INCOMING` for incoming ones)."""


@dataclass
class ResourceView:
    iri: str
    kind: str
    kind_name: str
    label: str
    types: list[Link]
    outgoing: list[Statement]
    incoming: list[Statement]


def _cut(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 2].rsplit(" ", 1)[0] + " …"


def _link(iri: str, gen: Generation) -> Link:
    return Link(iri, label_of(iri, gen), href_of(iri, gen))


def _prop_link(iri: str) -> Link:
    return Link(iri, term_label(iri), "/ontology#" + iri[len(SG_NS):] if iri.startswith(SG_NS) else iri)


_DECIMAL_TYPES = frozenset(str(XSD[t]) for t in ("decimal", "double", "float"))
OVERLAP_LEVEL_WORDS = {"strong": "stærk", "related": "beslægtet"}
"""sg:level of an overlap as a person reads it (the graph keeps the English code values)."""


def literal_text(prop: str, literal: pyoxigraph.Literal) -> str:
    """A literal as a Danish reader expects it: decimal comma in numbers, Danish words for coded values."""
    if prop == SG_NS + "level":
        return OVERLAP_LEVEL_WORDS.get(literal.value, literal.value)
    if literal.datatype.value in _DECIMAL_TYPES:
        return literal.value.replace(".", ",")
    return literal.value


def _named_node(iri: str) -> pyoxigraph.NamedNode | None:
    """``iri`` as a node of the store; None when it is no valid IRI (a path with a backslash or a space)."""
    try:
        return pyoxigraph.NamedNode(iri)
    except ValueError:
        return None


def is_described(gen: Generation, iri: str) -> bool:
    """Whether the graph has a statement about ``iri`` or pointing to it (whether :func:`describe_resource` gives
    a view), without describing it."""
    node = _named_node(iri)
    if node is None:
        return False
    return any(True for _ in gen.store.quads_for_pattern(node, None, None, None)) or \
        any(True for _ in gen.store.quads_for_pattern(None, None, node, None))


def describe_resource(gen: Generation, iri: str) -> ResourceView | None:
    """What the graph says about ``iri``; None when the graph has no statement about it or pointing to it (or
    ``iri`` is no valid IRI: a path with a backslash or a space names nothing the graph mints)."""
    subject = _named_node(iri)
    if subject is None:
        return None
    outgoing: dict[str, Statement] = {}
    types: list[Link] = []
    for quad in gen.store.quads_for_pattern(subject, None, None, None):
        prop, obj = quad.predicate.value, quad.object
        if prop == RDF_TYPE and isinstance(obj, pyoxigraph.NamedNode):
            types.append(_prop_link(obj.value))
            continue
        statement = outgoing.setdefault(prop, Statement(_prop_link(prop)))
        statement.total += 1
        if isinstance(obj, pyoxigraph.NamedNode):
            statement.values.append(Value(link=_link(obj.value, gen)))
        elif isinstance(obj, pyoxigraph.Literal):
            statement.values.append(Value(text=literal_text(prop, obj)))
    incoming: dict[str, Statement] = {}
    for quad in gen.store.quads_for_pattern(None, None, subject, None):
        prop, subj = quad.predicate.value, quad.subject
        if prop not in incoming:
            link = _prop_link(prop)
            incoming[prop] = Statement(Link(prop, INCOMING_LABELS.get(prop, f"via »{link.label}«"), link.href))
        statement = incoming[prop]
        statement.total += 1
        if isinstance(subj, pyoxigraph.NamedNode) and len(statement.values) < MAX_INCOMING:
            statement.values.append(Value(link=_link(subj.value, gen)))
    if not types and not outgoing and not incoming:
        return None
    # skos:prefLabel and rdfs:label often say the same: show a name once.
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for prop in list(outgoing):
        st = outgoing[prop]
        key = (st.prop.label, tuple(v.text or (v.link.iri if v.link else "") for v in st.values))
        if key in seen:
            del outgoing[prop]
        seen.add(key)
    kind = kind_of(iri, gen)
    label = label_of(iri, gen)
    pair = outgoing.get(SG_NS + "overlapNode")
    if kind == "overlap" and pair is not None and len(pair.values) == 2 and all(v.link for v in pair.values):
        a, b = (v.link.label for v in pair.values if v.link)
        label = f"»{_cut(a)}« og »{_cut(b)}«"
    for statement in (*outgoing.values(), *incoming.values()):
        statement.values.sort(key=lambda v: (v.link.label.lower() if v.link else v.text or ""))
    return ResourceView(iri=iri, kind=kind, kind_name=KIND_NAMES.get(kind, KIND_NAMES["unknown"]),
                        label=label, types=types,
                        outgoing=sorted(outgoing.values(), key=lambda s: s.prop.label),
                        incoming=sorted(incoming.values(), key=lambda s: s.prop.label))


@dataclass(frozen=True)
class Term:
    """One class or property of the ontology, for the ontology's page."""

    iri: str
    name: str
    label: str
    label_en: str | None
    comment: str | None
    parents: list[Link]
    domain: list[Link]
    range: list[Link]


@dataclass(frozen=True)
class OntologyView:
    title: str
    comment: str | None
    version: str | None
    groups: list[tuple[str, list[Term]]]


def _objects(store: pyoxigraph.Store, iri: str, prop: str) -> list[str]:
    return sorted(q.object.value for q in store.quads_for_pattern(pyoxigraph.NamedNode(iri),
                                                                  pyoxigraph.NamedNode(prop), None, None)
                  if isinstance(q.object, pyoxigraph.NamedNode))


def _term_ref(iri: str) -> Link:
    """A term as the ontology's page links it: its own terms by anchor, a reused vocabulary's by its IRI."""
    return Link(iri, term_label(iri), "#" + iri[len(SG_NS):] if iri.startswith(SG_NS) else iri)


@lru_cache(maxsize=1)
def ontology_view() -> OntologyView:
    """The ontology's classes and properties with their Danish and English names and descriptions."""
    store = ontology_store()
    groups: list[tuple[str, list[Term]]] = []
    for title, cls in (("Klasser", "Class"), ("Relationer", "ObjectProperty"), ("Egenskaber", "DatatypeProperty"),
                       ("Annoteringer", "AnnotationProperty")):
        terms = []
        for quad in store.quads_for_pattern(None, pyoxigraph.NamedNode(RDF_TYPE), pyoxigraph.NamedNode(_OWL + cls),
                                            None):
            if not isinstance(quad.subject, pyoxigraph.NamedNode) or not quad.subject.value.startswith(SG_NS):
                continue
            iri = quad.subject.value
            terms.append(Term(
                iri=iri, name=iri[len(SG_NS):], label=term_label(iri),
                label_en=_literal(store, iri, _RDFS + "label", "en"), comment=term_comment(iri),
                parents=[_term_ref(p) for p in _objects(store, iri, _RDFS + "subClassOf")
                         + _objects(store, iri, _RDFS + "subPropertyOf")],
                domain=[_term_ref(p) for p in _objects(store, iri, _RDFS + "domain")],
                range=[_term_ref(p) for p in _objects(store, iri, _RDFS + "range")]))
        if terms:
            groups.append((title, sorted(terms, key=lambda t: t.name.lower())))
    return OntologyView(title=_literal(store, ONTOLOGY_IRI, _DCT + "title") or "Strategigraf-ontologien",
                        comment=_literal(store, ONTOLOGY_IRI, _RDFS + "comment"),
                        version=_literal(store, ONTOLOGY_IRI, _OWL + "versionInfo"), groups=groups)


def ontology_rdf(media: str) -> bytes:
    """The ontology serialised as ``media`` (Turtle is the file as written, with its comments)."""
    if media == "text/turtle":
        return resource_path(ONTOLOGY_FILE).read_bytes()
    formats = {"application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
               "application/ld+json": pyoxigraph.RdfFormat.JSON_LD}
    data = ontology_store().dump(format=formats[media], from_graph=pyoxigraph.DefaultGraph())
    assert data is not None
    return data
