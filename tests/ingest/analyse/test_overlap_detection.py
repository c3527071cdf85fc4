"""Overlaps: the development pairs of tests/data/eval/dev_overlaps.json are all found at default settings,
the threshold calibration, the per-node cap (one cap for both kinds, at every level), container scores
measured against the judged pairs of tests/data/eval/own_overlaps.json, and the sg:Overlap resources in the
graph."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from ingest.analyse import overlap_detection as ov
from ingest.analyse.topic_tagging import by_node, load_topics, tag_nodes
from ontology.node_types import THEMATIC
from service.generation import Generation

EVAL_DIR = Path(__file__).resolve().parents[2] / "data" / "eval"


@pytest.fixture(scope="module")
def judged(generation: Generation) -> list[ov.JudgedPair]:
    """The container pairs of own_overlaps.json (judged by reading, before the container score was tuned) with
    what the build made of them."""
    path = EVAL_DIR / "own_overlaps.json"
    labels = json.loads(path.read_text(encoding="utf-8"))["pairs"]
    assert len(labels) >= 40
    return ov.judge_container_pairs(generation.nodes, labels, generation.analysis["container_scores"],
                                    generation.analysis["overlaps"])


@pytest.fixture(scope="module")
def dev_pairs() -> list[dict[str, str]]:
    path = EVAL_DIR / "dev_overlaps.json"
    if not path.is_file():
        pytest.fail(f"evaluation set missing: {path}")
    pairs: list[dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))["pairs"]
    assert pairs
    return pairs


def _listed(generation: Generation) -> list[ov.Overlap]:
    fields = set(ov.Overlap.__dataclass_fields__)
    return [ov.Overlap(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in o.items() if k in fields})
            for o in generation.analysis["overlaps"]]


def test_every_dev_pair_is_found_at_default_settings(generation: Generation, dev_pairs: list[dict[str, str]]) -> None:
    found = ov.evaluate_pairs(generation.nodes, _listed(generation), dev_pairs)
    missing = [p for p, ok in zip(dev_pairs, found, strict=True) if not ok]
    assert not missing, f"{len(missing)} of {len(dev_pairs)} dev pairs not found: {missing}"


def test_each_dev_fragment_names_a_node(generation: Generation, dev_pairs: list[dict[str, str]]) -> None:
    for pair in dev_pairs:
        assert ov.nodes_containing(generation.nodes, pair["a"]), pair["a"]
        assert ov.nodes_containing(generation.nodes, pair["b"]), pair["b"]


def test_calibration_keeps_the_default_threshold_below_the_calibrated_one(
        generation: Generation, build_dir: Path, dev_pairs: list[dict[str, str]]) -> None:
    from ingest.embed.cache import EmbeddingCache, embed_queries_cached
    from ingest.index.lexical import CompoundSplitter
    from ingest.index.stage import lexical_text

    nodes = generation.nodes
    splitter = CompoundSplitter.from_texts([lexical_text(n) for n in nodes])
    scheme = load_topics()
    with EmbeddingCache(build_dir / "cache" / "embeddings.sqlite") as cache:
        topic_vectors, _ = embed_queries_cached(generation.embedder, [t.embedding_text() for t in scheme], cache)
        units = ov.alignment_units(nodes)
        unit_vectors, computed = ov.embed_units(units, generation.vectors, generation.embedder, cache)
    assert computed == 0, "the build's cache holds every sentence already"
    tags = by_node(tag_nodes(nodes, generation.vectors, scheme, topic_vectors, splitter))
    best = ov.calibrate_threshold(nodes, units, unit_vectors, tags, dev_pairs, splitter,
                                  grid=(0.45, ov.DEFAULT_PARAMS.threshold, 0.60, 0.70), node_vectors=generation.vectors)
    assert best is not None and best >= ov.DEFAULT_PARAMS.threshold
    assert best < 0.70, "a threshold that high would mean the dev pairs are trivially easy"


def _partners_per_other_document(generation: Generation) -> Counter[tuple[str, str]]:
    """(node, other document) → listed overlaps of the node in that document, of either kind."""
    count: Counter[tuple[str, str]] = Counter()
    for o in generation.analysis["overlaps"]:
        a, b = generation.node(o["a"]), generation.node(o["b"])
        assert a is not None and b is not None and a.doc != b.doc
        count[(a.id, b.doc)] += 1
        count[(b.id, a.doc)] += 1
    return count


def test_a_node_keeps_at_most_three_partners_per_other_document_of_either_kind(generation: Generation) -> None:
    count = _partners_per_other_document(generation)
    assert max(count.values()) <= ov.DEFAULT_PARAMS.max_partners


def test_containers_keep_at_most_three_partners_per_other_document_and_the_cap_binds(generation: Generation) -> None:
    """At every level: containers (which have alignments of their own text and container overlaps) included,
    and some container does reach the cap, so the bound is tested where it matters."""
    count = _partners_per_other_document(generation)
    containers = {node_id: n for (node_id, _), n in count.items()
                  if (node := generation.node(node_id)) is not None and node.type in THEMATIC}
    assert containers and max(count[k] for k in count if k[0] in containers) == ov.DEFAULT_PARAMS.max_partners
    kinds = {o["kind"] for o in generation.analysis["overlaps"]
             if generation.node(o["a"]).type in THEMATIC}  # type: ignore[union-attr]
    assert kinds == {ov.KIND_ALIGNMENT, ov.KIND_CONTAINER}, "containers list both kinds under the one cap"


def test_a_pair_of_containers_is_listed_once_as_a_container_overlap(generation: Generation) -> None:
    pairs: Counter[frozenset[str]] = Counter()
    for o in generation.analysis["overlaps"]:
        pairs[frozenset((o["a"], o["b"]))] += 1
        a, b = generation.node(o["a"]), generation.node(o["b"])
        assert a is not None and b is not None
        if a.type in THEMATIC and b.type in THEMATIC:
            assert o["kind"] == ov.KIND_CONTAINER
    assert max(pairs.values()) == 1


def test_cap_partners_keeps_the_best() -> None:
    doc_of = {0: "A", 1: "B", 2: "B", 3: "B", 4: "B"}
    kept = ov.cap_partners([(0, 1, 0.9), (0, 2, 0.8), (0, 3, 0.7), (0, 4, 0.95)], doc_of, 3)
    assert kept == {(0, 4), (0, 1), (0, 2)}


def test_cap_partners_keeps_at_most_max_listed_in_all_documents_best_first() -> None:
    doc_of = {0: "A", 1: "B", 2: "C", 3: "D", 4: "E"}
    pairs = [(0, 1, 0.9), (0, 2, 0.8), (0, 3, 0.95), (0, 4, 0.7)]
    assert ov.cap_partners(pairs, doc_of, 3, max_listed=2) == {(0, 3), (0, 1)}
    assert ov.cap_partners(pairs, doc_of, 3) == {(0, 1), (0, 2), (0, 3), (0, 4)}


def test_no_node_lists_more_overlaps_of_one_kind_than_max_listed(generation: Generation) -> None:
    count: Counter[tuple[str, str]] = Counter()
    for o in generation.analysis["overlaps"]:
        count[(o["kind"], o["a"])] += 1
        count[(o["kind"], o["b"])] += 1
    assert max(count.values()) <= ov.DEFAULT_PARAMS.max_listed


def test_container_score_is_the_weighted_mean_of_content_coverage_and_topics(generation: Generation) -> None:
    p = ov.DEFAULT_PARAMS
    rows = generation.analysis["container_scores"]
    assert len(rows) > 100
    for _, _, score, content, coverage, topics, aligned in rows:
        assert all(0.0 <= x <= 1.0 for x in (score, content, coverage, topics))
        assert score == pytest.approx(p.w_content * content + p.w_coverage * coverage + p.w_topics * topics, abs=2e-4)
        assert aligned >= 1, "only containers joined by a kept alignment are scored"


def test_pair_scores_look_up_either_order() -> None:
    pair = ov.ContainerPair(a=1, b=7, score=0.5, content=0.4, coverage=0.5, topics=0.6, aligned=2)
    assert ov.pair_scores([pair]) == {(1, 7): 0.5, (7, 1): 0.5}


def test_judged_pairs_every_same_subject_pair_outscores_every_unrelated_pair(judged: list[ov.JudgedPair]) -> None:
    strong = [p.score for p in judged if p.judgement == "strong"]
    unrelated = [p.score for p in judged if p.judgement == "none"]
    assert min(strong) > max(unrelated)
    related = [p.score for p in judged if p.judgement == "related"]
    assert ov.pairwise_auc(strong, related) >= 0.85, "same subject ranks above a shared part"
    assert ov.pairwise_auc(related, unrelated) >= 0.95


def test_judged_pairs_same_subject_is_listed_strong_and_unrelated_is_not_listed(judged: list[ov.JudgedPair]) -> None:
    figures = ov.judged_figures(judged)
    assert figures["strong_listed_strong"] >= 0.75 * figures["pairs"]["strong"]
    assert figures["none_listed"] == 0


def test_judged_slagelse_tracks_and_faxe_bearings_on_one_subject_come_out_strong(
        generation: Generation, judged: list[ov.JudgedPair]) -> None:
    """The pairs of the issue: a track of one municipality and a bearing of another about one subject in other
    words (from the label file: Track × Bearing of two municipalities, judged strong)."""

    def kind(node_id: str) -> tuple[str, str]:
        node = generation.node(node_id)
        assert node is not None
        return node.type, generation.documents[node.doc].municipality

    pairs = [p for p in judged if p.judgement == "strong" and {kind(p.a)[0], kind(p.b)[0]} == {"Track", "Bearing"}
             and kind(p.a)[1] != kind(p.b)[1]]
    assert len(pairs) >= 4
    strong = [p for p in pairs if p.score >= ov.DEFAULT_PARAMS.container_strong]
    assert len(strong) >= len(pairs) - 1, [(p.a, p.b, p.score) for p in pairs]
    assert all(p.score >= ov.DEFAULT_PARAMS.container_threshold for p in pairs)


def test_overlap_iri_is_stable_and_order_free() -> None:
    assert ov.overlap_iri("urn:a", "urn:b") == ov.overlap_iri("urn:b", "urn:a")
    assert ov.overlap_iri("urn:a", "urn:b") != ov.overlap_iri("urn:a", "urn:c")


def test_sentences_of_a_passage_are_aligned_on_their_own() -> None:
    assert ov.split_sentences("Borgeren skal opleve sammenhæng. Derfor skal vi have fokus på overgange.") == [
        "Borgeren skal opleve sammenhæng.", "Derfor skal vi have fokus på overgange."]


def test_container_overlaps_explain_their_score(generation: Generation) -> None:
    containers = [o for o in generation.analysis["overlaps"] if o["kind"] == ov.KIND_CONTAINER]
    assert len(containers) > 50
    for o in containers:
        assert o["method"] == ov.METHOD_CONTAINER and o["aligned_children"] >= 1
        assert None not in (o["content"], o["coverage"], o["topic_profile"])
        assert o["score"] >= ov.DEFAULT_PARAMS.container_threshold


def test_overlaps_are_in_the_graph_with_nodes_score_method_and_explanations(generation: Generation) -> None:
    rows = list(generation.store.query("""
        PREFIX sg: <https://w3id.org/strategigraf/ontology#>
        SELECT ?o (COUNT(DISTINCT ?n) AS ?nodes) (SAMPLE(?s) AS ?score) (SAMPLE(?m) AS ?method)
               (COUNT(DISTINCT ?t) AS ?topics) (COUNT(DISTINCT ?w) AS ?terms)
        WHERE { ?o a sg:Overlap ; sg:overlapNode ?n ; sg:score ?s ; sg:method ?m .
                OPTIONAL { ?o sg:sharedTopic ?t } OPTIONAL { ?o sg:sharedTerm ?w } }
        GROUP BY ?o"""))
    assert len(rows) == len(generation.analysis["overlaps"])
    assert all(int(r["nodes"].value) == 2 for r in rows)  # type: ignore[index, union-attr]
    assert all(0.0 <= float(r["score"].value) <= 1.0 for r in rows)  # type: ignore[index, union-attr]
    assert sum(1 for r in rows if int(r["topics"].value) > 0) > len(rows) / 2  # type: ignore[index, union-attr]
    assert sum(1 for r in rows if int(r["terms"].value) > 0) > len(rows) / 2  # type: ignore[index, union-attr]


def test_build_manifest_records_the_analysis_parameters(generation: Generation) -> None:
    analysis = generation.manifest["analysis"]
    assert analysis["parameters"]["overlaps"]["threshold"] == ov.DEFAULT_PARAMS.threshold
    assert analysis["parameters"]["overlaps"]["max_partners"] == 3
    assert analysis["counts"]["overlaps"] == len(generation.analysis["overlaps"])
    assert "analysis.json" in generation.manifest["files"]


def test_row_dots_in_chunks_equal_the_products_gathered_at_once() -> None:
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((50, 16))
    x, y = rng.integers(0, 50, 1000), rng.integers(0, 50, 1000)
    whole = np.einsum("ij,ij->i", vectors[x], vectors[y])
    for rows in (1, 7, 1024):
        assert np.array_equal(ov._row_dots(vectors, x, y, rows=rows), whole)
    assert ov._row_dots(vectors, x[:0], y[:0]).shape == (0,)
