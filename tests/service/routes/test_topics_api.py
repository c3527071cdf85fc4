"""service/routes/topics_api.py: /topics and /topics/{id} over HTTP: a topic by id or label, an unknown one a 404
problem, a build without analysis a 503 (what they return: tests/service/test_topics.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from service.generation import Generation
from service.problems import Problem
from service.routes.topics_api import topic_route, topics_route


def test_a_topic_by_its_id_or_its_danish_label(client: TestClient) -> None:
    by_id = client.get("/topics/netvaerk-og-paaroerende")
    by_label = client.get("/topics/netværk og pårørende")
    assert by_id.status_code == by_label.status_code == 200
    assert by_id.json() == by_label.json()


def test_an_unknown_topic_is_a_404_problem_naming_it(client: TestClient) -> None:
    response = client.get("/topics/rumfart")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "rumfart" in response.json()["detail"]


def test_a_build_without_analysis_is_a_503(generation: Generation) -> None:
    bare = replace(generation, analysis={})
    for call in (lambda: topics_route(bare), lambda: topic_route("frivillighed", bare)):
        with pytest.raises(Problem) as caught:
            call()
        assert caught.value.status == 503 and caught.value.kind == "analysis-missing"
