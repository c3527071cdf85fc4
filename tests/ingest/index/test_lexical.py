"""Danish keyword index: analysis, compounds, search, highlighting, persistence."""

from __future__ import annotations

import threading
import unicodedata
from pathlib import Path

import pytest

from ingest.errors import BuildError
from ingest.index.lexical import CompoundSplitter, LexicalIndex, analyze, highlight_spans

ROOT = Path(__file__).resolve().parents[3]

DOCS = [
    "Vi arbejder med netværksinddragelse i alle tilbud.",  # 0
    "Pårørendeinddragelse er vigtig for os.",  # 1
    "Budgettet for 2024 er vedtaget af byrådet.",  # 2
    "Borgerens netværk og de pårørende skal styrkes.",  # 3
    "Og så er der ikke mere at sige.",  # 4: stopwords only
    "Værktøjer til værkstedet og kunstværker.",  # 5: shares n-grams with "netværk", not the word
]


def _hits(index: LexicalIndex, query: str, k: int = 10) -> list[int]:
    return [i for i, _ in index.search(query, k)]


def test_analyze_lowercases_stems_and_drops_stopwords_and_punctuation() -> None:
    terms = analyze("Netværket, og de PÅRØRENDE: æøå-bogstaver! Slagelse 2024.")
    assert terms == ["netværk", "pårør", "æøå", "bogstav", "slag", "2024"]
    assert analyze("og i at det er") == []
    assert analyze("") == []
    decomposed = unicodedata.normalize("NFD", "Pårørende")  # "å" as "a" + combining ring
    assert analyze(decomposed) == ["pårør"]
    assert highlight_spans("pårørende", f"om {decomposed}.") == [(3, 3 + len(decomposed))]


def test_compound_query_words_find_the_compounds() -> None:
    index = LexicalIndex.build(DOCS)
    assert index.mode == "split"
    assert set(_hits(index, "netværk")) == {0, 3}
    assert set(_hits(index, "pårørende")) == {1, 3}
    # a compound query finds its own word first, then texts with its parts
    assert _hits(index, "pårørendenetværk")[0] == 3


def test_modes_are_selectable_and_differ() -> None:
    none = LexicalIndex.build(DOCS, mode="none")
    assert _hits(none, "netværk") == [3]  # no compound handling
    ngram = LexicalIndex.build(DOCS, mode="ngram")
    hits = _hits(ngram, "netværk")
    assert {0, 3} <= set(hits)
    assert 5 in hits  # "værk" n-grams also hit "værktøjer": the imprecision measured in the docs
    split = LexicalIndex.build(DOCS)
    assert 5 not in _hits(split, "netværk")
    with pytest.raises(ValueError, match="unknown compound mode"):
        LexicalIndex.build(DOCS, mode="bigrams")  # type: ignore[arg-type]


def test_search_returns_only_positive_scores_best_first_limited_to_k() -> None:
    index = LexicalIndex.build(DOCS)
    results = index.search("netværk pårørende budget", k=10)
    scores = [s for _, s in results]
    assert all(s > 0 for s in scores) and scores == sorted(scores, reverse=True)
    assert results[0][0] == 3  # has both words
    assert {i for i, _ in results} == {0, 1, 2, 3}
    assert len(index.search("netværk pårørende budget", k=2)) == 2
    assert index.search("og de", k=5) == []
    assert index.search("ukendtord", k=5) == []
    assert index.search("netværk", k=0) == []


def test_real_corpus_compounds() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpora").glob("*.txt"))]
    paragraphs = [p for t in texts for p in t.split("\n\n") if p.strip()]
    index = LexicalIndex.build(paragraphs)
    netv = {i for i, _ in index.search("netværk", 100)}
    assert any("netværksinddragelse" in paragraphs[i] for i in netv)
    par = {i for i, _ in index.search("pårørende", 100)}
    assert any("pårørendeinddragelse" in paragraphs[i].lower() for i in par)


def test_splitter_uses_known_parts_and_linking_letters() -> None:
    sp = CompoundSplitter({"netværk": 3, "inddragelse": 2, "børn": 4, "området": 5, "ansvar": 2, "lige": 9})
    assert sp.split("netværksinddragelse") == ("netværk", "inddragelse")
    assert sp.split("netværksinddragelsen") == ("netværk", "inddragelsen")  # inflected last part
    assert sp.split("børneområdet") == ("børn", "området")
    assert sp.split("ansvarlige") is None  # "-lige" is a suffix, not a part
    assert sp.split("netværk") is None
    assert sp.split("bilområdet") is None  # parts shorter than 4 letters are not split off
    assert sp.part_stems("netværksinddragelse") == ["netværk", "inddrag"]


def test_highlight_spans_by_stem_and_compound_part() -> None:
    text = "Netværket og netværksinddragelse; ambassadørnetværk. Værktøj og pårørendeinddragelse!"
    spans = highlight_spans("netværk", text)
    assert [text[a:b] for a, b in spans] == ["Netværket", "netværksinddragelse", "ambassadørnetværk"]
    assert [text[a:b] for a, b in highlight_spans("Pårørende?", text)] == ["pårørendeinddragelse"]
    assert highlight_spans("og", text) == []
    assert highlight_spans("netværk", "") == []


def test_save_load_roundtrip(tmp_path: Path) -> None:
    for mode in ("split", "ngram", "none"):
        index = LexicalIndex.build(DOCS, mode=mode)
        index.save(tmp_path / mode)
        loaded = LexicalIndex.load(tmp_path / mode)
        assert loaded.mode == mode and loaded.n_docs == len(DOCS)
        for q in ("netværk", "pårørende budget", "værktøj"):
            got, want = loaded.search(q, 10), index.search(q, 10)
            assert [i for i, _ in got] == [i for i, _ in want]
            assert [s for _, s in got] == pytest.approx([s for _, s in want])
    empty = LexicalIndex.build([])
    empty.save(tmp_path / "empty")
    assert LexicalIndex.load(tmp_path / "empty").search("netværk", 3) == []


def test_load_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match=r"lexical\.json"):
        LexicalIndex.load(tmp_path / "nowhere")
    LexicalIndex.build(DOCS).save(tmp_path / "ix")
    (tmp_path / "ix" / "vocab.index.json").unlink()
    with pytest.raises(BuildError, match=r"vocab\.index\.json"):
        LexicalIndex.load(tmp_path / "ix")
    LexicalIndex.build(DOCS).save(tmp_path / "ix2")
    data = tmp_path / "ix2" / "data.csc.index.npy"
    data.write_bytes(data.read_bytes()[:20])
    with pytest.raises(BuildError, match="ix2"):
        LexicalIndex.load(tmp_path / "ix2")
    (tmp_path / "ix3").mkdir()
    (tmp_path / "ix3" / "lexical.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(BuildError, match=r"lexical\.json"):
        LexicalIndex.load(tmp_path / "ix3")


def test_concurrent_searches_agree() -> None:
    index = LexicalIndex.build(DOCS * 20)
    queries = ["netværk", "pårørende", "budget", "værktøj", "borger netværk"]
    expected = {q: index.search(q, 50) for q in queries}
    errors: list[str] = []

    def work() -> None:
        for _ in range(20):
            for q in queries:
                if index.search(q, 50) != expected[q]:
                    errors.append(q)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_coverage_is_the_idf_weighted_share_of_query_words_a_text_holds() -> None:
    index = LexicalIndex.build(["Vi samarbejder med andre kommuner.", "Et stærkt samarbejde med netværket.",
                                "Budgettet er vedtaget.", "Samarbejde, samarbejde og samarbejde."])
    coverage = index.coverage("samarbejde med andre kommuner")
    assert coverage[0] == pytest.approx(1.0)
    assert coverage[1] == pytest.approx(coverage[3])  # "samarbejde" only: the commoner word
    assert 0 < coverage[1] < 0.5
    assert coverage[2] == 0
    assert index.coverage("xqzvbrtl").tolist() == [0.0] * 4
    # BM25 alone prefers the text repeating the common word; coverage says which text holds the query
    assert index.scores("samarbejde med andre kommuner")[3] > 0 and coverage[0] > coverage[3]


def test_word_terms_group_index_terms_per_query_word() -> None:
    index = LexicalIndex.build(DOCS)
    groups = index.word_terms("netværk og pårørende xqzvbrtl")
    assert len(groups) == 2  # "og" is a stopword, the unknown word has no index term
    assert all(groups)


def test_answers_do_not_depend_on_the_queries_asked_before(tmp_path: Path) -> None:
    """The query-time caches (per word, per set of term ids) give what a freshly loaded index gives, whatever
    was asked before and in whatever order the words come."""
    used = LexicalIndex.build(DOCS)
    used.save(tmp_path)
    queries = ["netværk og pårørende", "pårørende netværk", "netværksinddragelse netværk", "netværk netværk",
               "borgerens pårørendeinddragelse", "værktøj netværk budget", "xqzvbrtl netværk"]
    for q in queries * 2:  # fill the caches, in both orders
        used.scores(q), used.coverage(q)
    for q in reversed(queries):
        fresh = LexicalIndex.load(tmp_path)
        assert used.query_terms(q) == fresh.query_terms(q)
        assert used.word_terms(q) == fresh.word_terms(q)
        assert used.scores(q).tolist() == fresh.scores(q).tolist()
        assert used.coverage(q).tolist() == fresh.coverage(q).tolist()
