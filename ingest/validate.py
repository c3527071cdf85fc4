"""SHACL validation of a built graph against ontology/shapes.ttl; a non-conforming graph is refused.

Incremental validation (``cache``): every shape here constrains a focus node through its own triples,
the description of the values it validates through nested shapes (source spans: ``deep_predicates``) or
that are blank nodes, and the ``rdf:type`` and ``sg:inDocument`` of the other IRIs it points to
(``sh:class``, ``sgsh:DocumentNode``, the different-documents SPARQL constraint); no shape uses an
inverse path. A focus node's *fingerprint* hashes exactly that
neighbourhood (with the shapes' digest), so a node whose fingerprint passed before passes again.
:class:`ValidatedCache` keeps the fingerprints of nodes that passed, and only the other focus nodes are
given to pySHACL (its ``focus_nodes``). A rebuild after editing one document validates that document's
nodes (and whatever points at a node whose type changed), not the whole corpus.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyshacl
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF
from rdflib.term import Node

from ingest.errors import ValidationError
from ingest.sqlitecache import SqliteCache
from ontology import SG, SH, SHAPES_FILE, resource_path


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    message: str
    shape: str | None
    where: str | None
    """``file:line`` of the focus node's source span, when the node has one."""

    def __str__(self) -> str:
        loc = f" ({self.where})" if self.where else ""
        path = f" {self.path}" if self.path else ""
        return f"{self.focus}{loc}:{path} {self.message} [shape {self.shape}]"


def load_shapes() -> Graph:
    return Graph().parse(resource_path(SHAPES_FILE), format="turtle")


def shapes_digest(shapes: Graph) -> str:
    """Identifies the rules a fingerprint was validated against: the shapes graph (canonicalised, so blank
    node labels do not matter) and pySHACL's version."""
    lines = sorted(to_canonical_graph(shapes).serialize(format="nt").splitlines())
    h = hashlib.sha256("\n".join(lines).encode())
    h.update(f"\0{pyshacl.__version__}".encode())
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


def visible_triples(data: Graph, node: Node, deep: frozenset[Node]) -> Iterator[tuple[Node, Node, Node]]:
    """What the shapes can see from ``node``: its triples; the whole description of the values of ``deep``
    predicates and of blank-node values (recursively); the ``rdf:type`` and ``sg:inDocument`` of other IRIs."""
    seen: set[Node] = set()

    def walk(subject: Node, depth: int) -> Iterator[tuple[Node, Node, Node]]:
        seen.add(subject)
        for p, o in data.predicate_objects(subject):
            yield subject, p, o
            if (isinstance(o, BNode) or p in deep) and not isinstance(o, Literal) and o not in seen and depth < 8:
                yield from walk(o, depth + 1)
            elif isinstance(o, URIRef):
                for q in (RDF.type, SG.inDocument):
                    for v in data.objects(o, q):
                        yield o, q, v

    yield from walk(node, 0)


def fingerprint(data: Graph, node: Node, digest: str, deep: frozenset[Node]) -> bytes:
    """sha256 over the shapes' digest, ``node`` and its :func:`visible_triples` (blank nodes keep their
    labels, so a node with blank-node values is simply validated again in the next build)."""
    lines = sorted({f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in visible_triples(data, node, deep)})
    return hashlib.sha256(f"{digest}\n{node.n3()}\n".encode() + "\n".join(lines).encode()).digest()


def unvalidated(data: Graph, shapes: Graph, cache: ValidatedCache) -> dict[Node, bytes]:
    """The focus nodes of ``data`` whose fingerprint has not conformed before, with their fingerprints."""
    digest, deep = shapes_digest(shapes), deep_predicates(shapes)
    prints = {n: fingerprint(data, n, digest, deep) for n in target_nodes(data, shapes)}
    known = cache.known(prints.values())
    return {n: f for n, f in prints.items() if f not in known}


def find_violations(data: Graph, shapes: Graph | None = None, *, cache: ValidatedCache | None = None) -> list[Violation]:
    """Every SHACL violation of ``data``, each naming the focus node, its source line and the rule.

    With ``cache``, focus nodes whose fingerprint conformed before are not validated again: the others
    are validated on :func:`visible_subgraph` (pySHACL's own ``focus_nodes`` option is no substitute: it
    also filters the value nodes of nested shapes such as ``sh:node``, so their violations went unseen),
    and the fingerprints of those that conform are added.
    """
    shapes = shapes if shapes is not None else load_shapes()
    todo: dict[Node, bytes] | None = None
    target = data
    if cache is not None and not paths_are_predicates(shapes):
        cache = None  # an inverse or sequence path sees beyond the neighbourhood a fingerprint covers
    if cache is not None:
        todo = unvalidated(data, shapes, cache)
        if not todo:
            return []
        if len(todo) < len(target_nodes(data, shapes)):
            target = visible_subgraph(data, todo, shapes)
    rules = Graph()  # pySHACL adds to the shapes graph it is given; keep the caller's (and its digest) intact
    rules += shapes
    conforms, report, _ = shacl_validate(target, shacl_graph=rules, inference="none", advanced=False,
                                         allow_warnings=True)
    violations = [] if conforms else _violations(report, data)
    if todo is not None:
        if target is not data:  # targets seen here only as values lack their own triples: not judged
            outside = {str(n) for n in target_nodes(target, shapes)} - {str(n) for n in todo}
            violations = [v for v in violations if v.focus not in outside]
        failed = {v.focus for v in violations}
        assert cache is not None
        cache.add(f for n, f in todo.items() if str(n) not in failed)
    return violations


def visible_subgraph(data: Graph, nodes: Iterable[Node], shapes: Graph) -> Graph:
    """The union of the :func:`visible_triples` of ``nodes``: enough to validate them and only them."""
    sub = Graph()
    deep = deep_predicates(shapes)
    for node in nodes:
        for triple in visible_triples(data, node, deep):
            sub.add(triple)
    return sub


def _where(data: Graph, focus: URIRef) -> str | None:
    span = data.value(focus, SG.sourceSpan)
    if span is None:
        return None
    file, line = data.value(span, SG.sourceFile), data.value(span, SG.startLine)
    return f"{file}:{line}" if file is not None else None


def _violations(report: object, data: Graph) -> list[Violation]:
    assert isinstance(report, Graph)
    out: list[Violation] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        if severity is not None and severity != SH.Violation:
            continue
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        msg = report.value(result, SH.resultMessage)
        shape = report.value(result, SH.sourceShape)
        out.append(Violation(
            focus=str(focus), path=data.namespace_manager.normalizeUri(path) if isinstance(path, URIRef) else None,
            message=str(msg) if msg is not None else "constraint violated",
            shape=str(shape) if shape is not None else None,
            where=_where(data, focus) if isinstance(focus, URIRef) else None,
        ))
    out.sort(key=lambda v: (v.focus, v.path or "", v.message))
    return out


def validate_graph(data: Graph, shapes: Graph | None = None, show: int = 10, *,
                   cache: ValidatedCache | None = None) -> None:
    """Raise ``ValidationError`` naming the offending nodes and rules when ``data`` does not conform."""
    violations = find_violations(data, shapes, cache=cache)
    if violations:
        lines = "\n  ".join(str(v) for v in violations[:show])
        more = f"\n  … and {len(violations) - show} more" if len(violations) > show else ""
        raise ValidationError(
            f"graph does not conform to {SHAPES_FILE}: {len(violations)} violation(s)\n  {lines}{more}"
        )
