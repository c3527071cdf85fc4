"""Response and parameter models of the HTTP API; every field is described for the OpenAPI docs."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field


class Mode(StrEnum):
    hybrid = "hybrid"
    semantic = "semantic"
    keyword = "keyword"


class DocumentRef(BaseModel):
    id: str = Field(description="Document id, e.g. slagelse-2024-2030")
    title: str = Field(description="Document title")
    municipality: str = Field(description="Municipality key, e.g. slagelse")
    year: int = Field(description="Year the document belongs to")


class AncestorRef(BaseModel):
    id: str = Field(description="IRI of the ancestor")
    type: str = Field(description="Ontology class local name")
    label: str | None = Field(description="Heading or title")


class SourceRef(BaseModel):
    file: str = Field(description="Source file relative to the corpus folder")
    start: int = Field(description="Start character offset in the source text")
    end: int = Field(description="End character offset (exclusive)")


class Evidence(BaseModel):
    id: str = Field(description="IRI of the matching descendant")
    type: str = Field(description="Ontology class local name")
    label: str | None = Field(description="Heading, when the node has one")
    text: str = Field(description="The descendant's own text")
    score: float = Field(description="The descendant's own match score")
    highlights: list[tuple[int, int]] = Field(description="Character ranges of matched query terms in text")


class SearchResult(BaseModel):
    id: str = Field(description="IRI of the node")
    type: str = Field(description="Ontology class local name, e.g. Principle")
    label: str | None = Field(description="Heading or title, when the node has one")
    text: str = Field(description="The node's own text (not its descendants')")
    score: float = Field(description="Ranking score; comparable within one response only")
    document: DocumentRef = Field(description="The document the node belongs to")
    ancestors: list[AncestorRef] = Field(description="Ancestors root first (document, track, principle …)")
    evidence: list[Evidence] = Field(description="For container searches: the descendants that matched")
    source: SourceRef = Field(description="Where the text stands in the source file")
    highlights: list[tuple[int, int]] = Field(description="Character ranges of matched query terms in text")


class Interpretation(BaseModel):
    """What the service understood from a question; explicit parameters always win over it."""

    types: list[str] = Field(default_factory=list, description="Node types asked for, e.g. ['Principle']")
    municipality: str | None = Field(default=None, description="Municipality key named in the question, e.g. faxe")
    document: str | None = Field(default=None, description="Document id named in the question")
    year_from: int | None = Field(default=None, description="Earliest document year named in the question")
    year_to: int | None = Field(default=None, description="Latest document year named in the question")
    topic: str | None = Field(default=None, description="Topic id the question names, e.g. frivillighed")
    terms: str = Field(description="The words retrieved, after question words and recognised filters were removed")
    notes: list[str] = Field(default_factory=list, description="Filters the question named that the search could "
                                                                  "not apply, and why (Danish), e.g. a municipality "
                                                                  "without documents")


MatchQuality = Literal["good", "weak", "none"]


class SearchResponse(BaseModel):
    query: str = Field(description="The query as received")
    mode: Mode = Field(description="Retrieval mode used")
    interpreted: Interpretation | None = Field(
        default=None, description="What was understood from the question (None when searched literally)")
    match: MatchQuality = Field(
        default="good", description="How well the best results match: 'none' when nothing meaningful matched "
                                    "(calibrated on the score distribution), 'weak' when the match is marginal")
    results: list[SearchResult] = Field(description="Results, best first")
