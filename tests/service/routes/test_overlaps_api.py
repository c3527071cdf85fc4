"""service/routes/overlaps_api.py: /overlaps, /overlaps/matrix and /compare over HTTP: formats by parameter or
Accept, and every refused request a problem+json with its status (what they return: tests/service/
test_overlaps.py and test_compare.py; the CSV: test_exports.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

S19, S24, FAXE = "slagelse-2019", "slagelse-2024-2030", "faxe-strategi"


@pytest.mark.parametrize(("params", "status"), [
    ({"a": "nope"}, 404), ({"a": S24, "b": "nope"}, 404), ({"level": "chapter"}, 422),
    ({"min_score": "1.5"}, 422), ({"min_score": "lots"}, 422), ({"a": S24, "b": S24}, 422),
])
def test_bad_requests_are_problem_json(client: TestClient, params: dict[str, str], status: int) -> None:
    response = client.get("/overlaps", params=params)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == status


@pytest.mark.parametrize(("query", "accept", "media", "magic"), [
    ({"format": "png"}, None, "image/png", b"\x89PNG"),
    ({}, "image/svg+xml", "image/svg+xml", b"<?xml"),
])
def test_heat_map_png_and_svg(client: TestClient, query: dict[str, str], accept: str | None, media: str,
                              magic: bytes) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.get("/overlaps/matrix", params={"a": S24, "b": FAXE, **query}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.content.startswith(magic)
    if media == "image/svg+xml":
        assert "FÆLLESSKABER" in response.text and "Overlap mellem" in response.text


@pytest.mark.parametrize(("params", "status"), [
    ({"a": S24, "b": "nope"}, 404), ({"a": S24, "b": FAXE, "format": "gif"}, 422),
    ({"a": S24, "b": FAXE, "level_a": "statement"}, 422), ({"a": S24, "b": FAXE, "level_b": "track"}, 422),
])
def test_matrix_errors(client: TestClient, params: dict[str, str], status: int) -> None:
    response = client.get("/overlaps/matrix", params=params)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(("params", "status"), [
    ({"from": "nope", "to": S19}, 404), ({"from": S19, "to": S19}, 422), ({"from": S19}, 422),
])
def test_bad_compare_requests_are_problem_json(client: TestClient, params: dict[str, str], status: int) -> None:
    response = client.get("/compare", params=params)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")


def test_an_unacceptable_format_is_a_406_naming_the_offers(client: TestClient) -> None:
    for path, params in (("/overlaps", {}), ("/overlaps/matrix", {"a": S24, "b": FAXE})):
        response = client.get(path, params=params, headers={"accept": "application/pdf"})
        assert response.status_code == 406, path
        assert "application/json" in response.json()["detail"]


def test_the_matrix_as_json_by_parameter_beats_accept(client: TestClient) -> None:
    response = client.get("/overlaps/matrix", params={"a": S24, "b": FAXE, "format": "json"},
                          headers={"accept": "image/png"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    assert response.json()["rows"]
