"""service/deps.py: the dependencies routes take the state, the generation, the settings and the SPARQL runner
through, on a small app of their own with a real service state (the app's own wiring: test_app.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.deps import GenerationDep, SettingsDep, SparqlDep, StateDep
from service.generation import Generation
from service.settings import ServiceSettings
from service.sparql.upstream import UpstreamStore
from service.state import ServiceState


@pytest.fixture
def app(settings: ServiceSettings, generation: Generation) -> Iterator[FastAPI]:
    app = FastAPI()
    state = ServiceState(settings=settings, embedder=generation.embedder)
    state.swap(generation)
    app.state.service = state
    app.state.sparql = UpstreamStore("http://127.0.0.1:9/sparql")

    @app.get("/seen")
    def seen(state: StateDep, gen: GenerationDep, s: SettingsDep, runner: SparqlDep) -> dict[str, object]:
        return {"state": state is app.state.service, "build": gen.build_id, "settings": s is settings,
                "runner": runner is app.state.sparql}

    yield app
    app.state.sparql.close()


def _renamed(generation: Generation, build_id: str) -> Generation:
    return replace(generation, manifest={**generation.manifest, "build_id": build_id})


def test_a_route_gets_the_app_state_its_settings_and_its_runner(app: FastAPI, generation: Generation) -> None:
    with TestClient(app) as client:
        assert client.get("/seen").json() == {"state": True, "build": generation.build_id, "settings": True,
                                              "runner": True}


def test_each_request_takes_the_generation_live_when_it_starts(app: FastAPI, generation: Generation) -> None:
    with TestClient(app) as client:
        app.state.service.swap(_renamed(generation, "next-build"))
        assert client.get("/seen").json()["build"] == "next-build"
        app.state.service.swap(generation)
        assert client.get("/seen").json()["build"] == generation.build_id
