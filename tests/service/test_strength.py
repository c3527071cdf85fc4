"""service/strength.py: »stærk/middel/svag« with the reason, for search results (by the query's words they hold),
overlaps (the detector's level, the median of the rest) and topic tags (how they were found)."""

from __future__ import annotations

import statistics

from fastapi.testclient import TestClient

from service.generation import Generation
from service.schemas import SearchResponse
from service.strength import OverlapScale, Strength, TopicScale, missing_words, quoted, search_strengths


def test_wording() -> None:
    assert quoted(["a"]) == "»a«" and quoted(["a", "b", "c"]) == "»a«, »b« og »c«"
    assert Strength("medium", "samme emne, andre ord").text == "middel: samme emne, andre ord"


def test_a_query_word_is_held_by_stem_or_as_a_compound_part() -> None:
    assert missing_words("pårørende og netværk", ["netværket"]) == ["pårørende"]
    assert missing_words("bolig", ["satellitboliger"]) == []
    assert missing_words("hvad med bolig", []) == ["bolig"], "stopwords are not asked for"


def _search(client: TestClient, **params: object) -> SearchResponse:
    return SearchResponse.model_validate(client.get("/search", params=params).json())


def test_search_results_are_strong_only_with_every_word(client: TestClient) -> None:
    response = _search(client, q="pårørende og netværk", k=20)
    strengths = search_strengths(response)
    assert len(strengths) == len(response.results)
    levels = {s.level for s in strengths}
    assert {"strong", "medium"} <= levels
    for s in strengths:
        if s.level == "strong":
            assert s.reason.endswith("står i teksten")
        elif s.reason.startswith("ord"):
            assert ", ikke »" in s.reason, s.reason


def test_a_meaningless_search_is_weak_throughout(client: TestClient) -> None:
    response = _search(client, q="xqzvbrtl")
    assert response.match == "none"
    assert {s.level for s in search_strengths(response)} <= {"weak"}


def test_overlap_levels_follow_the_detector_and_the_median_of_the_rest(generation: Generation) -> None:
    overlaps = generation.analysis["overlaps"]
    scale = OverlapScale.of(generation.analysis)
    for kind in ("alignment", "container"):
        related = sorted(o["score"] for o in overlaps if o["kind"] == kind and o["level"] != "strong")
        median = statistics.median(related)
        assert scale.level(related[0], kind, "related") == "weak"
        assert scale.level(related[-1], kind, "related") == "medium"
        assert scale.level(median, kind, "related") == "medium"
        assert scale.level(0.0, kind, "strong") == "strong", "the detector's word wins"
        lowest_strong = min(o["score"] for o in overlaps if o["kind"] == kind and o["level"] == "strong")
        assert scale.level(lowest_strong, kind) == "strong" and scale.level(median, kind) == "medium"
    o = next(o for o in overlaps if o["shared_terms"] and o["kind"] == "alignment")
    s = scale.strength(o["score"], o["kind"], o["level"], o["shared_terms"], [])
    assert s.reason.startswith("begge bruger ord") and f"»{o['shared_terms'][0]}«" in s.reason
    assert scale.strength(0.5, "alignment", "related", [], ["netværk"]).reason == "samme emne (»netværk«), andre ord"
    assert scale.strength(0.5, "container", "strong", [], [], 2).reason == "2 matchende underpunkter"


def test_topic_tags_by_how_they_were_found(generation: Generation) -> None:
    scale = TopicScale.of(generation.analysis)
    assert scale.meaning_median is not None
    assert scale.strength({"method": "lexical", "confidence": 0.8, "cues": ["netværk"]}).text == \
        "stærk: ordet »netværk« står i teksten"
    assert scale.strength({"method": "children", "confidence": 0.6, "cues": []}).level == "medium"
    assert scale.strength({"method": "embedding", "confidence": scale.meaning_median, "cues": []}).level == "medium"
    assert scale.strength({"method": "embedding", "confidence": scale.meaning_median - 0.01}).level == "weak"


def test_a_generation_computes_its_scales_once(generation: Generation) -> None:
    from service.strength import overlap_scale, topic_scale

    first = overlap_scale(generation)
    assert first == OverlapScale.of(generation.analysis) and overlap_scale(generation) is first
    tags = topic_scale(generation)
    assert tags == TopicScale.of(generation.analysis) and topic_scale(generation) is tags
