"""One loaded build generation: records, vectors, indexes and the embedder that must match them.

Everything here is read-only once loaded, so requests on different threads share it without locks;
a rebuild loads a new Generation and swaps the reference.
"""

from __future__ import annotations

import gc
import json
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pyoxigraph

from ingest.analyse import ANALYSIS_FILE, ANALYSIS_INDEX_FILE, read_analysis_part
from ingest.build import current_generation, load_records, read_build_manifest
from ingest.embed.base import Embedder
from ingest.errors import BuildError
from ingest.index.stage import Indexes, load_indexes
from ingest.records import DocumentRecord, NodeRecord


class ModelMismatchError(BuildError):
    """The build was embedded with another model than the service is configured to use."""


class LRU:
    """A small thread-safe LRU cache."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: Any) -> Any:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        return None

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


@dataclass
class Generation:
    path: Path
    manifest: dict[str, Any]
    documents: dict[str, DocumentRecord]
    nodes: list[NodeRecord]
    vectors: np.ndarray
    indexes: Indexes
    embedder: Embedder
    store: pyoxigraph.Store
    """Read-only Oxigraph store of the generation's graph, answering SPARQL."""
    position: dict[str, int] = field(init=False)
    descendants: list[list[int]] = field(init=False)
    doc_of: np.ndarray = field(init=False)
    ancestor_positions: list[list[int]] = field(init=False)
    """Per node: positions of its ancestors below the document, root first (the inverse of ``descendants``)."""
    doc_list: list[DocumentRecord] = field(init=False)
    """The documents in order; document index ``d`` of ``doc_of`` is ``doc_list[d]``."""
    municipality_keys: frozenset[str] = field(init=False)
    analysis: Mapping[str, Any] = field(default_factory=dict)
    """Topics and overlaps computed at build time (analysis.json), when the build has them; each entry read
    on first use (:class:`LazyAnalysis`)."""
    query_cache: LRU = field(default_factory=lambda: LRU(2048))
    result_cache: LRU = field(default_factory=lambda: LRU(2048))
    json_cache: LRU = field(default_factory=lambda: LRU(2048))
    """Serialised /search responses by parameters: a repeated query is answered without a thread hop."""
    mask_cache: LRU = field(init=False, default_factory=lambda: LRU(256))
    """Document-filter masks over the nodes (read-only arrays) and the row selections of whole filters
    (``service.search.selection_for``), keyed by the filter values."""
    row_cache: LRU = field(init=False, default_factory=lambda: LRU(20_000))
    """Per node IRI: the document, ancestor and source parts of its search result rows."""
    json_rows: LRU = field(init=False, default_factory=lambda: LRU(20_000))
    """Per node IRI: the JSON of its search result rows around score, evidence and highlights
    (``service.search.result_json``)."""

    def __post_init__(self) -> None:
        self.position = {n.id: i for i, n in enumerate(self.nodes)}
        self.descendants = [[] for _ in self.nodes]
        self.ancestor_positions = []
        for i, node in enumerate(self.nodes):
            ups = [self.position[anc.id] for anc in node.ancestors[1:]]
            self.ancestor_positions.append(ups)
            for a in ups:
                self.descendants[a].append(i)
        self.doc_list = list(self.documents.values())
        doc_index = {doc_id: d for d, doc_id in enumerate(self.documents)}
        self.doc_of = np.array([doc_index[n.doc] for n in self.nodes], dtype=np.int32)
        self.municipality_keys = frozenset(d.municipality for d in self.doc_list)

    @property
    def build_id(self) -> str:
        return str(self.manifest["build_id"])

    @property
    def model(self) -> str:
        return str(self.manifest["embedder"]["name"])

    @cached_property
    def triple_count(self) -> int:
        """Triples in the graph store, counted once: the store does not change, and counting scans it (about
        0.1 s per million triples, measured with pyoxigraph)."""
        return len(self.store)

    def node(self, iri: str) -> NodeRecord | None:
        pos = self.position.get(iri)
        return None if pos is None else self.nodes[pos]

    def topics_of(self, iri: str) -> list[dict[str, Any]]:
        return list(self.analysis.get("topics_by_node", {}).get(iri, []))

    def overlaps_of(self, iri: str) -> list[dict[str, Any]]:
        return list(self.analysis.get("overlaps_by_node", {}).get(iri, []))

    @cached_property
    def _type_codes(self) -> tuple[np.ndarray, dict[str, int]]:
        """Each node's type as a small integer, and the code of each type name (for type masks)."""
        codes: dict[str, int] = {}
        per_node = np.fromiter((codes.setdefault(n.type, len(codes)) for n in self.nodes), dtype=np.int32,
                               count=len(self.nodes))
        return per_node, codes

    def type_mask(self, types: frozenset[str]) -> np.ndarray:
        """Boolean mask over nodes whose type is one of ``types`` (a filter of the search)."""
        per_node, codes = self._type_codes
        wanted = np.array([codes[t] for t in types if t in codes], dtype=np.int32)
        return np.isin(per_node, wanted)

    def embed_query(self, text: str) -> np.ndarray:
        """The query's vector, from the per-generation cache when it was asked before."""
        cached = self.query_cache.get(text)
        if cached is None:
            cached = self.embedder.embed_queries([text])[0]
            self.query_cache.put(text, cached)
        return cached


class LazyAnalysis(Mapping[str, Any]):
    """A generation's analysis.json as a read-only mapping whose entries are parsed on first use, each alone
    (from the byte ranges of analysis-index.json): at national scale the file is 2 GB and some 8 GB parsed,
    while a search needs at most the topics. An entry read is kept, and moved out of the garbage collector's
    way like the rest of the generation (``service.state.settle_heap``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        index_file = folder / ANALYSIS_INDEX_FILE
        try:
            self._parts: dict[str, list[int]] = json.loads(index_file.read_text(encoding="utf-8"))["parts"]
        except (OSError, ValueError, KeyError) as exc:
            raise BuildError(f"analysis index unreadable: {exc}", file=index_file) from exc
        self._loaded: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __getitem__(self, key: str) -> Any:
        found = self._loaded.get(key, _MISSING)
        if found is not _MISSING:
            return found
        if key not in self._parts:
            raise KeyError(key)
        with self._lock:
            if key not in self._loaded:
                try:
                    value = read_analysis_part(self.folder, self._parts, key)
                except (OSError, ValueError) as exc:
                    raise BuildError(f"analysis entry {key!r} unreadable: {exc}",
                                     file=self.folder / ANALYSIS_FILE) from exc
                self._loaded[key] = value
                gc.freeze()  # long-lived from now on: later collections skip it
            return self._loaded[key]

    def __contains__(self, key: object) -> bool:
        return key in self._parts

    def __iter__(self) -> Iterator[str]:
        return iter(self._parts)

    def __len__(self) -> int:
        return len(self._parts)


_MISSING = object()


def load_generation(path: Path, embedder: Embedder, verify: bool = True) -> Generation:
    """Load a generation folder; refuse corrupt files and a build embedded with a different model."""
    manifest = read_build_manifest(path, verify=verify)
    built_with = manifest["embedder"]["name"]
    if built_with != embedder.name:
        raise ModelMismatchError(
            f"the index was built with embedder {built_with!r} but the service is configured with "
            f"{embedder.name!r}; rebuild with `strategigraf ingest --embedder ...` or change "
            "STRATEGIGRAF_EMBEDDER", file=path / "manifest.json")
    documents, nodes = load_records(path)
    try:
        vectors = np.load(path / "vectors.npy")
    except (OSError, ValueError) as exc:
        raise BuildError(f"vectors unreadable: {exc}", file=path / "vectors.npy") from exc
    indexes = load_indexes(path, dim=int(manifest["embedder"]["dim"]))
    if indexes.vector.ntotal != len(nodes) or vectors.shape[0] != len(nodes):
        raise BuildError(f"index holds {indexes.vector.ntotal} vectors for {len(nodes)} nodes",
                         file=path / "index.faiss")
    analysis: Mapping[str, Any] = {}
    if (path / ANALYSIS_INDEX_FILE).is_file():
        analysis = LazyAnalysis(path)
    elif (path / ANALYSIS_FILE).is_file():
        analysis = json.loads((path / ANALYSIS_FILE).read_text(encoding="utf-8"))
    store = pyoxigraph.Store()
    try:
        store.bulk_load(path=str(path / "graph.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    except (OSError, SyntaxError, ValueError) as exc:
        raise BuildError(f"graph unreadable: {exc}", file=path / "graph.nt") from exc
    gen = Generation(path=path, manifest=manifest, documents={d.id: d for d in documents}, nodes=nodes,
                     vectors=vectors, indexes=indexes, embedder=embedder, store=store,
                     analysis=analysis)
    return gen  # the service freezes it out of the collector's reach when it goes live (service.state.settle_heap)


def load_current(build_dir: Path, embedder: Embedder, verify: bool = True) -> Generation:
    gen = current_generation(build_dir)
    if gen is None:
        raise BuildError("no build found: run `strategigraf ingest`", file=build_dir)
    return load_generation(gen, embedder, verify=verify)
