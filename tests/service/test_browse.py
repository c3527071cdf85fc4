"""The browsing functions on the real build of the bundled corpora: document list, document tree, node detail
with its source text, the original file's link, and source files kept inside the corpus folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.browse import (
    CONTEXT_CHARS,
    TreeNode,
    document_tree,
    list_documents,
    node_detail,
    original_link,
    read_source_text,
)
from service.generation import Generation


def test_every_document_is_listed_with_its_node_count(generation: Generation) -> None:
    listed = list_documents(generation)
    assert [d.id for d in listed] == list(generation.documents)
    assert sum(d.node_count for d in listed) == len(generation.nodes)
    assert all(d.node_count > 0 and d.municipality_name for d in listed)


def test_the_tree_holds_every_node_of_the_document_once_in_order(generation: Generation) -> None:
    for doc_id in generation.documents:
        detail = document_tree(generation, doc_id)
        assert detail is not None and detail.document.id == doc_id
        seen: list[str] = []

        def walk(nodes: list[TreeNode], parent: str, seen: list[str] = seen) -> None:
            for tree_node in nodes:
                record = generation.node(tree_node.id)
                assert record is not None and record.parent == parent
                assert [c.id for c in tree_node.children] == record.children
                seen.append(tree_node.id)
                walk(tree_node.children, tree_node.id)

        walk(detail.tree, detail.document.iri)
        assert seen == [n.id for n in generation.nodes if n.doc == doc_id]


def test_an_unknown_document_has_no_tree(generation: Generation) -> None:
    assert document_tree(generation, "no-such-document") is None


def test_node_detail_shows_the_span_with_its_surroundings(generation: Generation, corpora_dir: Path) -> None:
    node = next(n for n in generation.nodes if n.ancestors[1:] and n.links)  # nested, with links
    text = read_source_text(corpora_dir, node.source.file)
    detail = node_detail(generation, node.id, text)
    assert detail is not None
    s, e = node.source.start, node.source.end
    assert detail.source.span == text[s:e]
    assert detail.source.before == text[max(0, s - CONTEXT_CHARS):s]
    assert detail.source.after == text[e:e + CONTEXT_CHARS]
    assert [a.id for a in detail.ancestors] == [a.id for a in node.ancestors]
    assert detail.document.id == node.doc and detail.ancestors[0].id == generation.documents[node.doc].iri
    assert [c.id for c in detail.children] == node.children
    assert {prop: [link.id for link in links] for prop, links in detail.links.items()} == node.links
    assert detail.source.original == original_link(node.doc, node.source.page)


def test_node_detail_without_source_text_still_describes_the_node(generation: Generation) -> None:
    node = generation.nodes[0]
    detail = node_detail(generation, node.id, None)
    assert detail is not None and detail.source.span == "" and detail.text == node.text


def test_an_unknown_node_has_no_detail(generation: Generation) -> None:
    assert node_detail(generation, "https://example.org/not-a-node", "tekst") is None


def test_original_link_opens_a_page_where_there_is_one() -> None:
    assert original_link("faxe-strategi", None) == "/documents/faxe-strategi/original"
    assert original_link("faxe-strategi", 3) == "/documents/faxe-strategi/original#page=3"


@pytest.mark.parametrize("name", ["../pyproject.toml", "/etc/passwd", "sub/../../README.md"])
def test_a_source_file_outside_the_corpus_folder_is_refused(corpora_dir: Path, name: str) -> None:
    with pytest.raises(PermissionError, match="outside the corpus folder"):
        read_source_text(corpora_dir, name)
