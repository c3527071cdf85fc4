"""Typed document trees produced by the structure reader (ingest.structure), before they become RDF.

A node's ``text`` is its own text exactly as in the source with whitespace normalised; ``segments``
are the character ranges of the source it was taken from, in order, so that
``segment_text(source, segments) == text`` (page numbers, HTML tags and bullet markers fall between segments,
never inside one; the halves of a word hyphenated across a line end are joined).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ontology.node_types import NodeKind

__all__ = ["Node", "NodeKind", "ParsedDocument", "Segment", "line_of_offset", "make_node", "normalize_ws",
           "segment_text"]

_WS = re.compile(r"\s+")


def normalize_ws(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends."""
    return _WS.sub(" ", text).strip()


Segment = tuple[int, int]


@dataclass
class Node:
    """One structural element of a document, with its provenance in the source text."""

    kind: NodeKind
    key: str
    """Path of the node under its document's IRI, e.g. ``track/5`` or ``bearing/2/principle/1``."""
    text: str
    segments: list[Segment]
    label: str | None = None
    children: list[Node] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)
    """Extra literal facts (e.g. ``number``, ``subtitle``, ``status``, ``municipality``)."""
    links: list[tuple[str, str]] = field(default_factory=list)
    """Links to other nodes of the same document as (ontology property local name, node key)."""

    @property
    def start(self) -> int:
        return self.segments[0][0]

    @property
    def end(self) -> int:
        return self.segments[-1][1]

    def walk(self) -> list[Node]:
        """This node and all its descendants, depth first, in document order."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass
class ParsedDocument:
    """What the structure reader recovers from one source text."""

    nodes: list[Node]
    """Top-level nodes in document order (their children hang below them)."""
    attrs: dict[str, str] = field(default_factory=dict)
    """Document facts found in the text: ``date`` (ISO), ``publisher`` and the like."""
    themes: list[str] = field(default_factory=list)
    """Cross-cutting themes the document names for itself (recorded on the document, not as nodes)."""

    def all_nodes(self) -> list[Node]:
        out: list[Node] = []
        for node in self.nodes:
            out.extend(node.walk())
        return out


def line_of_offset(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


_HYPHEN_BREAK = re.compile(r"-[^\S\n]*\n\s*")
"""What lies between the two halves of a word hyphenated across a line end ("opfølg-⏎ning")."""


def segment_text(source: str, segments: list[Segment]) -> str:
    """The normalised text covered by ``segments`` of ``source``: the one provenance rule of the project.

    Segments are joined with a space, except two halves of a word that a reader split at a line-end hyphen
    (the source between them is exactly "-", then a line break): those are joined into one word.
    """
    parts: list[str] = []
    prev_end: int | None = None
    for s, e in segments:
        if parts and prev_end is not None and _HYPHEN_BREAK.fullmatch(source, prev_end, s):
            parts[-1] += source[s:e]
        else:
            parts.append(source[s:e])
        prev_end = e
    return normalize_ws(" ".join(parts))


def make_node(kind: NodeKind, key: str, source: str, segments: list[Segment], label: str | None = None,
              **attrs: str) -> Node:
    """Build a node whose text is read from its segments, so text and provenance cannot disagree."""
    segs = [(s, e) for s, e in segments if source[s:e].strip()]
    if not segs:
        raise ValueError(f"node {key} has no text")
    # Trim whitespace inside each segment so spans point at the first and last real characters.
    trimmed: list[Segment] = []
    for s, e in segs:
        chunk = source[s:e]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        trimmed.append((s + lead, e - trail))
    return Node(kind=kind, key=key, text=segment_text(source, trimmed), segments=trimmed, label=label,
                attrs=dict(attrs))
