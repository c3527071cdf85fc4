"""service/topics.py: /topics, /topics/{id} and the search's topic= filter over the real build."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.generation import Generation
from service.search import SearchError, SearchParams, search
from service.topics import UnknownTopicError, resolve_topic, topic_mask


def test_topics_with_counts_per_municipality_and_document(client: TestClient, generation: Generation) -> None:
    body = client.get("/topics").json()
    assert len(body["topics"]) == 19
    counts = [t["node_count"] for t in body["topics"]]
    assert counts == sorted(counts, reverse=True)
    net = next(t for t in body["topics"] if t["id"] == "netvaerk-og-paaroerende")
    assert net["label"] == "netværk og pårørende"
    assert net["by_municipality"]["faxe"] > 0 and net["by_municipality"]["slagelse"] > 0
    assert sum(net["by_document"].values()) == net["node_count"] == sum(net["by_municipality"].values())
    assert set(net["by_document"]) == set(generation.documents)


def test_topic_detail_groups_tracks_principles_and_statements_by_municipality(client: TestClient) -> None:
    body = client.get("/topics/netvaerk-og-paaroerende").json()
    groups = {g["municipality"]: g for g in body["municipalities"]}
    assert set(groups) == {"faxe", "slagelse"}
    slagelse = {(n["type"], n["label"] or n["text"]) for n in groups["slagelse"]["nodes"]}
    assert ("Track", "ET STÆRKT SAMARBEJDE MED BORGERENS NETVÆRK") in slagelse
    faxe = {(n["type"], n["text"]) for n in groups["faxe"]["nodes"]}
    assert ("Statement", "når vi inddrager borgerens netværk") in faxe
    for g in body["municipalities"]:
        assert g["node_count"] == len(g["nodes"]) == sum(g["by_type"].values())
        assert all(n["type"] != "Passage" and 0.5 <= n["confidence"] <= 1 for n in g["nodes"])


def test_topic_by_label_and_unknown_topic(generation: Generation) -> None:
    assert resolve_topic(generation, "netværk og pårørende")["id"] == "netvaerk-og-paaroerende"
    assert resolve_topic(generation, "Welfare technology and digitalisation")["id"] == \
        "velfaerdsteknologi-og-digitalisering"
    with pytest.raises(UnknownTopicError):
        resolve_topic(generation, "rumfart")


def test_search_topic_filter_restricts_to_tagged_nodes_and_their_descendants(generation: Generation) -> None:
    mask = topic_mask(generation, "velfaerdsteknologi-og-digitalisering")
    response = search(generation, SearchParams(q="borgerens livskvalitet", k=20,
                                               topic="velfaerdsteknologi-og-digitalisering"))
    assert response.results
    for r in response.results:
        assert mask[generation.position[r.id]]
    unfiltered = search(generation, SearchParams(q="borgerens livskvalitet", k=20))
    assert {r.id for r in response.results} != {r.id for r in unfiltered.results}


def test_topic_filter_includes_narrower_topics(generation: Generation) -> None:
    broad = topic_mask(generation, "faellesskaber-og-civilsamfund")
    narrow = topic_mask(generation, "frivillighed")
    assert narrow.any() and not (narrow & ~broad).any()


def test_search_refuses_an_unknown_topic(generation: Generation) -> None:
    with pytest.raises(SearchError, match="rumfart"):
        search(generation, SearchParams(q="netværk", topic="rumfart"))
