"""The synthetic national corpus generator (benchmarks/synthetic.py): what it writes must go through the real
manifest loader and the one structure reader and give the nodes of each class it promises, in every text style.
Correctness only, never timings."""

from __future__ import annotations

import collections
import hashlib
import re
from pathlib import Path

import pytest

from benchmarks.synthetic import MUNICIPALITIES, STYLES, generate, queries
from ingest.build import build_records, parse_corpus
from ingest.graph import build_graph
from ingest.manifest import load_manifest

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
    manifest = load_manifest(corpus.root)
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
    assert "layout" not in (corpus.root / "manifest.toml").read_text(encoding="utf-8")
    assert {d.style for d in corpus.documents} == set(STYLES)
    for doc in manifest.documents:
        assert (corpus.root / doc.file).is_file()


def test_the_reader_recovers_the_classes_each_document_was_written_with(corpus, parsed) -> None:  # type: ignore[no-untyped-def]
    _, _, nodes = parsed
    per_doc: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for n in nodes:
        per_doc[n.doc][n.type] += 1
    wrong = {doc.id: (doc.style, dict(per_doc[doc.id] - doc.expected), dict(doc.expected - per_doc[doc.id]))
             for doc in corpus.documents if per_doc[doc.id] != doc.expected}
    assert wrong == {}, "(style, recognised but not written, written but not recognised)"
    assert len(nodes) == corpus.expected_nodes
    assert abs(len(nodes) - 3000) <= 0.05 * 3000


def test_each_style_gives_its_node_kinds(corpus, parsed) -> None:  # type: ignore[no-untyped-def]
    _, _, nodes = parsed
    style_of = {d.id: d.style for d in corpus.documents}
    kinds: dict[str, set[str]] = collections.defaultdict(set)
    for n in nodes:
        if n.doc in style_of:
            kinds[style_of[n.doc]].add(n.type)
    assert {"Vision", "Section", "Track", "Statement", "Passage"} <= kinds["markdown-tracks"]
    assert {"Section", "Bearing", "Principle", "Statement", "Motto"} <= kinds["markdown-bearings"]
    assert {"Section", "Vision", "Bearing", "Statement", "Passage"} <= kinds["plain-bearings"]
    assert {"Section", "FocusArea", "Goal", "Activity", "StatusReport"} <= kinds["followup-table"]
    assert {"Section", "FocusArea", "Goal", "Activity", "Passage"} <= kinds["markdown-themes"]
    assert {"Section", "FocusArea", "Statement", "Passage"} <= kinds["pdftotext-numbered"]


def test_the_styles_are_read_as_their_formats(corpus, parsed) -> None:  # type: ignore[no-untyped-def]
    _, docs, _ = parsed
    formats: dict[str, set[str]] = collections.defaultdict(set)
    for doc in corpus.documents:
        formats[doc.style].add(docs[doc.id].format)
    assert formats == {"markdown-tracks": {"markdown"}, "markdown-bearings": {"markdown"},
                       "plain-bearings": {"text"}, "followup-table": {"text"}, "markdown-themes": {"markdown"},
                       "pdftotext-numbered": {"pdftotext"}}


def test_pdftotext_pages_headers_and_hyphens(corpus, parsed) -> None:  # type: ignore[no-untyped-def]
    """Running headers and page numbers make no text of any node; a word hyphenated across a line end is
    one word again; the nodes carry the pages they stand on."""
    _, docs, nodes = parsed
    printed = [d for d in corpus.documents if d.style == "pdftotext-numbered"]
    texts = {n.doc: [] for n in nodes}
    for n in nodes:
        texts[n.doc].append(n.text)
    hyphenated = 0
    for doc in printed:
        joined = "\n".join(texts[doc.id])
        assert "Side " not in joined and "·" not in joined and "....." not in joined, doc.id
        header = doc.text.split("\f")[1].split("\n")[0]
        assert header not in joined, doc.id
        for m in re.finditer(r"([^\W\d_]+)-\n([^\W\d_]+)", doc.text):
            hyphenated += 1
            assert m.group(1) + m.group(2) in joined, (doc.id, m.group(0))
        assert len(docs[doc.id].page_starts) == doc.text.count("\f") + 1
    assert hyphenated > 0
    pages = [n.source.page for n in nodes if n.doc in {d.id for d in printed}]
    assert None not in pages and max(pages) > 4


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
        if doc.style == "markdown-tracks":
            assert names[doc.municipality] in doc.text


def test_several_documents_per_municipality_and_recombined_texts(tmp_path: Path) -> None:
    c = generate(tmp_path / "c", 6000, seed=5, include_real=False)
    per_muni = collections.Counter(d.municipality for d in c.documents)
    assert len(per_muni) == 98 and min(per_muni.values()) >= 2
    manifest = load_manifest(c.root)
    _, nodes = build_records(manifest, parse_corpus(manifest))
    statements = [n.text for n in nodes if n.type == "Statement"]
    assert len(set(statements)) > 0.5 * len(statements), "statements are recombined, not copied"
    assert not any(d.id in REAL_IDS for d in manifest.documents)


def test_follow_up_reports_link_their_focus_areas(corpus, parsed) -> None:  # type: ignore[no-untyped-def]
    from ontology import SG

    manifest, docs, _ = parsed
    pairs = [d for d in corpus.documents if d.follows_up]
    assert pairs, "some municipalities get a 2014 report followed up in 2015"
    assert all(d.year == 2015 and d.style == "followup-table" for d in pairs)
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
