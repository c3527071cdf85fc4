"""ingest/language/words.py: the one tokeniser and stemmer."""

from __future__ import annotations

import unicodedata

from ingest.language.words import normalise, stem, word_spans, words


def test_danish_and_other_latin_letters_stay_inside_words() -> None:
    text = "Øget trivsel på Ærø, i Malmö og Härnösand – café-drift, über_alles 2024"
    assert words(text) == ["øget", "trivsel", "på", "ærø", "i", "malmö", "og", "härnösand", "café", "drift",
                           "über", "alles", "2024"]


def test_offsets_index_the_text_itself() -> None:
    text = "  Netværks- og pårørendeinddragelse (bl.a. i Ålborg)."
    spans = word_spans(text)
    assert [w for _, _, w in spans] == ["netværks", "og", "pårørendeinddragelse", "bl", "a", "i", "ålborg"]
    for start, end, word in spans:
        assert normalise(text[start:end]) == word


def test_a_decomposed_letter_does_not_split_its_word() -> None:
    nfd = unicodedata.normalize("NFD", "Pårørende på Ærø")
    assert nfd != "Pårørende på Ærø"
    assert words(nfd) == ["pårørende", "på", "ærø"]
    start, end, _ = word_spans(nfd)[0]
    assert nfd[start:end] == nfd.split()[0]


def test_stems_are_danish_snowball_stems() -> None:
    assert stem("boliger") == stem("bolig")
    assert stem("borgerne") == stem("borgere") == stem("borger") == "borg"
    assert stem("pårørendes") == stem("pårørende") == "pårør"
    assert stem("inddragelsen") == stem("inddragelse")


def test_joined_words_keep_ids_periods_and_genitives_whole() -> None:
    from ingest.language.words import JOINED_WORD

    text = "Hvad siger Aarhus' og Slagelse's slagelse-2024-2030 om 2014–2019? Netværks- og Pårørende"
    assert [m.group() for m in JOINED_WORD.finditer(text)] == [
        "Hvad", "siger", "Aarhus'", "og", "Slagelse's", "slagelse-2024-2030", "om", "2014–2019", "Netværks",
        "og", "Pårørende"]
