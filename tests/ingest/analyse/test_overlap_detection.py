"""Overlaps: the development pairs of tests/data/eval/dev_overlaps.json are all found at default settings,
the threshold calibration, the per-node cap, container scores, and the sg:Overlap resources in the graph."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from ingest.analyse import overlap_detection as ov
from ingest.analyse.topic_tagging import by_node, load_topics, tag_nodes
from service.generation import Generation

EVAL_DIR = Path(__file__).resolve().parents[2] / "data" / "eval"


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
                                  grid=(0.45, ov.DEFAULT_PARAMS.threshold, 0.60, 0.70))
    assert best is not None and best >= ov.DEFAULT_PARAMS.threshold
    assert best < 0.70, "a threshold that high would mean the dev pairs are trivially easy"


def test_a_node_keeps_at_most_three_partners_per_other_document(generation: Generation) -> None:
    count: Counter[tuple[str, str, str]] = Counter()
    for o in generation.analysis["overlaps"]:
        a, b = generation.node(o["a"]), generation.node(o["b"])
        assert a is not None and b is not None and a.doc != b.doc
        count[(o["kind"], a.id, b.doc)] += 1
        count[(o["kind"], b.id, a.doc)] += 1
    assert max(count.values()) <= ov.DEFAULT_PARAMS.max_partners


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


def test_container_score_is_the_mean_of_both_sides_coverage() -> None:
    partners = ov.partner_map([(1, 10, 0.8), (2, 10, 0.6)])
    score, aligned = ov.container_score([1, 2, 3], [10, 11], partners)
    assert aligned == 2
    assert score == pytest.approx(((0.8 + 0.6 + 0) / 3 + (0.8 + 0) / 2) / 2, abs=1e-4)
    assert ov.container_score([3], [11], partners) == (0.0, 0)


def test_overlap_iri_is_stable_and_order_free() -> None:
    assert ov.overlap_iri("urn:a", "urn:b") == ov.overlap_iri("urn:b", "urn:a")
    assert ov.overlap_iri("urn:a", "urn:b") != ov.overlap_iri("urn:a", "urn:c")


def test_sentences_of_a_passage_are_aligned_on_their_own() -> None:
    assert ov.split_sentences("Borgeren skal opleve sammenhæng. Derfor skal vi have fokus på overgange.") == [
        "Borgeren skal opleve sammenhæng.", "Derfor skal vi have fokus på overgange."]


def test_track_5_and_the_faxe_principle_on_own_life_overlap_through_their_children(generation: Generation) -> None:
    track = "https://w3id.org/strategigraf/id/slagelse-2024-2030/track/5"
    principle = "https://w3id.org/strategigraf/id/faxe-strategi/bearing/1/principle/3"
    found = [o for o in generation.analysis["overlaps"] if {o["a"], o["b"]} == {track, principle}]
    assert found and found[0]["method"] == "children" and found[0]["aligned_children"] >= 1


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
