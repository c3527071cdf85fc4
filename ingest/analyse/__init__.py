"""The analyse stage of a build: topics, overlaps and lineage computed from the nodes and their vectors,
returned as extra triples for the graph and as the generation's analysis.json.

* :mod:`ingest.analyse.topic_tagging`   every node tagged with the topics of ontology/topics.ttl
* :mod:`ingest.analyse.overlap_detection` statements, principles, tracks … of different documents that say the same
* :mod:`ingest.analyse.candidates` which pairs of units the overlaps score (nearest neighbours in other
  documents from a FAISS index), so the stage grows with the number of nodes, not of document pairs
* :mod:`ingest.analyse.lineage`  themes carried over, new and dropped within a municipality; follow-ups
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, cast

import numpy as np
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ingest.analyse import lineage, overlap_detection, topic_tagging
from ingest.analyse.triples import TripleLines, term_nt
from ingest.embed.base import Embedder
from ingest.index.lexical import CompoundSplitter
from ingest.records import DocumentRecord, NodeRecord
from ingest.validate import Rules, ValidatedCache

ANALYSIS_FILE = "analysis.json"
ANALYSIS_INDEX_FILE = "analysis-index.json"
"""Where each top-level entry of analysis.json lies in it (byte ranges): for loading one entry alone."""
ANALYSIS_FORMAT = 2
"""2: container_scores rows are [a, b, score, content, coverage, topics, aligned] (content-based scores)."""

__all__ = ["ANALYSIS_FILE", "ANALYSIS_INDEX_FILE", "AnalysisResult", "TripleLines", "analyse", "lineage",
           "overlap_detection", "read_analysis_part", "run_analysis", "topic_tagging", "validate_analysis"]


@dataclass
class AnalysisResult:
    triples: TripleLines
    """The triples the analysis adds: the topic scheme, topic assignments, overlaps, carries-over links."""
    payload: dict[str, Any]
    """Content of analysis.json."""
    manifest: dict[str, Any] = field(default_factory=dict)
    """Parameters and counts for the build manifest's "analysis" entry."""

    def write(self, folder: Path) -> Path:
        """Write the payload as ``folder/analysis.json``: compact JSON (no indentation: at national scale the
        file is hundreds of MB, a third of it white space, and only the compact form is encoded in C),
        streamed (:func:`write_json`); and ``folder/analysis-index.json``, where each top-level entry's value
        lies in it (byte range), so a reader can load one entry without the others (the service loads each
        on first use: at 100k nodes the whole file is 2 GB, some 8 GB once parsed)."""
        path = folder / ANALYSIS_FILE
        with path.open("wb") as f:
            parts = write_json(f, self.payload)
        index = {"file": ANALYSIS_FILE, "parts": parts}
        (folder / ANALYSIS_INDEX_FILE).write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
        return path


class _Counted:
    """A binary file written as UTF-8 text, counting the bytes."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.at = 0

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.raw.write(data)
        self.at += len(data)


def write_json(raw: BinaryIO, payload: dict[str, Any], batch: int = 10_000) -> dict[str, list[int]]:
    """``json.dumps(payload, ensure_ascii=False, separators=(",", ":"))`` written to ``raw`` as UTF-8, a batch
    of ``batch`` items of each top-level list or object at a time: the same text without holding it whole
    (2 GB at 100k nodes, twice over while encoded). Returns each top-level key's value's byte range
    ``[start, end)`` in the file."""

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    out = _Counted(raw)
    parts: dict[str, list[int]] = {}
    out.write("{")
    for k, (key, value) in enumerate(payload.items()):
        out.write(("," if k else "") + dumps(key) + ":")
        begins = out.at
        if isinstance(value, list):
            out.write("[")
            for first_item in range(0, len(value), batch):
                items = [dumps(v) for v in value[first_item : first_item + batch]]
                out.write(("," if first_item else "") + ",".join(items))
            out.write("]")
        elif isinstance(value, dict):
            out.write("{")
            pairs = iter(value.items())
            first = True
            while part := list(itertools.islice(pairs, batch)):
                out.write(("" if first else ",") + ",".join(f"{dumps(a)}:{dumps(b)}" for a, b in part))
                first = False
            out.write("}")
        else:
            out.write(dumps(value))
        parts[str(key)] = [begins, out.at]
    out.write("}")
    return parts


def read_analysis_part(folder: Path, parts: dict[str, list[int]], key: str) -> Any:
    """One top-level entry of ``folder/analysis.json``, parsed from its byte range (``parts``: the index
    :meth:`AnalysisResult.write` wrote)."""
    start, end = parts[key]
    with (folder / ANALYSIS_FILE).open("rb") as f:
        f.seek(start)
        return json.loads(f.read(end - start))


def topic_parameters() -> dict[str, Any]:
    t = topic_tagging
    return {"lexical_word": t.LEXICAL_WORD, "lexical_part": t.LEXICAL_PART, "embed_z": t.EMBED_Z,
            "embed_top": t.EMBED_TOP, "min_confidence": t.MIN_CONFIDENCE, "max_gap": t.MAX_GAP,
            "child_min": t.CHILD_MIN, "child_share": round(t.CHILD_SHARE, 4)}


def run_analysis(documents: list[DocumentRecord], nodes: list[NodeRecord], vectors: np.ndarray, graph: Graph,
                 embedder_spec: str, cache_dir: Path, splitter: CompoundSplitter | None = None,
                 params: overlap_detection.OverlapParams = overlap_detection.DEFAULT_PARAMS,
                 embedder: Embedder | None = None) -> AnalysisResult:
    """Tag topics, align documents, trace lineage. ``graph`` is only read (for sg:followsUp links).

    Embeds what the analysis needs beyond the node vectors (topic texts, sentences of multi-sentence
    units; through the embedding cache), then runs :func:`analyse`."""
    from ingest.embed.cache import EmbeddingCache, embed_queries_cached
    from ingest.embed.factory import create_embedder
    from ingest.index.stage import lexical_text

    started = time.perf_counter()
    embedder = embedder or create_embedder(embedder_spec)
    cache_dir.mkdir(parents=True, exist_ok=True)
    splitter = splitter or CompoundSplitter.from_texts([lexical_text(n) for n in nodes])
    scheme = topic_tagging.load_topics()
    units = overlap_detection.alignment_units(nodes)
    with EmbeddingCache(cache_dir / "embeddings.sqlite") as cache:
        topic_vectors, computed_topics = embed_queries_cached(embedder, [t.embedding_text() for t in scheme], cache)
        unit_vectors, computed_units = overlap_detection.embed_units(units, vectors, embedder, cache)
    embedded = {"topics": computed_topics, "sentences": computed_units}
    timings = {"embed": round(time.perf_counter() - started, 3)}
    return analyse(documents, nodes, vectors, graph, embedder.name, scheme, topic_vectors, units, unit_vectors,
                   splitter, params, embedded=embedded, timings=timings)


def analyse(documents: list[DocumentRecord], nodes: list[NodeRecord], vectors: np.ndarray, graph: Graph,
            model: str, scheme: list[topic_tagging.Topic], topic_vectors: np.ndarray, units: list[overlap_detection.Unit],
            unit_vectors: np.ndarray, splitter: CompoundSplitter,
            params: overlap_detection.OverlapParams = overlap_detection.DEFAULT_PARAMS, *, embedded: dict[str, int] | None = None,
            timings: dict[str, float] | None = None) -> AnalysisResult:
    """The analysis proper, from vectors already computed; the manifest's ``timings_s`` has each step."""
    timings = dict(timings or {})
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        timings[name] = round(now - clock[0], 3)
        clock[0] = now

    tags = topic_tagging.tag_nodes(nodes, vectors, scheme, topic_vectors, splitter)
    tags_by_node = topic_tagging.by_node(tags)
    lap("topics")
    result = overlap_detection.align(nodes, units, unit_vectors, tags_by_node, splitter, params)
    lap("align")
    listed, container_pairs = overlap_detection.build_overlaps(nodes, result, tags_by_node, vectors, params)
    lap("overlaps")
    partners = overlap_detection.partner_map((al.a, al.b, al.score) for al in result.alignments)
    scores = overlap_detection.pair_scores(container_pairs)
    index = lineage.NodeIndex.of(nodes)
    carries = lineage.carries_over_pairs(documents, nodes, partners, scores, params.container_threshold, index)
    follow_ups = []
    known = {d.id for d in documents}
    for doc in documents:
        for followed in doc.relations.get("follows_up", []):
            if followed in known:
                items = lineage.follow_up(nodes, followed, doc.id, scores, params.container_threshold, graph, index)
                follow_ups.append({"report": doc.id, "followed": followed,
                                   "goals": lineage.follow_up_payload(nodes, items)})
    lap("lineage")

    added = TripleLines.of(topic_tagging.topic_scheme_graph())
    n_tags = topic_tagging.topic_triples(added, tags, scheme, model)
    sink = cast(Graph, added)  # the two functions only call add(); their annotation could be TripleSink
    n_overlaps = overlap_detection.overlap_triples(sink, listed, {t.id: t.iri for t in scheme}, model)
    n_carries = lineage.carries_over_triples(sink, nodes, carries)

    by_node: dict[str, list[dict[str, Any]]] = {}
    for o in listed:
        for me, other in ((o.a, o.b), (o.b, o.a)):
            by_node.setdefault(me, []).append({"node": other, "overlap": o.id, "score": o.score, "method": o.method,
                                               "kind": o.kind})
    payload: dict[str, Any] = {
        "format": ANALYSIS_FORMAT,
        "model": model,
        "parameters": {"overlaps": params.as_dict(), "topics": topic_parameters()},
        "topics": topic_tagging.topics_payload(scheme),
        "topics_by_node": topic_tagging.tags_payload(tags, scheme),
        "overlaps": [o.as_dict() for o in listed],
        "overlaps_by_node": by_node,
        "alignments": [[nodes[al.a].id, nodes[al.b].id, al.score] for al in result.alignments],
        "container_scores": [[nodes[p.a].id, nodes[p.b].id, p.score, p.content, p.coverage, p.topics, p.aligned]
                             for p in container_pairs],
        "carries_over": [[nodes[later].id, nodes[earlier].id, s] for later, earlier, s in carries],
        "follow_ups": follow_ups,
    }
    lap("output")
    manifest = {
        "parameters": payload["parameters"],
        "threshold_calibrated_on": "tests/data/eval/dev_overlaps.json",
        "embedded": embedded or {},
        "candidates": result.candidates,
        "counts": {"topic_assignments": n_tags, "overlaps": n_overlaps,
                   "alignments": len(result.alignments), "container_overlaps":
                   sum(1 for o in listed if o.kind == overlap_detection.KIND_CONTAINER), "carries_over": n_carries,
                   "units": len(units)},
        "timings_s": timings,
    }
    return AnalysisResult(triples=added, payload=payload, manifest=manifest)


# --------------------------------------------------------------------------- validation
_ANALYSIS_CLASSES = ("Overlap", "TopicAssignment")
_TARGETS = ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode")
VALIDATION_CHUNK = 5_000
"""Overlaps and topic assignments per pyrudof run (its time and memory grow faster than the data)."""


def analysis_shapes(shapes_ttl: str | None = None) -> Graph:
    """ontology/shapes.ttl (or the shapes in Turtle ``shapes_ttl``) with only the shapes that target sg:Overlap
    and sg:TopicAssignment active (the targets of every other shape removed; untargeted shapes apply only where
    referenced)."""
    from ingest.validate import load_shapes
    from ontology import SG, SH

    shapes = load_shapes() if shapes_ttl is None else Graph().parse(data=shapes_ttl, format="turtle")
    keep = {s for cls in _ANALYSIS_CLASSES for s in shapes.subjects(SH.targetClass, SG[cls])}
    for name in _TARGETS:
        for s, o in list(shapes.subject_objects(SH[name])):
            if s not in keep:
                shapes.remove((s, SH[name], o))
    return shapes


@functools.lru_cache(maxsize=2)
def _analysis_rules(shapes_file_text: str) -> Rules:
    """:func:`analysis_shapes` with its Turtle and digest, once per content of the shapes file (shared: never
    changed)."""
    from ingest.validate import shapes_digest

    shapes = analysis_shapes(shapes_file_text)
    return Rules(graph=shapes, turtle=shapes.serialize(format="turtle"), digest=shapes_digest(shapes))


def validate_analysis(added: TripleLines, graph: Graph, cache: ValidatedCache | None = None, *,
                      chunk: int = VALIDATION_CHUNK) -> None:
    """SHACL-validate the analysis triples before they join ``graph``: every overlap and topic assignment
    against the Overlap and TopicAssignment shapes (no other shape constrains what the analysis adds), each
    with what those shapes can see besides its own triples, the type and document of the IRIs it points to
    (from ``added``, e.g. the topic scheme, and from ``graph``: the nodes). Raises ``ValidationError`` like the
    shacl stage.

    The lines go to pyrudof as N-Triples, ``chunk`` focus resources at a time (no rdflib graph of them is
    built); only a part that does not conform is parsed again to name its violations. With ``cache``, a
    resource whose fingerprint (the shapes, its own lines and what it sees) passed before is not validated
    again."""
    from ingest.validate import find_violations, ntriples_conform, refuse
    from ontology import SG, SHAPES_FILE, resource_path

    rules = _analysis_rules(resource_path(SHAPES_FILE).read_text(encoding="utf-8"))
    shapes, shapes_ttl, digest = rules.graph, rules.turtle, rules.digest
    seen_predicates = (RDF.type, SG.inDocument)
    heads = tuple(f"{term_nt(p)} " for p in seen_predicates)
    context: dict[str, list[str]] = {}

    def about(iri: str) -> list[str]:
        """The type and document lines of ``iri`` (N-Triples form): what a shape sees of a value."""
        if iri not in context:
            mine = [line for line in added.lines_of(iri) if line[len(iri) + 1:].startswith(heads)]
            term = URIRef(iri[1:-1])
            theirs = [f"{iri} {term_nt(p)} {term_nt(o)}" for p in seen_predicates for o in graph.objects(term, p)]
            context[iri] = list(dict.fromkeys(mine + theirs))
        return context[iri]

    def visible(subject: str) -> list[str]:
        out = dict.fromkeys(added.lines_of(subject))
        for line in list(out):
            value = line.split(" ", 2)[2]
            if value.startswith("<"):
                out.update(dict.fromkeys(about(value)))
        return list(out)

    focus = sorted(s for cls in _ANALYSIS_CLASSES for s in added.subjects_of_type(SG[cls]))
    sees = {s: visible(s) for s in focus}
    prints = {s: _fingerprint(digest, s, lines) for s, lines in sees.items()} if cache is not None else {}
    known = cache.known(prints.values()) if cache is not None else set()
    todo = [s for s in focus if prints.get(s) not in known]
    violations = []
    for i in range(0, len(todo), chunk):
        part = todo[i : i + chunk]
        text = "".join(f"{line} .\n" for line in dict.fromkeys(line for s in part for line in sees[s]))
        if not ntriples_conform(text, shapes_ttl):
            violations += find_violations(Graph().parse(data=text, format="nt"), shapes)
    if cache is not None:
        failed = {f"<{v.focus}>" for v in violations}
        cache.add(prints[s] for s in todo if s not in failed)
    refuse(sorted(violations, key=lambda v: (v.focus, v.path or "", v.rule, v.message)))


def _fingerprint(digest: str, subject: str, lines: list[str]) -> bytes:
    return hashlib.sha256(f"{digest}\n{subject}\n".encode() + "\n".join(sorted(lines)).encode()).digest()
