"""Where a text stands, said so that people can check it: the document by its title, year and page, and links to
the text's own page (which shows the passage) and to the original file (a PDF opened at the page).

"Faxe Kommune: Strategi for det specialiserede voksensocialområde (2019), side 4" instead of a corpus file name and
character offsets. Used by the pages (search results, evidence rows, the node page) and the CSV exports.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, Field

from service.browse import original_link
from service.generation import Generation
from service.pages.wording import document_url, node_url


class Citation(BaseModel):
    """One text of the graph, cited by its document."""

    node: str = Field(description="IRI of the cited node")
    page_url: str = Field(description="Path of the node's page on this service (it shows the passage in its source)")
    document: str = Field(description="Document id, e.g. faxe-strategi")
    municipality_name: str = Field(description="Municipality name, e.g. Faxe Kommune")
    title: str = Field(description="The document's title")
    year: int = Field(description="Year the document belongs to")
    page: int | None = Field(description="1-based page of the original file where the text begins, when it has pages")
    end_page: int | None = Field(description="1-based page where the text ends, when it has pages")
    format: str = Field(description="Format of the original file: pdf, docx, html, markdown, text …")
    original_url: str = Field(description="Path of the original file on this service; a PDF opens at the page "
                                          "(#page=N), other formats open whole")

    @property
    def pages(self) -> str:
        """ "side 4", "side 4–5" or "" (a file without pages)."""
        if self.page is None:
            return ""
        if self.end_page is not None and self.end_page != self.page:
            return f"side {self.page}–{self.end_page}"
        return f"side {self.page}"

    @property
    def text(self) -> str:
        """ "Faxe Kommune: Strategi for … (2019), side 4"."""
        head = f"{self.municipality_name}: {self.title} ({self.year})"
        return f"{head}, {self.pages}" if self.pages else head


def cite(gen: Generation, iri: str) -> Citation | None:
    """The citation of the node or document ``iri``, or ``None`` when the generation has neither."""
    node = gen.node(iri)
    if node is None:
        whole = next((d for d in gen.documents.values() if d.iri == iri), None)
        if whole is None:
            return None
        return Citation(node=iri, page_url=document_url(whole.id), document=whole.id,
                        municipality_name=whole.municipality_name, title=whole.title, year=whole.year, page=None,
                        end_page=None, format=whole.format, original_url=original_link(whole.id, None))
    doc = gen.documents[node.doc]
    page, end_page = node.source.page, node.source.end_page
    return Citation(node=node.id, page_url=node_url(node.id), document=doc.id,
                    municipality_name=doc.municipality_name, title=doc.title, year=doc.year, page=page,
                    end_page=end_page, format=doc.format,
                    original_url=original_link(doc.id, page if doc.format == "pdf" else None))


def citations(gen: Generation, iris: Iterable[str]) -> dict[str, Citation]:
    """The citation of each node of ``iris`` the generation has, by IRI."""
    out: dict[str, Citation] = {}
    for iri in iris:
        if iri not in out and (found := cite(gen, iri)) is not None:
            out[iri] = found
    return out
