"""SHACL validation of a built graph against ontology/shapes.ttl on pyrudof (the Rust SHACL engine of the rudof
project); a non-conforming graph is refused with a ``ValidationError`` naming each focus node, its source line,
the path and the rule broken.

pyrudof reports what pySHACL (SHACL Core, no inference), the engine it replaced, reports: the same verdict and
the same (focus node, path, constraint component) results on every broken graph of tests/ontology/test_shapes.py
and tests/ingest/test_validate.py, which keep pySHACL as the cross-check. A failing ``sh:node`` is one result on
the referring node in both engines; pySHACL also nests the value's own results (``sh:detail``), pyrudof does
not, so :func:`find_violations` asks pyrudof again, for those values only, which rules of the nested shape they
break (:func:`nested_results`).

Incremental validation (``cache``): every shape here constrains a focus node through its own triples,
the description of the values it validates through nested shapes (source spans: ``deep_predicates``) or
that are blank nodes, and the ``rdf:type`` and ``sg:inDocument`` of the other IRIs it points to
(``sh:class``, ``sgsh:DocumentNode``, the different-documents SPARQL constraint); no shape uses an
inverse path. A focus node's *fingerprint* hashes exactly that
neighbourhood (with the shapes' digest), so a node whose fingerprint passed before passes again.
:class:`ValidatedCache` keeps the fingerprints of nodes that passed, and only the other focus nodes are
validated, on the subgraph they can see. A rebuild after editing one document validates that document's
nodes (and whatever points at a node whose type changed), not the whole corpus. The cache outlived the move
to pyrudof because it is still the cheaper path after an edit: on the bundled graph the fingerprint pass costs
about a third of a whole pyrudof validation, and pyrudof grows faster than linearly with the graph, where the
fingerprint pass grows linearly.

On the same premise a graph with more than :data:`CHUNK_FOCUS_NODES` focus nodes to validate is validated in
parts, each part's focus nodes on the subgraph they can see: pyrudof's memory grows faster than the graph
(about 8 GB for a million triples validated whole), the parts' stays bounded.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyrudof
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF
from rdflib.term import Node

from ingest.errors import ValidationError
from ingest.sqlitecache import SqliteCache
from ontology import SG, SH, SHAPES_FILE, resource_path

_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*")
_EMPTY_NT = "# no triples\n"
"""pyrudof refuses empty input; an N-Triples comment is an empty graph."""
CHUNK_FOCUS_NODES = 2_000
"""Focus nodes per pyrudof run when a graph is validated in parts: pyrudof's time and memory grow faster than
the graph (a million triples whole: about 8 GB), the parts' stay bounded."""


@dataclass(frozen=True)
class Result:
    """One validation result as the engine reports it (IRIs as plain strings, literals in N-Triples form)."""

    focus: str
    path: str | None
    component: str
    """IRI of the SHACL constraint component, e.g. ``http://www.w3.org/ns/shacl#MinCountConstraintComponent``."""
    shape: str | None
    value: str | None


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    rule: str
    """The constraint broken: the component's short name (``MinCount``, ``Datatype``, ``SPARQL`` …)."""
    message: str
    shape: str | None
    value: str | None
    where: str | None
    """``file:line`` of the focus node's source span, when the node has one."""
    details: tuple[Violation, ...] = ()
    """For a failing ``sh:node``: the rules the value itself breaks."""

    def __str__(self) -> str:
        loc = f" ({self.where})" if self.where else ""
        path = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value else ""
        head = f"{self.focus}{loc}:{path} {self.message}{value} [shape {self.shape}, rule {self.rule}]"
        return "\n    ".join([head, *(f"because {d}" for d in self.details)])


def load_shapes() -> Graph:
    """ontology/shapes.ttl parsed into a new graph (the caller's to change)."""
    return Graph().parse(resource_path(SHAPES_FILE), format="turtle")


@dataclass(frozen=True)
class Rules:
    """A shapes graph with what validating against it needs: its Turtle text (what pyrudof reads) and its
    :func:`shapes_digest`. Made once per content of the shapes (:func:`default_rules`); shared, so never
    changed (:func:`load_shapes` gives a graph to change)."""

    graph: Graph
    turtle: str
    digest: str


@functools.lru_cache(maxsize=2)
def _rules_of(turtle: str) -> Rules:
    graph = Graph().parse(data=turtle, format="turtle")
    return Rules(graph=graph, turtle=turtle, digest=shapes_digest(graph))


def default_rules() -> Rules:
    """ontology/shapes.ttl as :class:`Rules`, parsed and digested once per process and content of the file (a
    rebuild in the service does not parse and canonicalise the shapes again)."""
    return _rules_of(resource_path(SHAPES_FILE).read_text(encoding="utf-8"))


def shapes_digest(shapes: Graph) -> str:
    """Identifies the rules a fingerprint was validated against: the shapes graph (canonicalised, so blank
    node labels do not matter) and the engine's version."""
    lines = sorted(to_canonical_graph(shapes).serialize(format="nt").splitlines())
    h = hashlib.sha256("\n".join(lines).encode())
    h.update(f"\0pyrudof {pyrudof.__version__}".encode())
    return h.hexdigest()


class ValidatedCache(SqliteCache):
    """Fingerprints of focus nodes that conformed (sqlite, beside the embedding cache)."""

    what = "SHACL validation cache"

    def __init__(self, path: str | Path) -> None:
        super().__init__(path, "CREATE TABLE IF NOT EXISTS validated (fingerprint BLOB PRIMARY KEY)")

    def known(self, fingerprints: Iterable[bytes]) -> set[bytes]:
        rows = self._select_in("SELECT fingerprint FROM validated WHERE fingerprint IN ({marks})", list(fingerprints))
        return {bytes(r[0]) for r in rows}

    def add(self, fingerprints: Iterable[bytes]) -> None:
        with self._lock, self._conn:
            self._conn.executemany("INSERT OR IGNORE INTO validated VALUES (?)", [(f,) for f in fingerprints])


def target_nodes(data: Graph, shapes: Graph) -> set[Node]:
    """The focus nodes of every shape (sh:targetClass without inference, sh:targetSubjectsOf,
    sh:targetObjectsOf, sh:targetNode)."""
    out: set[Node] = set()
    for cls in set(shapes.objects(None, SH.targetClass)):
        out.update(data.subjects(RDF.type, cls))
    for prop in set(shapes.objects(None, SH.targetSubjectsOf)):
        out.update(data.subjects(prop, None))
    for prop in set(shapes.objects(None, SH.targetObjectsOf)):
        out.update(data.objects(None, prop))
    out.update(shapes.objects(None, SH.targetNode))
    return out


def paths_are_predicates(shapes: Graph) -> bool:
    """Every sh:path is a plain predicate (no inverse, sequence or transitive paths): the premise of
    :func:`fingerprint`. A SPARQL constraint must likewise look only at what :func:`visible_triples` covers."""
    return all(isinstance(path, URIRef) for path in shapes.objects(None, SH.path))


def deep_predicates(shapes: Graph) -> frozenset[Node]:
    """Predicates whose values the shapes look into beyond their type: the paths of property shapes with an
    ``sh:node`` whose shape constrains more than ``rdf:type`` / ``sg:inDocument`` (e.g. source spans)."""
    shallow = {RDF.type, SG.inDocument}
    out = set()
    for prop, value_shape in shapes.subject_objects(SH.node):
        paths = {shapes.value(ps, SH.path) for ps in shapes.objects(value_shape, SH.property)}
        others = {p for p, _ in shapes.predicate_objects(value_shape)} - {RDF.type, SH.property, SH.name,
                                                                          SH.message, SH.description}
        if not paths <= shallow or others:
            path = shapes.value(prop, SH.path)
            if path is not None:
                out.add(path)
    return frozenset(out)


def visible_triples(data: Graph, node: Node, deep: frozenset[Node],
                    lookup: _Lookups | None = None) -> Iterator[tuple[Node, Node, Node]]:
    """What the shapes can see from ``node``: its triples; the whole description of the values of ``deep``
    predicates and of blank-node values (recursively); the ``rdf:type`` and ``sg:inDocument`` of other IRIs.
    ``lookup`` (one per unchanged ``data``) remembers the graph look-ups for the next node."""
    seen: set[Node] = set()
    ask = lookup or _Lookups(data)

    def walk(subject: Node, depth: int) -> Iterator[tuple[Node, Node, Node]]:
        seen.add(subject)
        for p, o in ask.predicate_objects(subject):
            yield subject, p, o
            if (isinstance(o, BNode) or p in deep) and not isinstance(o, Literal) and o not in seen and depth < 8:
                yield from walk(o, depth + 1)
            elif isinstance(o, URIRef):
                for q, v in ask.seen_of(o):
                    yield o, q, v

    yield from walk(node, 0)


class _Lookups:
    """The graph look-ups of :func:`visible_triples` and the N3 forms of :func:`fingerprint`, each made once
    per graph (the values of rdflib's own calls, in their order): a build fingerprints every focus node, and
    most of them see the same documents, types and spans."""

    def __init__(self, data: Graph) -> None:
        self.data = data
        self._po: dict[Node, list[tuple[Node, Node]]] = {}
        self._seen: dict[Node, list[tuple[Node, Node]]] = {}
        self._n3: dict[Node, str] = {}

    def predicate_objects(self, subject: Node) -> list[tuple[Node, Node]]:
        found = self._po.get(subject)
        if found is None:
            found = self._po[subject] = list(self.data.predicate_objects(subject))
        return found

    def seen_of(self, iri: Node) -> list[tuple[Node, Node]]:
        """The ``rdf:type`` and ``sg:inDocument`` values of another IRI."""
        found = self._seen.get(iri)
        if found is None:
            found = self._seen[iri] = [(q, v) for q in (RDF.type, SG.inDocument) for v in self.data.objects(iri, q)]
        return found

    def n3(self, term: Node) -> str:
        found = self._n3.get(term)
        if found is None:
            found = self._n3[term] = term.n3()
        return found


def fingerprint(data: Graph, node: Node, digest: str, deep: frozenset[Node], lookup: _Lookups | None = None) -> bytes:
    """sha256 over the shapes' digest, ``node`` and its :func:`visible_triples` (blank nodes keep their
    labels, so a node with blank-node values is simply validated again in the next build)."""
    ask = lookup or _Lookups(data)
    n3 = ask.n3
    lines = sorted({f"{n3(s)} {n3(p)} {n3(o)}" for s, p, o in visible_triples(data, node, deep, ask)})
    return hashlib.sha256(f"{digest}\n{node.n3()}\n".encode() + "\n".join(lines).encode()).digest()


def unvalidated(data: Graph, shapes: Graph, cache: ValidatedCache, digest: str | None = None) -> dict[Node, bytes]:
    """The focus nodes of ``data`` whose fingerprint has not conformed before, with their fingerprints
    (``digest``: the shapes' :func:`shapes_digest`, computed when not given)."""
    digest, deep = digest or shapes_digest(shapes), deep_predicates(shapes)
    lookup = _Lookups(data)
    prints = {n: fingerprint(data, n, digest, deep, lookup) for n in target_nodes(data, shapes)}
    known = cache.known(prints.values())
    return {n: f for n, f in prints.items() if f not in known}


def visible_subgraph(data: Graph, nodes: Iterable[Node], shapes: Graph) -> Graph:
    """The union of the :func:`visible_triples` of ``nodes``: enough to validate them and only them."""
    sub = Graph()
    deep = deep_predicates(shapes)
    lookup = _Lookups(data)
    for node in nodes:
        for triple in visible_triples(data, node, deep, lookup):
            sub.add(triple)
    return sub


def _shapes_text(shapes: Graph | None) -> str:
    return default_rules().turtle if shapes is None else shapes.serialize(format="turtle")


def _session(data: Graph | str, shapes_ttl: str) -> pyrudof.Rudof:
    """A pyrudof session holding ``data`` (a graph, or N-Triples text) and the shapes (strict parsing: a triple
    pyrudof cannot read is an error, never silently left out of the validation)."""
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    text = data if isinstance(data, str) else data.serialize(format="nt") if len(data) else ""
    try:
        rudof.read_data(text or _EMPTY_NT, format=pyrudof.RDFFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)
    except pyrudof.RudofError as exc:
        raise ValidationError(f"the SHACL engine (pyrudof) cannot read the graph: {exc}") from exc
    _read_shapes(rudof, shapes_ttl)
    return rudof


def _read_shapes(rudof: pyrudof.Rudof, shapes_ttl: str) -> None:
    try:
        rudof.read_shacl(shapes_ttl, format=pyrudof.ShaclFormat.Turtle, reader_mode=pyrudof.ReaderMode.Strict)
    except pyrudof.RudofError as exc:
        raise ValidationError(f"the SHACL engine (pyrudof) cannot read the shapes: {exc}") from exc


def _validate(rudof: pyrudof.Rudof) -> tuple[bool, list[Result]]:
    report = rudof.validate_shacl(mode=pyrudof.ShaclValidationMode.Native)
    results = [Result(focus=e.focus_node, path=e.path, component=e.constraint_component, shape=e.source_shape,
                      value=e.value) for e in report.violations if e.severity == "Violation"]
    return bool(report.conforms), results


def shacl_results(data: Graph, shapes: Graph | None = None) -> tuple[bool, list[Result]]:
    """pyrudof's verdict and its results (severity Violation) for ``data`` against ``shapes``."""
    return _validate(_session(data, _shapes_text(shapes)))


def untargeted(shapes: Graph) -> Graph:
    """A copy of ``shapes`` without targets: its shapes apply only where a target is added."""
    out = Graph()
    out += shapes
    for target in _TARGETS:
        out.remove((None, target, None))
    return out


def _is_iri(term: str | None) -> bool:
    """Whether an engine's term string is an IRI (not a literal, a blank node or a complex path like ``^(iri)``)."""
    return term is not None and not term.startswith("_:") and _IRI.fullmatch(term) is not None


def nested_results(rudof: pyrudof.Rudof, shapes: Graph, results: list[Result]) -> dict[tuple[str, str], list[Result]]:
    """For each failing ``sh:node`` result with an IRI value: the results of validating that value against the
    nested node shape(s) alone, keyed by (the result's shape, the value). Replaces the shapes of ``rudof``."""
    nested = untargeted(shapes)
    asked: set[str] = set()
    for r in results:
        if r.component == str(SH.NodeConstraintComponent) and r.shape and r.value is not None and _is_iri(r.value):
            for node_shape in shapes.objects(URIRef(r.shape), SH.node):
                nested.add((node_shape, SH.targetNode, URIRef(r.value)))
                asked.add(r.value)
    if not asked:
        return {}
    rudof.reset_shacl()
    _read_shapes(rudof, nested.serialize(format="turtle"))
    _, found = _validate(rudof)
    out: dict[tuple[str, str], list[Result]] = {}
    for r in results:
        if r.component == str(SH.NodeConstraintComponent) and r.shape and r.value in asked:
            parts = {str(p) for p in shapes.objects(URIRef(r.shape), SH.node)}
            out[(r.shape, r.value)] = [f for f in found if f.focus == r.value and _within(shapes, f.shape, parts)]
    return out


def _within(shapes: Graph, shape: str | None, node_shapes: set[str]) -> bool:
    """Whether ``shape`` is one of ``node_shapes`` or one of their property shapes."""
    if shape is None:
        return False
    return shape in node_shapes or any(str(s) in node_shapes for s in shapes.subjects(SH.property, URIRef(shape)))


def _message(shapes: Graph, result: Result) -> str:
    """The shape's own ``sh:message`` (English first); for a SPARQL constraint, the constraint's."""
    if result.shape is None:
        return "constraint violated"
    shape = URIRef(result.shape)
    holders = list(shapes.objects(shape, SH.sparql)) if result.component == str(SH.SPARQLConstraintComponent) else []
    messages = []
    for holder in holders or [shape]:
        texts = [m for m in shapes.objects(holder, SH.message) if isinstance(m, Literal)]
        english = [m for m in texts if m.language == "en"]
        if english or texts:
            messages.append(str((english or texts)[0]))
    return " / ".join(messages) or "constraint violated"


def _rule(component: str) -> str:
    name = component.rsplit("#", 1)[-1]
    return name.removesuffix("ConstraintComponent") or name


def _where(data: Graph, focus: str) -> str | None:
    if not _is_iri(focus):
        return None
    span = data.value(URIRef(focus), SG.sourceSpan)
    if span is None:
        return None
    file, line = data.value(span, SG.sourceFile), data.value(span, SG.startLine)
    return f"{file}:{line}" if file is not None else None


def _short(shapes: Graph, iri: str | None) -> str | None:
    """``iri`` as a prefixed name of the shapes file (``sg:text``, ``sgsh:Span-start``) when it has one."""
    if not _is_iri(iri):
        return iri
    assert iri is not None
    name = shapes.namespace_manager.normalizeUri(URIRef(iri))
    return iri if name.startswith("<") else name


def _violation(data: Graph, shapes: Graph, r: Result, details: Iterable[Result] = ()) -> Violation:
    return Violation(focus=r.focus, path=_short(shapes, r.path), rule=_rule(r.component), message=_message(shapes, r),
                     shape=_short(shapes, r.shape), value=r.value, where=_where(data, r.focus),
                     details=tuple(_violation(data, shapes, d) for d in details))


def find_violations(data: Graph, shapes: Graph | None = None, *, cache: ValidatedCache | None = None,
                    chunk: int = CHUNK_FOCUS_NODES) -> list[Violation]:
    """Every SHACL violation of ``data``, each naming the focus node, its source line, the path and the rule.

    With ``cache``, focus nodes whose fingerprint conformed before are not validated again, and the
    fingerprints of those that conform are added. Focus nodes to validate that are not the whole graph's, or
    more than ``chunk`` of them, are validated on :func:`visible_subgraph`, ``chunk`` at a time.
    """
    default = default_rules() if shapes is None else None
    rules = default.graph if default is not None else shapes
    assert rules is not None
    local = paths_are_predicates(rules)  # the premise of fingerprints and of validating on subgraphs
    if not local:
        return _run(data, data, rules, shapes)
    focus = target_nodes(data, rules)
    prints = (unvalidated(data, rules, cache, default.digest if default is not None else None)
              if cache is not None else None)
    todo = set(prints) if prints is not None else focus
    if not todo:
        return []
    if todo == focus and len(todo) <= chunk:
        violations = _run(data, data, rules, shapes)
    else:
        violations = []
        ordered = sorted(todo, key=str)  # IRIs of one document side by side: smaller subgraphs
        for i in range(0, len(ordered), chunk):
            part = ordered[i : i + chunk]
            sub = visible_subgraph(data, part, rules)
            # targets seen here only as values lack their own triples: not judged here
            outside = {str(n) for n in target_nodes(sub, rules)} - {str(n) for n in part}
            violations += [v for v in _run(sub, data, rules, shapes) if v.focus not in outside]
    if cache is not None and prints is not None:
        failed = {v.focus for v in violations}
        blank_failed = any(v.focus.startswith("_:") for v in violations)  # labels may differ between engines
        cache.add(f for n, f in prints.items()
                  if str(n) not in failed and not (blank_failed and isinstance(n, BNode)))
    return sorted(violations, key=lambda v: (v.focus, v.path or "", v.rule, v.message))


def _run(target: Graph, data: Graph, rules: Graph, shapes: Graph | None) -> list[Violation]:
    """pyrudof on ``target``; the violations it finds, located in ``data``."""
    rudof = _session(target, _shapes_text(shapes))
    conforms, results = _validate(rudof)
    return [] if conforms else _violations(rudof, data, rules, results)


def _violations(rudof: pyrudof.Rudof, data: Graph, shapes: Graph, results: list[Result]) -> list[Violation]:
    nested = nested_results(rudof, shapes, results)
    out = [_violation(data, shapes, r, nested.get((r.shape, r.value), []) if r.shape and r.value else [])
           for r in results]
    out.sort(key=lambda v: (v.focus, v.path or "", v.rule, v.message))
    return out


def ntriples_conform(text: str, shapes_ttl: str) -> bool:
    """pyrudof's verdict on N-Triples ``text`` against the shapes in Turtle ``shapes_ttl``, without building an
    rdflib graph (data generated as N-Triples at scale: the analysis triples, ``ingest.analyse``). Find out why
    a part does not conform with :func:`find_violations` on that part."""
    conforms, _ = _validate(_session(text, shapes_ttl))
    return conforms


def validate_graph(data: Graph, shapes: Graph | None = None, show: int = 10, *,
                   cache: ValidatedCache | None = None) -> None:
    """Raise ``ValidationError`` naming the offending nodes and rules when ``data`` does not conform."""
    refuse(find_violations(data, shapes, cache=cache), show)


def refuse(violations: list[Violation], show: int = 10) -> None:
    """Raise ``ValidationError`` listing the first ``show`` of ``violations``; nothing when there are none."""
    if violations:
        lines = "\n  ".join(str(v) for v in violations[:show])
        more = f"\n  … and {len(violations) - show} more" if len(violations) > show else ""
        raise ValidationError(
            f"graph does not conform to {SHAPES_FILE}: {len(violations)} violation(s)\n  {lines}{more}"
        )
