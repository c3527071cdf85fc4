"""The Danish wording of problems (service/problem_messages.py) covers the messages the domain errors give.

The messages are produced by the real code (service/search.py, service/overlaps.py, service/compare.py), so a
changed English message without a Danish wording fails here rather than reaching a person in English."""

from __future__ import annotations

from typing import Any

import pytest

from service.problem_messages import danish, validation_message
from service.schemas import Mode
from service.search import SearchError, SearchParams, check_params


def search_error(gen: Any, **changes: Any) -> str:
    params = {"q": "netværk", "k": 10, "types": (), "municipality": None, "document": None, "year_from": None,
              "year_to": None, "mode": Mode.hybrid, "topic": None, **changes}
    with pytest.raises(SearchError) as info:
        check_params(gen, SearchParams(**params))
    return str(info.value)


@pytest.mark.parametrize("changes", [
    {"q": "   "}, {"q": "x" * 5000, "max_query_chars": 1000}, {"k": 0}, {"types": ("Nonsense",)},
    {"municipality": "atlantis"}, {"document": "findes-ikke"}, {"year_from": 2020, "year_to": 2010},
    {"topic": "findes-ikke"},
], ids=lambda c: next(iter(c)))
def test_every_search_parameter_error_has_a_danish_wording(generation: Any, changes: dict[str, Any]) -> None:
    message = search_error(generation, **changes)
    wording = danish(422, "invalid-parameters", message)
    assert wording.code is not None, f"no Danish wording for the search error {message!r}"
    assert wording.technical is None


def test_overlap_and_compare_errors_have_danish_wordings(generation: Any) -> None:
    from service.compare import CompareError, compare_documents
    from service.overlaps import OverlapError, list_overlaps

    doc = next(iter(generation.documents))
    with pytest.raises(OverlapError) as overlap:
        list_overlaps(generation, doc, doc)
    assert danish(422, "invalid-parameters", str(overlap.value)).detail == "Vælg to forskellige dokumenter."
    with pytest.raises(CompareError) as compare:
        compare_documents(generation, doc, doc)
    assert danish(422, "invalid-parameters", str(compare.value)).code == "same-document"


def test_unknown_message_keeps_the_original_as_technical_detail() -> None:
    wording = danish(422, "invalid-parameters", "something new went wrong")
    assert wording.title == "Ugyldige oplysninger"
    assert wording.code is None and wording.technical == "something new went wrong"


def test_not_found_names_the_missing_thing_with_its_danish_article() -> None:
    assert danish(404, "not-found", "no document with id 'x'").detail == "Der er intet dokument med id »x«."
    assert danish(404, "not-found", "no topic with id 'y'").detail == "Der er intet emne med id »y«."


def test_validation_message_in_danish() -> None:
    error = {"loc": ("query", "year_to"), "type": "less_than_equal", "input": "3000", "ctx": {"le": 2200}}
    assert validation_message(error) == "Til-året (year_to) må højst være 2200 (fik »3000«)."
    assert validation_message({"loc": ("query", "zz"), "type": "missing"}) == "Parameteren »zz« mangler."
