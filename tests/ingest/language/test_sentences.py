"""ingest/language/sentences.py: the one sentence splitter, with exact offsets."""

from __future__ import annotations

import pytest

from ingest.language.sentences import NON_TERMINAL, sentence_spans, sentences


def test_spans_are_exact_trimmed_offsets_into_the_text() -> None:
    text = "  Velfærdsstaten er under pres.  Alle har ressourcer!\nHvad vil vi?   "
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["Velfærdsstaten er under pres.", "Alle har ressourcer!", "Hvad vil vi?"]
    assert spans[0] == (2, 31)


def test_a_range_of_the_text_is_split_with_offsets_into_the_whole_text() -> None:
    text = "Forord. Vi vil mere. Det gør vi sammen. Efterord."
    a, b = text.index("Vi"), text.index(" Efterord")
    assert [text[s:e] for s, e in sentence_spans(text, a, b)] == ["Vi vil mere.", "Det gør vi sammen."]
    assert all(a <= s < e <= b for s, e in sentence_spans(text, a, b))


@pytest.mark.parametrize("text", [
    "Vi arbejder bl.a. Slagelse Kommune og Region Sjælland sammen om det.",
    "Det sker jf. Serviceloven § 85 og jf. Pkt. 3 i aftalen.",
    "Der er f.eks. Bofællesskaber og ca. 200 pladser.",
    "Vi henviser til kap. 4 og s. 14 i rapporten.",
    "Udgifterne er fordoblet hvert 25. år siden 1860.",
    "Prisen er 3 mio. kr. om året.",
])
def test_danish_abbreviations_and_ordinals_do_not_end_a_sentence(text: str) -> None:
    assert sentences(text) == [text]


def test_a_full_stop_before_a_capital_or_a_digit_ends_a_sentence() -> None:
    assert sentences("Vi flytter fokus. Rehabilitering giver mening. 3 tilbud er nye.") == [
        "Vi flytter fokus.", "Rehabilitering giver mening.", "3 tilbud er nye."]
    assert sentences("Borgernes stigmatisering osv. Det handler om medborgerskab.") == [
        "Borgernes stigmatisering osv.", "Det handler om medborgerskab."]
    # a lower-case word after a full stop continues the sentence
    assert sentences("Det er godt, bl. andet fordi vi kan. og mere til.") == [
        "Det er godt, bl. andet fordi vi kan. og mere til."]


def test_quotes_and_brackets_stay_with_their_sentence() -> None:
    text = "»Livet er dit.« (Det er vores motto.) ”Sammen kan vi mere.” Ærø følger efter."
    assert sentences(text) == ["»Livet er dit.«", "(Det er vores motto.)", "”Sammen kan vi mere.”", "Ærø følger efter."]


def test_every_capital_counts_not_only_danish_ones() -> None:
    assert sentences("Vi samarbejder. Östersund og Émile deltager.") == ["Vi samarbejder.", "Östersund og Émile deltager."]


def test_the_abbreviations_are_lower_case_with_their_full_stop() -> None:
    assert all(a == a.casefold() and a.endswith(".") for a in NON_TERMINAL)
    assert sentences("Se bl.a. Figur 2. Den viser det.") == ["Se bl.a. Figur 2.", "Den viser det."]
