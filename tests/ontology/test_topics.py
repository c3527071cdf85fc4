"""The SKOS topic scheme (ontology/topics.ttl)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from ontology import TOPIC, TOPIC_NS, TOPICS_FILE, resource_path

SCHEME = URIRef("https://w3id.org/strategigraf/topic/scheme")
CORPORA = Path(__file__).resolve().parents[2] / "corpora"

THEMES = [
    "netværk og pårørende",
    "fællesskaber og civilsamfund",
    "frivillighed",
    "velfærdsteknologi og digitalisering",
    "recovery og rehabilitering",
    "selvstændighed og selvbestemmelse",
    "økonomi og styring",
    "overgange og livsfaser",
    "kompetencer og rekruttering",
    "tværfagligt samarbejde",
    "bolig og hjemløshed",
    "misbrug og rusmidler",
    "mental sundhed og psykiatri",
    "dialog og tillid",
    "etik",
    "medborgerskab",
    "salg af pladser og specialtilbud",
    "forebyggelse",
    "tilgængelighed og inklusion",
]


@pytest.fixture(scope="module")
def topics() -> Graph:
    return Graph().parse(resource_path(TOPICS_FILE), format="turtle")


@pytest.fixture(scope="module")
def concepts(topics: Graph) -> list[URIRef]:
    found = sorted(c for c in topics.subjects(RDF.type, SKOS.Concept) if isinstance(c, URIRef))
    assert found
    return found


def labels(g: Graph, concept: URIRef, prop: URIRef, lang: str) -> list[str]:
    return [str(v) for v in g.objects(concept, prop) if isinstance(v, Literal) and v.language == lang]


def test_scheme(topics: Graph) -> None:
    assert (SCHEME, RDF.type, SKOS.ConceptScheme) in topics
    assert {getattr(v, "language", None) for v in topics.objects(SCHEME, SKOS.prefLabel)} >= {"da", "en"}


def test_all_themes_present(topics: Graph, concepts: list[URIRef]) -> None:
    da_labels = {labels(topics, c, SKOS.prefLabel, "da")[0] for c in concepts}
    missing = [t for t in THEMES if t not in da_labels]
    assert not missing, missing
    assert len(concepts) >= len(THEMES)


def test_concept_iris_under_topic_namespace_with_notation(topics: Graph, concepts: list[URIRef]) -> None:
    for c in concepts:
        assert str(c).startswith(TOPIC_NS), c
        slug = str(c)[len(TOPIC_NS):]
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
        assert [str(n) for n in topics.objects(c, SKOS.notation)] == [slug]


def test_every_concept_is_complete(topics: Graph, concepts: list[URIRef]) -> None:
    problems = []
    for c in concepts:
        for lang in ("da", "en"):
            if len(labels(topics, c, SKOS.prefLabel, lang)) != 1:
                problems.append((c, f"prefLabel@{lang}"))
        if not labels(topics, c, SKOS.altLabel, "da"):
            problems.append((c, "altLabel@da"))
        if not labels(topics, c, SKOS.altLabel, "en"):
            problems.append((c, "altLabel@en"))
        if not labels(topics, c, SKOS.definition, "da"):
            problems.append((c, "definition@da"))
        if (c, SKOS.inScheme, SCHEME) not in topics:
            problems.append((c, "inScheme"))
        if (c, SKOS.topConceptOf, SCHEME) not in topics and (c, SKOS.broader, None) not in topics:
            problems.append((c, "neither top concept nor narrower"))
    assert not problems, problems


def test_alt_labels_cover_inflections(topics: Graph) -> None:
    alts = set(labels(topics, TOPIC["netvaerk-og-paaroerende"], SKOS.altLabel, "da"))
    assert {"netværk", "netværket", "netværksinddragelse", "pårørende", "familie"} <= alts


def test_danish_labels_are_unambiguous(topics: Graph, concepts: list[URIRef]) -> None:
    """A Danish label (pref, alt or hidden) names one concept only, so lexical tagging is unambiguous;
    and a concept's altLabel never repeats its own prefLabel (SKOS S13)."""
    owner: dict[str, URIRef] = {}
    clashes: list[tuple[str, object, object]] = []
    for c in concepts:
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for label in labels(topics, c, prop, "da"):
                key = label.casefold()
                if key in owner and owner[key] != c:
                    clashes.append((label, owner[key], c))
                elif key in owner:
                    clashes.append((label, c, "same concept twice"))
                owner[key] = c
    assert not clashes, clashes


def test_top_concepts_match_scheme(topics: Graph, concepts: list[URIRef]) -> None:
    tops = set(topics.subjects(SKOS.topConceptOf, SCHEME))
    assert tops == set(topics.objects(SCHEME, SKOS.hasTopConcept))
    for c in tops:
        assert (c, SKOS.broader, None) not in topics, c


def test_hierarchy_is_consistent(topics: Graph) -> None:
    for narrow, broad in topics.subject_objects(SKOS.broader):
        assert (broad, SKOS.narrower, narrow) in topics
        assert (broad, RDF.type, SKOS.Concept) in topics
    for broad, narrow in topics.subject_objects(SKOS.narrower):
        assert (narrow, SKOS.broader, broad) in topics
    assert (TOPIC["frivillighed"], SKOS.broader, TOPIC["faellesskaber-og-civilsamfund"]) in topics


def test_related_is_symmetric_and_disjoint_from_hierarchy(topics: Graph) -> None:
    for a, b in topics.subject_objects(SKOS.related):
        assert (b, SKOS.related, a) in topics, (a, b)
        assert (a, SKOS.broader, b) not in topics and (b, SKOS.broader, a) not in topics, (a, b)
        assert a != b


def test_every_concept_matches_the_corpus(topics: Graph, concepts: list[URIRef]) -> None:
    """The altLabels are the words the texts really use: each concept has labels found in the corpus."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in CORPORA.glob("*.txt")]
    if not texts:
        pytest.fail("empty corpora folder")
    corpus = re.sub(r"\s+", " ", " ".join(texts)).casefold()
    unmatched = []
    for c in concepts:
        words = [
            w for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel) for w in labels(topics, c, prop, "da")
        ]
        hits = [w for w in words if re.search(r"(?<!\w)" + re.escape(w.casefold()) + r"(?!\w)", corpus)]
        if len(hits) < 2:
            unmatched.append((c, hits))
    assert not unmatched, unmatched
