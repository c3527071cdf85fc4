"""Typed document trees produced by the layout parsers, before they become RDF.

A node's ``text`` is its own text exactly as in the source with whitespace normalised; ``segments``
are the character ranges of the source it was taken from, in order, so that
``normalize_ws(" ".join(source[s:e] for s, e in segments)) == text`` (page numbers, HTML tags and
bullet markers fall between segments, never inside one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class NodeKind(StrEnum):
    """Node types; each value is the local name of the ontology class."""

    VISION = "Vision"
    TRACK = "Track"
    BEARING = "Bearing"
    FOCUS_AREA = "FocusArea"
    PRINCIPLE = "Principle"
    STATEMENT = "Statement"
    GOAL = "Goal"
    ACTIVITY = "Activity"
    STATUS_REPORT = "StatusReport"
    MOTTO = "Motto"
    PASSAGE = "Passage"
    SECTION = "Section"
    RELATED_DOCUMENT = "RelatedDocument"


CONTAINER_KINDS = frozenset(
    {NodeKind.TRACK, NodeKind.BEARING, NodeKind.PRINCIPLE, NodeKind.FOCUS_AREA, NodeKind.GOAL,
     NodeKind.VISION, NodeKind.SECTION}
)

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
    """What a layout parser recovers from one source text."""

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


def segment_text(source: str, segments: list[Segment]) -> str:
    """The normalised text covered by ``segments`` of ``source``."""
    return normalize_ws(" ".join(source[s:e] for s, e in segments))


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
