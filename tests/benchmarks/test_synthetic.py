"""The synthetic national corpus generator (benchmarks/synthetic.py): what it writes must go through the real
manifest loader and layout parsers and give the nodes it promises. Correctness only, never timings."""

from __future__ import annotations

import collections
import hashlib
import re
from pathlib import Path

import pytest

from benchmarks.synthetic import LAYOUTS, MUNICIPALITIES, generate, queries
from ingest.build import build_records, parse_corpus
from ingest.graph import build_graph
from ingest.manifest import load_manifest
from ingest.parse import LAYOUTS as KNOWN_LAYOUTS

REAL_IDS = {"slagelse-2024-2030", "faxe-strategi", "slagelse-2014", "slagelse-2015-opfoelgning", "slagelse-2019"}


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.iterdir()):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return generate(tmp_path_factory.mktemp("syn") / "corpora", 3000, seed=3)


@pytest.fixture(scope="module")
def parsed(corpus):  # type: ignore[no-untyped-def]
    manifest = load_manifest(corpus.root, layouts=frozenset(KNOWN_LAYOUTS))
    docs = parse_corpus(manifest)
    _, nodes = build_records(manifest, docs)
    return manifest, docs, nodes


def test_the_98_municipalities() -> None:
    assert len(MUNICIPALITIES) == 98
    keys = [m[0] for m in MUNICIPALITIES]
    codes = [m[3] for m in MUNICIPALITIES]
    assert len(set(keys)) == 98 and len(set(codes)) == 98
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", k) for k in keys)
    assert all(re.fullmatch(r"\d{3}", c) for c in codes)
    assert all(name.endswith(("Kommune", "Regionskommune")) for _, name, _, _ in MUNICIPALITIES)
    names = {m[0]: m[1] for m in MUNICIPALITIES}
    assert names["slagelse"] == "Slagelse Kommune" and names["faxe"] == "Faxe Kommune"
    assert names["koebenhavn"] == "Københavns Kommune" and names["aarhus"] == "Aarhus Kommune"


def test_manifest_loads_with_the_real_loader(corpus, parsed) -> None:  # type: ignore[no-untyped-def]
    manifest, _, _ = parsed
    assert len(manifest.municipalities) == 98
    ids = [d.id for d in manifest.documents]
    assert set(ids) >= REAL_IDS, "the bundled documents are copied in by default"
    assert len(ids) == len(corpus.documents) + len(REAL_IDS)
    assert {d.layout for d in manifest.documents if d.id not in REAL_IDS} == set(LAYOUTS)
    for doc in manifest.documents:
        assert (corpus.root / doc.file).is_file()


def test_every_document_parses_into_the_promised_nodes(corpus, parsed) -> None:  # type: ignore[no-untyped-def]
    _, _, nodes = parsed
    per_doc = collections.Counter(n.doc for n in nodes)
    for doc in corpus.documents:
        assert per_doc[doc.id] == doc.expected_nodes, (doc.id, doc.layout)
    assert len(nodes) == corpus.expected_nodes
    assert abs(len(nodes) - 3000) <= 0.05 * 3000


def test_the_layouts_give_their_node_kinds(corpus, parsed) -> None:  # type: ignore[no-untyped-def]
    _, _, nodes = parsed
    layout_of = {d.id: d.layout for d in corpus.documents}
    kinds: dict[str, set[str]] = collections.defaultdict(set)
    for n in nodes:
        if n.doc in layout_of:
            kinds[layout_of[n.doc]].add(n.type)
    assert {"Vision", "Section", "Track", "Statement", "Passage"} <= kinds["markdown-tracks"]
    assert {"Section", "Bearing", "Principle", "Statement", "Motto"} <= kinds["markdown-bearings"]
    assert {"Section", "Vision", "Bearing", "Statement", "Passage"} <= kinds["plain-bearings"]
    assert {"Section", "FocusArea", "Goal", "Activity", "StatusReport"} <= kinds["followup-table"]


def test_texts_are_clean_short_and_localised(corpus, parsed) -> None:  # type: ignore[no-untyped-def]
    _, _, nodes = parsed
    synthetic = {d.id: d for d in corpus.documents}
    names = {m[0]: m[1] for m in MUNICIPALITIES}
    for n in nodes:
        if n.doc not in synthetic:
            continue
        assert n.text and n.text == n.text.strip()
        assert not re.search(r"\*\*|<[a-z/]|\t|▶", n.text), n.text
        if n.type == "Statement":
            assert len(n.text) <= 260, n.text
        muni = synthetic[n.doc].municipality
        if muni not in ("slagelse", "faxe"):
            assert "Slagelse" not in n.text and "Faxe" not in n.text, n.text
    for doc in corpus.documents:
        if doc.layout == "markdown-tracks":
            assert names[doc.municipality] in doc.text


def test_several_documents_per_municipality_and_recombined_texts(tmp_path: Path) -> None:
    c = generate(tmp_path / "c", 6000, seed=5, include_real=False)
    per_muni = collections.Counter(d.municipality for d in c.documents)
    assert len(per_muni) == 98 and min(per_muni.values()) >= 2
    manifest = load_manifest(c.root, layouts=frozenset(KNOWN_LAYOUTS))
    _, nodes = build_records(manifest, parse_corpus(manifest))
    statements = [n.text for n in nodes if n.type == "Statement"]
    assert len(set(statements)) > 0.5 * len(statements), "statements are recombined, not copied"
    assert not any(d.id in REAL_IDS for d in manifest.documents)


def test_follow_up_reports_link_their_focus_areas(corpus, parsed) -> None:  # type: ignore[no-untyped-def]
    from ontology import SG

    manifest, docs, _ = parsed
    pairs = [d for d in corpus.documents if d.follows_up]
    assert pairs, "some municipalities get a 2014 report followed up in 2015"
    assert all(d.year == 2015 and d.layout == "followup-table" for d in pairs)
    graph = build_graph(manifest, docs)
    linked = {str(s).split("/id/")[1].split("/")[0] for s, _, _ in graph.triples((None, SG.followsUp, None))}
    assert {d.id for d in pairs} & linked


def test_generation_is_deterministic(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", 800, seed=9, include_real=False)
    b = generate(tmp_path / "b", 800, seed=9, include_real=False)
    c = generate(tmp_path / "c", 800, seed=10, include_real=False)
    assert _digest(a.root) == _digest(b.root)
    assert _digest(a.root) != _digest(c.root)


def test_queries_are_distinct_and_deterministic() -> None:
    qs = queries(500, seed=1)
    assert len(qs) == 500 and len(set(qs)) == 500
    assert qs == queries(500, seed=1)
    assert all(q.strip() and len(q) < 120 for q in qs)


def test_bad_size_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate(tmp_path / "x", 0)
