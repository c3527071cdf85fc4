"""Topic tagging: lexical cues with Danish stems and compound parts, embedding evidence, clear cases on the
real build, and the sg:TopicAssignment triples in the graph."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.analyse.topic_tagging import (
    CueMatcher,
    Topic,
    analyse_text,
    is_name_word,
    load_topics,
    tag_nodes,
    topic_z_scores,
)
from ingest.index.lexical import CompoundSplitter
from ingest.records import Ancestor, NodeRecord, SourceSpan
from service.generation import Generation

NETWORK = Topic(iri="urn:t:net", id="net", label="netværk og pårørende", label_en="network", definition="",
                definition_en="", cues=("netværk og pårørende", "netværk", "borgerens netværk", "pårørende"))
OVERGANG = Topic(iri="urn:t:ov", id="ov", label="overgange og livsfaser", label_en="transitions", definition="",
                 definition_en="", cues=("overgange", "livs-faser", "fra barn til voksen"))


def _node(key: str, text: str, label: str | None = None, node_type: str = "Statement") -> NodeRecord:
    return NodeRecord(id=f"urn:n:{key}", key=key, doc="d", type=node_type, label=label, text=text, order=1,
                      parent="urn:d", ancestors=[Ancestor(id="urn:d", type="StrategyDocument", label="D")],
                      children=[], source=SourceSpan(file="f", start=0, end=1, start_line=1, end_line=1,
                                                     segments=[(0, 1)]),
                      attrs={}, links={}, context=text)


def test_topic_scheme_loads_nineteen_concepts_with_danish_cues() -> None:
    topics = load_topics()
    assert len(topics) == 19
    by_id = {t.id: t for t in topics}
    assert "netværk" in by_id["netvaerk-og-paaroerende"].cues
    assert by_id["frivillighed"].broader == ("faellesskaber-og-civilsamfund",)
    assert all(t.iri.endswith("/" + t.id) for t in topics)


@pytest.mark.parametrize(("text", "expected"), [
    ("når vi inddrager borgerens netværk", {"net"}),
    ("forsøgsordninger med netværks- og pårørendeinddragelse", {"net"}),
    ("fokus på overgange i borgerens livs-faser", {"ov"}),
    ("overgange fra for eksempel barn til voksen", {"ov"}),
    ("Vi handler økonomisk ansvarligt.", set()),
])
def test_cues_match_by_stem_in_order(text: str, expected: set[str]) -> None:
    matcher = CueMatcher.build([NETWORK, OVERGANG])
    assert set(matcher.match(analyse_text(text))) == expected


def test_a_one_word_cue_matches_as_compound_part() -> None:
    splitter = CompoundSplitter.from_texts(["netværk inddragelse", "netværksinddragelse er godt"])
    found = CueMatcher.build([NETWORK]).match(analyse_text("Netværksinddragelse er godt", splitter))
    assert "net" in found
    assert found["net"][0] < 0.8, "a compound-part match is weaker evidence than a whole word"


def test_words_of_proper_names_are_not_cues() -> None:
    text = "At Center for Handicap og Psykiatri samarbejder tæt med Center for Ældre"
    start = text.index("Psykiatri")
    assert is_name_word(text, start, start + len("Psykiatri"))
    assert not is_name_word(text, 0, 2), "the first word of a sentence is not a name"
    assert not is_name_word("DET DIGITALE LIV", 4, 12), "headings in capitals are not names"
    assert "psykiatri" not in analyse_text(text).sequence


def test_embedding_evidence_is_standardised_per_topic() -> None:
    rng = np.random.default_rng(0)
    nodes = rng.normal(size=(50, 8)).astype(np.float32)
    nodes /= np.linalg.norm(nodes, axis=1, keepdims=True)
    topics = nodes[:2].copy()
    z = topic_z_scores(nodes, topics)
    assert z.shape == (50, 2)
    assert np.allclose(z.mean(axis=0), 0, atol=1e-5)
    assert int(np.argmax(z[:, 0])) == 0


def test_containers_inherit_topics_most_children_share() -> None:
    parent = _node("p", "Sammen", label="Sammen", node_type="Principle")
    kids = [_node(f"p/s/{i}", t) for i, t in enumerate(["vi inddrager borgerens netværk",
                                                         "samarbejde med netværket", "åbne møder"])]
    parent.children = [k.id for k in kids]
    for k in kids:
        k.ancestors = [*k.ancestors, Ancestor(id=parent.id, type="Principle", label="Sammen")]
    nodes = [parent, *kids]
    vectors = np.eye(4, 4, dtype=np.float32)
    tags = tag_nodes(nodes, vectors, [NETWORK], np.ones((1, 4), dtype=np.float32) / 2)
    inherited = [t for t in tags if t.node == parent.id]
    assert inherited and inherited[0].topic == "net" and inherited[0].method == "children"


# --------------------------------------------------------------------------- the real build
def _tags(generation: Generation, text: str, node_type: str | None = None) -> dict[str, dict[str, object]]:
    node = next(n for n in generation.nodes
                if (n.label == text or n.text == text) and (node_type is None or n.type == node_type))
    return {t["topic"]: t for t in generation.topics_of(node.id)}


def test_track_det_digitale_liv_is_tagged_velfaerdsteknologi(generation: Generation) -> None:
    tags = _tags(generation, "DET DIGITALE LIV", "Track")
    assert "velfaerdsteknologi-og-digitalisering" in tags
    assert float(tags["velfaerdsteknologi-og-digitalisering"]["confidence"]) >= 0.5  # type: ignore[arg-type]


def test_faxe_statement_inddrager_netvaerk_is_tagged_netvaerk(generation: Generation) -> None:
    tags = _tags(generation, "når vi inddrager borgerens netværk", "Statement")
    assert "netvaerk-og-paaroerende" in tags
    assert "lexical" in str(tags["netvaerk-og-paaroerende"]["method"])


@pytest.mark.parametrize(("text", "topic"), [
    ("ET STÆRKT SAMARBEJDE MED BORGERENS NETVÆRK", "netvaerk-og-paaroerende"),
    ("Rusmiddelområdet", "misbrug-og-rusmidler"),
    ("Vi understøtter ansvar for eget liv", "selvstaendighed-og-selvbestemmelse"),
    ("Økonomisk bæredygtighed", "oekonomi-og-styring"),
])
def test_clear_headings_get_their_topic(generation: Generation, text: str, topic: str) -> None:
    assert topic in _tags(generation, text)


def test_every_assignment_is_in_the_graph_with_confidence_and_method(generation: Generation) -> None:
    rows = list(generation.store.query("""
        PREFIX sg: <https://w3id.org/strategigraf/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT (COUNT(?a) AS ?n) (MIN(?c) AS ?low) (MAX(?c) AS ?high) WHERE {
          ?a a sg:TopicAssignment ; sg:assignedTo ?node ; sg:topic ?topic ; sg:confidence ?c ; sg:method ?m .
          ?node dcterms:subject ?topic .
        }"""))
    n, low, high = (float(v.value) for v in rows[0])  # type: ignore[union-attr]
    tagged = sum(len(v) for v in generation.analysis["topics_by_node"].values())
    assert n == tagged > 300
    assert 0.5 <= low <= high <= 1.0
