"""The question interpreter (service/question.py) on the real build of the bundled corpora: types, municipality,
years, document and topic read from questions in Danish and English, the words retrieved, the fallbacks, and
explicit parameters winning. The phrasings are written here, apart from tests/data/eval/dev_questions.json."""

from __future__ import annotations

import pytest

from ontology.node_types import NODE_TYPES
from service.generation import Generation
from service.question import (
    describe,
    interpret,
    search_params,
    tokenize,
    type_name,
    type_words,
    understood,
    vocabulary,
)
from service.search import SearchParams


@pytest.mark.parametrize(("q", "types", "terms"), [
    ("Hvilke indsatsområder omhandler bolig?", ["FocusArea"], "bolig"),
    ("Hvilke temaer handler om beskæftigelse", ["FocusArea"], "beskæftigelse"),
    ("Vis mig målene om misbrugsbehandling", ["Goal"], "misbrugsbehandling"),
    ("Hvilke målsætninger er der for unge?", ["Goal"], "unge"),
    ("Findes der aktiviteter om botilbud?", ["Activity"], "botilbud"),
    ("Hvad siger principperne om inddragelse?", ["Principle"], "inddragelse"),
    ("Hvilke pejlemærkerne nævner recovery", ["Bearing"], "recovery"),
    ("Hvilken vision har fokus på livskvalitet?", ["Vision"], "livskvalitet"),
    ("Hvilke statusrapporter handler om tilsyn", ["StatusReport"], "tilsyn"),
    ("Hvilke spor og pejlemærker drejer sig om frivillige?", ["Track", "Bearing"], "frivillige"),
    ("principper om rehabilitering", ["Principle"], "rehabilitering"),
    ("What tracks deal with housing?", ["Track"], "housing"),
    ("Show me the principles about relatives", ["Principle"], "relatives"),
    ("Which focus areas concern employment", ["FocusArea"], "employment"),
    ("Which goals mention sheltered housing?", ["Goal"], "sheltered housing"),
    ("Are there any activities on addiction?", ["Activity"], "addiction"),
])
def test_asked_for_types_danish_and_english_with_inflections(generation: Generation, q: str, types: list[str],
                                                              terms: str) -> None:
    it = interpret(generation, q)
    assert it.types == types and it.terms == terms, it


@pytest.mark.parametrize("q", ["netværk", "viden om netværk", "mål for beskæftigelse", "indsats for hjemløse",
                               "Vejen til egen bolig", "borgerens netværk og pårørende", "status"])
def test_keywords_are_left_as_typed(generation: Generation, q: str) -> None:
    """A query of keywords keeps every word; type words in it are content, not a request ("mål for …")."""
    it = interpret(generation, q)
    assert it.terms == q
    assert not (it.types or it.municipality or it.document or it.year_from or it.year_to or it.notes), it
    assert not understood(it, q)


@pytest.mark.parametrize(("q", "municipality", "terms"), [
    ("Hvad skriver Faxe om pårørende?", "faxe", "pårørende"),
    ("Faxes indsats for borgere med handicap", "faxe", "indsats for borgere med handicap"),
    ("Hvad siger Slagelse Kommune om botilbud", "slagelse", "botilbud"),
    ("Slagelse Kommunes pejlemærker om misbrug", "slagelse", "misbrug"),
    ("Hvad gør slagelse for hjemløse", "slagelse", "gør for hjemløse"),
    ("What does the Faxe municipality say about volunteers?", "faxe", "volunteers"),
    ("Slagelse's goals on employment", "slagelse", "employment"),
    ("frivillighed i Faxe", "faxe", "frivillighed"),
])
def test_municipality_by_name_genitive_and_kommune(generation: Generation, q: str, municipality: str,
                                                   terms: str) -> None:
    it = interpret(generation, q)
    assert it.municipality == municipality and it.terms == terms, it


@pytest.mark.parametrize(("q", "name"), [
    ("Hvad siger Aarhus om frivillighed?", "Aarhus Kommune"),
    ("Hvad skriver Københavns Kommune om frivillighed", "Københavns Kommune"),
    ("Hvad mener Bornholms Regionskommune om frivillighed", "Bornholms Regionskommune"),
    ("Hvad siger Aarhus' strategi om frivillighed", "Aarhus Kommune"),
])
def test_a_municipality_without_documents_is_reported_not_applied(generation: Generation, q: str,
                                                                   name: str) -> None:
    it = interpret(generation, q)
    assert it.municipality is None
    assert "frivillighed" in it.terms and name.split()[0].rstrip("s") not in it.terms, it
    assert len(it.notes) == 1 and name in it.notes[0] and "alle kommuner" in it.notes[0]
    params, _ = search_params(generation, SearchParams(q=q))
    assert params.municipality is None  # searching all municipalities, not refusing the question


def test_two_municipalities_are_searched_together(generation: Generation) -> None:
    it = interpret(generation, "Hvad siger Faxe og Slagelse om frivillighed?")
    assert it.municipality is None and it.terms == "frivillighed"
    assert "Faxe Kommune" in it.notes[0] and "Slagelse Kommune" in it.notes[0]


@pytest.mark.parametrize(("q", "year_from", "year_to", "terms"), [
    ("Hvad stod der om bostøtte i 2014?", 2014, 2014, "bostøtte"),
    ("Hvilke mål havde Slagelse mellem 2014 og 2019 om bolig", 2014, 2019, "bolig"),
    ("bolig 2014-2019", 2014, 2019, "bolig"),
    ("bolig i 2014–15", 2014, 2015, "bolig"),
    ("Hvad skrev de fra 2014 til 2019 om tilsyn", 2014, 2019, "tilsyn"),
    ("rusmidler fra 2019", 2019, 2019, "rusmidler"),
    ("rusmidler fra 2019 og frem", 2019, None, "rusmidler"),
    ("Hvad er der skrevet om tilsyn siden 2015", 2015, None, "skrevet om tilsyn"),
    ("misbrug efter 2019", 2020, None, "misbrug"),
    ("misbrug før 2019", None, 2018, "misbrug"),
    ("misbrug til og med 2015", None, 2015, "misbrug"),
    ("What was said about housing in 2019?", 2019, 2019, "housing"),
    ("goals between 2014 and 2015 about employment", 2014, 2015, "employment"),
])
def test_years_and_periods(generation: Generation, q: str, year_from: int | None, year_to: int | None,
                           terms: str) -> None:
    it = interpret(generation, q)
    assert (it.year_from, it.year_to, it.terms) == (year_from, year_to, terms), it


def test_a_year_without_documents_is_reported_not_applied(generation: Generation) -> None:
    years = {d.year for d in generation.documents.values()}
    empty = next(y for y in range(2000, 2100) if y not in years)
    it = interpret(generation, f"Hvad stod der om misbrug i {empty}?")
    assert it.year_from is None and it.year_to is None and it.terms == "misbrug"
    assert str(empty) in it.notes[0]


def test_a_year_the_municipality_has_no_document_from_is_reported(generation: Generation) -> None:
    faxe_years = {d.year for d in generation.documents.values() if d.municipality == "faxe"}
    other = next(d.year for d in generation.documents.values() if d.year not in faxe_years)
    it = interpret(generation, f"Hvad sagde Faxe om netværk i {other}?")
    assert it.municipality == "faxe" and it.year_from is None and it.notes


def test_several_years_are_searched_as_words(generation: Generation) -> None:
    it = interpret(generation, "bolig i 2014 og i 2019")
    assert it.year_from is None and it.year_to is None and "2014" in it.terms and "2019" in it.terms


def test_document_named_by_id_or_title(generation: Generation) -> None:
    doc = next(iter(generation.documents.values()))
    by_id = interpret(generation, f"Hvad står der i {doc.id} om netværk?")
    assert by_id.document == doc.id and by_id.terms == "netværk", by_id
    by_title = interpret(generation, f"Hvad siger »{doc.title}« om netværk?")
    assert by_title.document == doc.id and by_title.terms == "netværk", by_title
    # A title that holds a type word and a year is the document, not a type or a year filter.
    titled = next((d for d in generation.documents.values() if "pejlemærker" in d.title.lower()), None)
    if titled is not None:
        it = interpret(generation, f"Hvad står der om hjemløse i {titled.title}?")
        assert it.document == titled.id and it.types == [] and it.year_from is None, it


def test_topic_is_recognised_and_only_reported(generation: Generation) -> None:
    topics = {t["id"] for t in generation.analysis["topics"]}
    assert "frivillighed" in topics
    it = interpret(generation, "Hvilke principper handler om frivillighed?")
    assert it.topic == "frivillighed"
    params, used = search_params(generation, SearchParams(q="Hvilke principper handler om frivillighed?"))
    assert used is not None and used.topic == "frivillighed" and params.topic is None
    filtered, _ = search_params(generation, SearchParams(q="Hvilke principper handler om frivillighed?"),
                                topic_role="filter")
    assert filtered.topic == "frivillighed"


@pytest.mark.parametrize("q", ["xqzvbrtl", "?", "hvilke", "Hvilke principper?", "2019", "om", "»«", "Faxe",
                               "which which which", "i 1850", "mellem 2019 og", "Hvad siger Faxe og?"])
def test_odd_questions_fall_back_and_never_fail(generation: Generation, q: str) -> None:
    it = interpret(generation, q)
    assert it.terms.strip(), it  # always something to search for
    params, _ = search_params(generation, SearchParams(q=q))
    assert params.q == it.terms


def test_a_question_without_subject_searches_its_type_words(generation: Generation) -> None:
    it = interpret(generation, "Hvad er Faxes vision?")
    assert it.types == ["Vision"] and it.municipality == "faxe" and it.terms == "vision"
    assert describe(it, generation) == "Viser visioner i Faxe Kommune"


def test_explicit_parameters_win(generation: Generation) -> None:
    q = "Hvilke principper i Faxe dækker netværk i 2021?"
    params, used = search_params(generation, SearchParams(q=q))
    assert (params.q, params.types, params.municipality, params.year_from) == ("netværk", ("Principle",), "faxe", 2021)
    explicit = SearchParams(q=q, types=("Track",), municipality="slagelse", year_from=2014, k=3)
    params, used = search_params(generation, explicit)
    assert params.q == "netværk" and params.types == ("Track",) and params.municipality == "slagelse"
    assert (params.year_from, params.year_to) == (2014, None)  # a given year bound replaces the question's years
    assert params.k == 3 and used is not None and used.types == ["Track"] and used.municipality == "slagelse"


def test_literal_and_unusable_queries_are_not_interpreted(generation: Generation) -> None:
    request = SearchParams(q="Hvilke principper dækker netværk?")
    assert search_params(generation, request, literal=True) == (request, None)
    for q in ("", "   ", "x" * 2000):
        blank = SearchParams(q=q)
        assert search_params(generation, blank) == (blank, None)


def test_describe_in_plain_danish(generation: Generation) -> None:
    it = interpret(generation, "which principles in Faxe cover netværk")
    assert describe(it, generation) == "Viser principper om »netværk« i Faxe Kommune"
    assert describe(it, generation, count=1) == "1 princip om »netværk« i Faxe Kommune"
    assert describe(it, generation, count=4) == "4 principper om »netværk« i Faxe Kommune"
    two = interpret(generation, "Hvilke spor og mål handler om bolig mellem 2014 og 2024")
    assert describe(two, generation) == "Viser spor og mål om »bolig« fra 2014–2024"
    plain = interpret(generation, "Hvad stod der om bolig i 2019")
    assert describe(plain, generation, count=1) == "1 resultat om »bolig« fra 2019"
    assert type_name("Bearing", 1) == "pejlemærke" and type_name("Bearing", 3) == "pejlemærker"


def test_type_words_are_the_ontology_class_labels() -> None:
    words = type_words()
    assert set(words) == set(NODE_TYPES)
    assert {"princip", "principle", "principper", "principperne", "principles"} <= words["Principle"]
    assert {"spor", "strategispor", "track", "tracks"} <= words["Track"]
    assert {"tema", "fokusområde", "theme", "focus areas"} <= words["FocusArea"]
    frame = vocabulary().frame
    roles = {frame.match(tokenize(w), 0) for w in ("principperne", "strategy tracks", "hvilke", "handler om")}
    assert roles == {(1, "type:Principle"), (2, "type:Track"), (1, "opener"), (2, "link")}


def test_every_question_word_is_a_lower_case_phrase() -> None:
    vocab = vocabulary()
    for first, options in vocab.frame.by_first.items():
        for words, role in options:
            assert words[0] == first and all(w == w.casefold() for w in words), (words, role)
    assert "aarhus" in vocab.municipalities and len(set(vocab.municipalities.values())) == 98
