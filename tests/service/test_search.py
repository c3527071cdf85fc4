"""Search over the real build: hybrid, semantic and keyword, filters, roll-up with evidence, bad input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.generation import Generation
from service.schemas import Mode, SearchResponse
from service.search import SearchError, SearchParams, search, search_body


def test_which_principles_cover_netvaerk(generation: Generation) -> None:
    response = search(generation, SearchParams(q="netværk", types=("Principle",)))
    assert response.results, "no principle found for netværk"
    assert {r.type for r in response.results} == {"Principle"}
    top = response.results[0]
    assert top.document.municipality == "faxe"
    assert top.evidence, "a rolled-up principle must show the statements that matched"
    assert any("netværk" in e.text.lower() for e in top.evidence)
    for ev in top.evidence:
        assert ev.id.startswith(top.id + "/"), "evidence must be a descendant of its container"


def test_whether_track_5_covers_netvaerk(generation: Generation) -> None:
    response = search(generation, SearchParams(q="netværk", types=("Track",), k=3))
    assert response.results[0].label == "ET STÆRKT SAMARBEJDE MED BORGERENS NETVÆRK"


@pytest.mark.parametrize(("query", "word"), [("netværk", "netværksinddragelse"),
                                             ("pårørende", "pårørendeinddragelse")])
def test_keyword_side_splits_danish_compounds(generation: Generation, query: str, word: str) -> None:
    response = search(generation, SearchParams(q=query, mode=Mode.keyword, k=100))
    assert any(word in r.text.lower() for r in response.results)


def test_filters_restrict_municipality_document_and_years(generation: Generation) -> None:
    faxe = search(generation, SearchParams(q="fællesskaber", municipality="faxe", k=20))
    assert faxe.results and {r.document.municipality for r in faxe.results} == {"faxe"}
    doc = search(generation, SearchParams(q="fællesskaber", document="slagelse-2019", k=20))
    assert doc.results and {r.document.id for r in doc.results} == {"slagelse-2019"}
    years = search(generation, SearchParams(q="fællesskaber", year_from=2014, year_to=2015, k=20))
    assert years.results and all(2014 <= r.document.year <= 2015 for r in years.results)


def test_multiple_types_and_leaf_types(generation: Generation) -> None:
    response = search(generation, SearchParams(q="velfærdsteknologi", types=("Statement", "Passage"), k=15))
    assert response.results and {r.type for r in response.results} <= {"Statement", "Passage"}


def test_result_fields_and_highlights(generation: Generation) -> None:
    response = search(generation, SearchParams(q="velfærdsteknologi", k=5))
    result = response.results[0]
    assert result.ancestors[0].type == "StrategyDocument"
    assert result.source.end > result.source.start
    assert result.highlights, "the matched word must be highlighted"
    s, e = result.highlights[0]
    assert "velfærdsteknologi" in result.text[s:e].lower()


def test_english_query_finds_danish_text(generation: Generation) -> None:
    response = search(generation, SearchParams(q="welfare technology and digital accessibility", k=10))
    assert any("velfærdsteknologi" in r.text.lower() or "digital" in r.text.lower() for r in response.results)


def test_all_modes_answer(generation: Generation) -> None:
    for mode in Mode:
        assert search(generation, SearchParams(q="recovery", mode=mode)).results


@pytest.mark.parametrize(("params", "reason"), [
    (SearchParams(q=""), "empty"),
    (SearchParams(q="   \n"), "empty"),
    (SearchParams(q="x" * 10_000), "characters"),
    (SearchParams(q="netværk", types=("Planet",)), "unknown type"),
    (SearchParams(q="netværk", municipality="atlantis"), "unknown municipality"),
    (SearchParams(q="netværk", document="nope"), "unknown document"),
    (SearchParams(q="netværk", k=0), "between 1 and 100"),
    (SearchParams(q="netværk", k=101), "between 1 and 100"),
    (SearchParams(q="netværk", year_from=2020, year_to=2010), "year_from"),
])
def test_bad_input_is_refused_with_a_reason(generation: Generation, params: SearchParams, reason: str) -> None:
    with pytest.raises(SearchError, match=reason):
        search(generation, params)


def test_repeated_query_is_served_from_the_cache(generation: Generation) -> None:
    params = SearchParams(q="bostøtte efter serviceloven", k=7)
    first = search(generation, params)
    assert search(generation, params) is first


HIGHLIGHT_QUERIES = ["netværk", "pårørende", "Pårørende?", "bostøtte i eget hjem", "inddragelse af netværket",
                     "frivillige foreninger og fællesskaber", "borgere med handicap", "recovery", "og i", "sammen",
                     "mestring af eget liv", "beskæftigelse og uddannelse", "psykiatri", "x"]


def test_highlights_are_those_of_highlight_spans(generation: Generation) -> None:
    """The per-query highlighter (words cached per text, the part test only for words holding a query form)
    marks exactly what ingest.index.lexical.highlight_spans marks, on every node text and title of the build."""
    from ingest.index.lexical import highlight_spans
    from service.search import highlighter

    texts = [n.text for n in generation.nodes] + [n.label or "" for n in generation.nodes]
    for q in HIGHLIGHT_QUERIES:
        spans = highlighter(q)
        assert [spans(t) for t in texts] == [highlight_spans(q, t) for t in texts], q


WORDS = ["netværk", "netværks", "netværksgruppe", "pårørende", "pårørendeinddragelse", "bolig", "bostøtte",
         "støtte", "og", "i", "sammen", "sammenhæng", "fællesskab", "arbejdsfællesskaber", "Netværket", "ring"]


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join),
       st.lists(st.sampled_from([*WORDS, ",", ".", "-", "  "]), max_size=30).map(" ".join))
def test_highlights_of_any_text_are_those_of_highlight_spans(query: str, text: str) -> None:
    from ingest.index.lexical import highlight_spans
    from service.search import highlighter

    assert highlighter(query)(text) == highlight_spans(query, text)


@pytest.mark.parametrize("types", [(), ("Principle",), ("Track", "Document"), ("Document",), ("Statement",)])
@pytest.mark.parametrize("mode", list(Mode))
def test_the_route_json_is_the_response_models_json(generation: Generation, monkeypatch: pytest.MonkeyPatch,
                                                    mode: Mode, types: tuple[str, ...]) -> None:
    """search_body writes the rows as plain values; its bytes are the SearchResponse's own JSON."""
    from service.generation import LRU
    from service.question import search_params

    monkeypatch.setattr(generation, "result_cache", LRU(0))  # both sides computed, neither from the cache
    for q in ("netværk og pårørende", "Hvilke principper har Faxe om frivillighed?", "xqzvbrtl", "2019"):
        params, interpreted = search_params(generation, SearchParams(q=q, mode=mode, types=types))
        body = search_body(generation, params, q, interpreted)
        response = search(generation, params).model_copy(update={"query": q, "interpreted": interpreted})
        assert body == response.model_dump_json(by_alias=True).encode()
        assert SearchResponse.model_validate_json(body) == response
        if types == ("Document",) and response.results:  # the documents' own rows, with their evidence
            assert response.results[0].type == "StrategyDocument" and response.results[0].evidence
