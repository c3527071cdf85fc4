"""service/citations.py: a text cited by its document's title, year and page, with links to its page and the
original (a PDF opened at the page)."""

from __future__ import annotations

import pytest

from service.citations import citations, cite
from service.generation import Generation

S14 = "slagelse-2014"


def test_a_text_of_a_document_with_pages_is_cited_with_its_page(generation: Generation) -> None:
    node = next(n for n in generation.nodes if n.doc == S14 and n.source.page)
    doc = generation.documents[S14]
    c = cite(generation, node.id)
    assert c is not None
    assert c.text == f"Slagelse Kommune: {doc.title} (2014), side {node.source.page}" or \
        c.text.startswith(f"Slagelse Kommune: {doc.title} (2014), side {node.source.page}–")
    assert c.page_url.startswith("/node?id=https%3A%2F%2F")
    assert c.original_url == f"/documents/{S14}/original", "not a PDF: the original opens whole"


def test_a_pdf_opens_at_the_page(generation: Generation, monkeypatch: pytest.MonkeyPatch) -> None:
    node = next(n for n in generation.nodes if n.doc == S14 and n.source.page)
    monkeypatch.setitem(generation.documents, S14, generation.documents[S14].model_copy(update={"format": "pdf"}))
    c = cite(generation, node.id)
    assert c is not None and c.original_url == f"/documents/{S14}/original#page={node.source.page}"


def test_a_page_range_and_a_text_without_pages() -> None:
    from service.citations import Citation

    base = dict(node="x", page_url="/node?id=x", document="d", municipality_name="Faxe Kommune", title="Politik",
                year=2019, format="pdf", original_url="/documents/d/original")
    assert Citation(**base, page=4, end_page=5).text == "Faxe Kommune: Politik (2019), side 4–5"
    assert Citation(**base, page=None, end_page=None).text == "Faxe Kommune: Politik (2019)"


def test_documents_and_unknown_texts(generation: Generation) -> None:
    doc = generation.documents[S14]
    c = cite(generation, doc.iri)
    assert c is not None and c.page_url == f"/dokument/{S14}" and c.page is None
    assert cite(generation, "https://example.org/nothing") is None
    assert list(citations(generation, [doc.iri, "https://example.org/nothing", doc.iri])) == [doc.iri]
