"""CSV exports (service/exports.py) read as Danish Excel reads them: the BOM bytes first, then UTF-8, ';' between
fields, CRLF line ends, decimal commas; one row per result, pair or theme, æøå intact. Over the real build."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service import exports

S14, S24, FAXE = "slagelse-2014", "slagelse-2024-2030", "faxe-strategi"
BOM = b"\xef\xbb\xbf"


def excel_rows(response: httpx.Response) -> list[dict[str, str]]:
    """The rows of a CSV download as Danish Excel reads the file: BOM, UTF-8, semicolons, CRLF."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="')
    return read_excel(response.content)


def read_excel(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(BOM), body[:10]
    text = body.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert text.endswith("\r\n") and text.count("\r\n") == len(rows) + 1, "a CRLF after each record"
    return rows


def decimal(cell: str) -> float:
    assert "," in cell and "." not in cell, f"decimal comma expected: {cell!r}"
    return float(cell.replace(",", "."))


def iri_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["id"][0]


# --------------------------------------------------------------------------- the writer
def test_fields_are_quoted_per_rfc_4180_and_numbers_have_a_decimal_comma() -> None:
    body = exports.excel_csv(["Tekst", "Score", "År", "Tom"],
                             [['Vi siger "ja"; og nej\nsammen', 0.7333, 2024, None], ["æøå ÆØÅ", 1.0, 2019, ""]])
    rows = read_excel(body)
    assert rows == [{"Tekst": 'Vi siger "ja"; og nej\nsammen', "Score": "0,733",
                     "År": "2024", "Tom": ""},
                    {"Tekst": "æøå ÆØÅ", "Score": "1,000", "År": "2019", "Tom": ""}]
    assert b'"Vi siger ""ja""; og nej' in body


def test_a_text_excel_would_read_as_a_formula_is_kept_as_text() -> None:
    rows = read_excel(exports.excel_csv(["Tekst"], [["=SUM(A1:A9)"], ["-5 % på budgettet"], ["+45 1234"],
                                                    ["@bruger"], ["Almindelig tekst"]]))
    assert [r["Tekst"] for r in rows] == ["'=SUM(A1:A9)", "'-5 % på budgettet", "'+45 1234", "'@bruger",
                                          "Almindelig tekst"]


def test_file_names_are_ascii() -> None:
    assert exports.filename("soegning", "Pårørende og netværk!") == "soegning-paaroerende-og-netvaerk.csv"
    assert exports.filename("overlap", None, None) == "overlap.csv"
    assert exports.filename("", "«»") == "eksport.csv"


# --------------------------------------------------------------------------- search
def test_search_export_has_a_row_per_result_in_order(client: TestClient) -> None:
    params = {"q": "pårørende", "k": 20}
    results = client.get("/search", params=params).json()["results"]
    response = client.get("/search", params={**params, "format": "csv"})
    rows = excel_rows(response)
    assert 'filename="soegning-paaroerende.csv"' in response.headers["content-disposition"]
    assert len(rows) == len(results) >= 5
    for n, (row, result) in enumerate(zip(rows, results, strict=True), start=1):
        assert row["Nr."] == str(n)
        assert iri_of(row["Link til teksten"]) == result["id"]
        assert row["Dokument"] == result["document"]["title"] and row["År"] == str(result["document"]["year"])
        assert row["Kommune"].endswith("Kommune")
        assert row["Styrke"] in {"stærk", "middel", "svag"} and row["Hvorfor"]
        assert decimal(row["Score"]) == pytest.approx(result["score"], abs=0.001)
        assert row["Originalfil"].startswith("http://testserver/documents/" + result["document"]["id"] + "/original")
    assert any("pårørende" in (r["Tekst"] + r["Overskrift"] + r["Matchende indhold"]).lower() for r in rows), \
        "æøå intact"
    assert rows[0]["Styrke"] == "stærk" and "»pårørende" in rows[0]["Hvorfor"]


def test_search_export_of_principles_carries_their_matching_statements(client: TestClient) -> None:
    rows = excel_rows(client.get("/search", params={"q": "netværk", "type": "Principle", "format": "csv"}))
    assert rows and {r["Type"] for r in rows} == {"Princip"}
    assert all(r["Kommune"] == "Faxe Kommune" for r in rows)
    assert "netværk" in rows[0]["Matchende indhold"]
    assert rows[0]["Placering"], "the bearing the principle stands under"


def test_search_export_names_the_page_of_a_document_with_pages(client: TestClient) -> None:
    rows = excel_rows(client.get("/search", params={"q": "sammenhæng og kvalitet", "document": S14,
                                                    "format": "csv"}))
    assert rows and all(r["Dokument"].startswith("Strategi 2014") for r in rows)
    assert all(r["Side"].isdigit() for r in rows), [r["Side"] for r in rows]


def test_a_bad_export_format_is_refused_in_danish(client: TestClient) -> None:
    response = client.get("/search", params={"q": "netværk", "format": "xlsx"}, headers={"accept-language": "da"})
    assert response.status_code == 422
    assert "format" in response.text and "xlsx" in response.text


# --------------------------------------------------------------------------- overlaps
def test_overlap_export_has_a_row_per_pair_with_both_documents(client: TestClient) -> None:
    params = {"a": S24, "b": FAXE}
    pairs = client.get("/overlaps", params=params).json()["pairs"]
    rows = excel_rows(client.get("/overlaps", params={**params, "format": "csv"}))
    assert len(rows) == len(pairs) > 20
    assert [(iri_of(r["Link til teksten A"]), iri_of(r["Link til teksten B"])) for r in rows] == \
        [(p["a"]["id"], p["b"]["id"]) for p in pairs]
    for row, pair in zip(rows, pairs, strict=True):
        assert row["Kommune A"] == "Slagelse Kommune" and row["Kommune B"] == "Faxe Kommune"
        assert row["Dokument B"] == pair["b"]["document"]["title"]
        assert decimal(row["Score"]) == pytest.approx(pair["score"], abs=0.001)
        assert row["Styrke"] in {"stærk", "middel", "svag"} and row["Hvorfor"]
        assert (row["Styrke"] == "stærk") == (pair["explanation"]["level"] == "strong")
    assert any("æ" in r["Tekst A"] + r["Tekst B"] + r["Overskrift B"] for r in rows)


def test_overlap_export_by_accept_header_is_the_same_file(client: TestClient) -> None:
    by_format = client.get("/overlaps", params={"a": S24, "b": FAXE, "format": "csv"})
    by_accept = client.get("/overlaps", params={"a": S24, "b": FAXE}, headers={"accept": "text/csv"})
    assert by_accept.content == by_format.content
    assert by_accept.headers["vary"] == "Accept"


def test_all_overlaps_export_lists_at_most_three_partners_per_node_per_other_document(client: TestClient) -> None:
    rows = excel_rows(client.get("/overlaps", params={"format": "csv"}))
    assert len(rows) > 200
    partners: Counter[tuple[str, str]] = Counter()
    for r in rows:
        partners[(iri_of(r["Link til teksten A"]), r["Dokument B"])] += 1
        partners[(iri_of(r["Link til teksten B"]), r["Dokument A"])] += 1
    assert max(partners.values()) <= 3


def test_overlaps_command_writes_the_same_csv(build_dir: Path) -> None:
    from service.cli import app

    result = CliRunner().invoke(app, ["overlaps", "--build", str(build_dir), "-a", S24, "-b", FAXE, "--csv",
                                      "--base-url", "http://kommune.example"])
    assert result.exit_code == 0, result.output
    rows = read_excel(result.stdout_bytes)
    assert rows and rows[0]["Link til teksten A"].startswith("http://kommune.example/node?id=")


# --------------------------------------------------------------------------- compare
def test_compare_export_lists_carried_new_dropped_and_follow_ups(client: TestClient) -> None:
    body = client.get("/compare", params={"from": S14, "to": S24}).json()
    rows = excel_rows(client.get("/compare", params={"from": S14, "to": S24, "format": "csv"}))
    sections = Counter(r["Afsnit"] for r in rows)
    assert sections["Videreført"] == sum(len(t["partners"]) for t in body["carried_over"]) > 0
    assert sections["Nyt"] == len(body["new"]) and sections["Ikke ført videre"] == len(body["dropped"])
    follow_ups = [r for r in rows if r["Afsnit"].startswith("Opfølgning: ")]
    assert len(follow_ups) == sum(max(1, len(g["reports"])) for f in body["follow_ups"] for g in f["goals"]) > 0
    carried = next(r for r in rows if r["Afsnit"] == "Videreført")
    assert carried["År (fra)"] == "2014" and carried["År (til)"] == "2024"
    assert carried["Side (fra)"].isdigit(), "the 2014 strategy has pages"
    assert decimal(carried["Score"]) > 0
    assert all(r["Dokument (fra)"] == "" for r in rows if r["Afsnit"] == "Nyt")


def test_compare_export_across_municipalities_names_the_sections_so(client: TestClient) -> None:
    rows = excel_rows(client.get("/compare", params={"from": FAXE, "to": S24, "format": "csv"}))
    assert {r["Afsnit"] for r in rows} <= {"Begge har", "Kun det senere dokument", "Kun det tidligere dokument"}
    assert "Begge har" in {r["Afsnit"] for r in rows}
