"""The example-query catalogue: complete entries, shown in docs/sparql-examples.md, and each query answering its
question on the real build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.sparql.catalogue import as_dicts, catalogue, load_catalogue
from service.sparql.guard import QueryForm, inspect_query
from tests.service.sparql.support import rows

ROOT = Path(__file__).resolve().parents[3]


def test_catalogue_entries_are_complete() -> None:
    examples = load_catalogue()
    assert [e.id for e in examples] == ["netvaerk-principper", "spor-og-pejlemaerker",
                                        "handicappolitik-referencer", "opfoelgning-2014-2015",
                                        "emner-begge-kommuner", "spor-modstykke-faxe"]
    for example in examples:
        assert example.title and example.description
        assert inspect_query(example.query) is QueryForm.SELECT


def test_docs_show_every_catalogue_query() -> None:
    doc = (ROOT / "docs" / "sparql-examples.md").read_text(encoding="utf-8")
    for example in load_catalogue():
        assert example.query.strip() in doc, f"docs/sparql-examples.md is missing the query {example.id}"
        assert example.title in doc


def test_catalogue_as_json_objects() -> None:
    shown = catalogue()
    assert shown == as_dicts(load_catalogue())
    assert [set(e) for e in shown] == [{"id", "title", "description", "query"}] * len(shown)


@pytest.mark.parametrize("example", load_catalogue(), ids=lambda e: e.id)
def test_every_catalogue_query_answers_on_the_real_build(client: TestClient, example: Any) -> None:
    found = rows(client.post("/sparql", content=example.query.encode(),
                             headers={"Content-Type": "application/sparql-query"}))
    assert found, f"{example.id} returned no rows"


def test_catalogue_answers_the_questions(client: TestClient) -> None:
    by_id = {e.id: e.query for e in load_catalogue()}

    def run(name: str) -> list[dict[str, str]]:
        return rows(client.get("/sparql", params={"query": by_id[name]}))

    netvaerk = run("netvaerk-principper")
    assert {r["kommune"] for r in netvaerk} == {"Faxe Kommune"}
    assert all("netværk" in (r["principtekst"] + r["udsagnene"]).lower() for r in netvaerk)
    tracks = run("spor-og-pejlemaerker")
    spor5 = [r for r in tracks if r["art"] == "spor" and r["nr"] == "5"]
    assert spor5 and spor5[0]["titel"] == "ET STÆRKT SAMARBEJDE MED BORGERENS NETVÆRK"
    assert int(spor5[0]["antalUdsagn"]) == 3
    assert {r["art"] for r in tracks} == {"spor", "pejlemærke"}
    refs = run("handicappolitik-referencer")
    assert all("handi" in r["reference"].lower() for r in refs)
    assert {r["aar"] for r in refs} >= {"2014"}
    followup = run("opfoelgning-2014-2015")
    assert any(r.get("status") for r in followup)
    assert all(r["indsatsomraade2014"] for r in followup)
