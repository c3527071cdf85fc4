"""Errors by Accept and Accept-Language (service/problems.py): problem+json in English for API clients, in Danish
for a client that prefers Danish, and a Danish HTML page for a browser — 404, 422 and 500 alike."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.pages.error_pages import render_error_page
from service.problems import PROBLEM_JSON, install_handlers

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_unknown_url_is_a_danish_page_for_a_browser_and_problem_json_for_a_client(client: Any) -> None:
    page = client.get("/findes/ikke", headers={"Accept": BROWSER})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Ikke fundet</h1>" in page.text and "Siden findes ikke" in page.text
    assert "Content-Security-Policy" in page.headers
    api = client.get("/findes/ikke")
    assert api.status_code == 404 and api.headers["content-type"] == PROBLEM_JSON
    assert api.json()["title"] == "Not found"


def test_bad_year_range_in_danish_by_accept_language_english_by_default(client: Any) -> None:
    path = "/search?q=netv%C3%A6rk&year_from=2020&year_to=2010"
    english = client.get(path).json()
    assert english["detail"] == "year_from must not be after year_to"
    danish = client.get(path, headers={"Accept-Language": "da-DK,da;q=0.9,en;q=0.5"})
    assert danish.headers["content-language"] == "da"
    assert danish.json()["title"] == "Ugyldige oplysninger"
    assert "Fra-året må ikke ligge efter til-året" in danish.json()["detail"]
    page = client.get(path, headers={"Accept": BROWSER})
    assert page.status_code == 422 and "Fra-året må ikke ligge efter til-året" in page.text


def test_validation_errors_name_the_parameter_in_danish_and_keep_the_errors_member(client: Any) -> None:
    response = client.get("/search?q=x&k=500&year_from=abc", headers={"Accept-Language": "da"})
    body = response.json()
    assert response.status_code == 422
    assert "Antal resultater (k) må højst være 100 (fik »500«)" in body["detail"]
    assert "Fra-året (year_from) skal være et helt tal (fik »abc«)" in body["detail"]
    assert {tuple(e["loc"]) for e in body["errors"]} == {("query", "k"), ("query", "year_from")}
    page = client.get("/compare", headers={"Accept": BROWSER})
    assert page.status_code == 422 and "Fra-dokumentet (from) mangler." in page.text


def test_sparql_syntax_error_in_danish_with_the_parser_message_as_technical_detail(client: Any) -> None:
    response = client.get("/sparql?query=SELEC%20x", headers={"Accept-Language": "da"})
    body = response.json()
    assert response.status_code == 400
    assert body["title"] == "Forespørgslen er ikke gyldig SPARQL"
    assert body["detail"].startswith("Forespørgslen er ikke gyldig SPARQL 1.1: fejl i linje 1, tegn")
    assert "error at 1:" in body["technical"]


def test_an_unexpected_error_is_a_500_page_without_the_exception_text() -> None:
    app = FastAPI()
    install_handlers(app, html=render_error_page)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as test_client:
        page = test_client.get("/boom", headers={"Accept": BROWSER})
        assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
        assert "Der opstod en fejl" in page.text and "secret internals" not in page.text
        api = test_client.get("/boom")
        assert api.status_code == 500 and api.headers["content-type"] == PROBLEM_JSON
        assert "secret internals" not in api.text
