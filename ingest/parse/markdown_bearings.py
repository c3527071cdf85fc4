"""Layout ``markdown-bearings``: a strategy converted to markdown with political bearings and principles.

Conventions of the layout, and how each ``#`` chapter is read (no municipality-specific strings):

* A ``#`` heading with no content is the document title; not a node.
* A table of contents is a chapter whose lines mostly end in dot leaders and a page number
  (``Forord ..... 3``, often with ``<b>`` tags); it only repeats names, so it gives no nodes.
* The overview is a chapter whose ``##`` headings repeat (ignoring case) the headings of later ``#``
  chapters: it is a one-page summary of the bearings (short ``### Vi ...`` lists and bold mottos) and would
  duplicate them, so it gives no nodes. It is used for one thing only: a bearing whose own chapter carries
  no motto takes the motto printed under its name on the overview. On the overview the motto is the
  *first* bold paragraph after a bearing's bullets; a further bold paragraph in the same block (e.g.
  ``MENINGEN MED DET HELE``) is a free-floating page label from the overview graphic that the PDF
  conversion placed after whichever bearing preceded it, not a motto. A bearing's own chapter wins over
  the overview when both give a motto.
* A bearing is a chapter named on the overview, or one with principles under a ``##`` subheading. Its
  prose paragraphs are Passages; a line ending in ``:`` directly followed by bullets is a Principle
  (label = the line without ``:``) whose bullets are its Statements; a bold paragraph is its Motto.
  ``##`` subheadings inside a bearing (``## Principper``) only group the principles and are not nodes.
* A ``##`` heading ending in ``:`` with no content of its own (``## Pejlemærke:``) is a page marker for
  the next heading; not a node.
* Any other chapter (e.g. ``# Forord``) is a Section; its paragraphs are Passages and its ``##``
  subheadings with content are nested Sections. A bullet list there introduced by a paragraph that
  speaks of policies or strategies lists the documents the strategy builds on: each bullet is a
  RelatedDocument (key ``related/N``, label = the name before `` (``).

Document facts: ``publisher`` from "med <X> som det ansvarlige (fag)udvalg"; ``workshop_date`` (ISO) from a
sentence about a workshop. The workshop date is not the document's date, so ``date`` is not set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.errors import ParseError
from ingest.model import Node, NodeKind, ParsedDocument, make_node, segment_text
from ingest.parse.markdown_tracks import Block, Chapter, blocks_of, chapters_of, find_date, strip_trailing

_TOC_LINE = re.compile(r"\.{3,}\s*(?:<[^>]*>\s*)*\d+\s*(?:<[^>]*>\s*)*$")
_PUBLISHER = re.compile(r"\bmed\s+([A-ZÆØÅ]\S*(?:\s+\S+){0,4}?)\s+som\s+(?:det\s+)?ansvarlige\s+(?:fag)?udvalg")
_POLICY_WORDS = ("politik", "strategi", "plan", "vision", "aftale")


@dataclass
class _Parts:
    """What a chapter yields: its passages, principles (with bullets), loose bullets and motto blocks."""

    passages: list[Block] = field(default_factory=list)
    principles: list[tuple[Block, list[Block]]] = field(default_factory=list)
    loose_bullets: list[Block] = field(default_factory=list)
    mottos: list[Block] = field(default_factory=list)


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _content(blocks: list[Block]) -> list[Block]:
    return [b for b in blocks if b.kind != "heading"]


def _is_toc(chapter: Chapter) -> bool:
    lines = [line for b in chapter.body if b.kind == "para" for line in b.lines]
    if len(lines) < 2:
        return False
    hits = sum(1 for line in lines if _TOC_LINE.search(line.text))
    return hits * 2 >= len(lines) and not any(b.kind == "bullet" for b in chapter.body)


def _is_marker(block: Block, following: list[Block]) -> bool:
    """A ``##`` heading ending in ``:`` with no content before the next heading (``## Pejlemærke:``)."""
    if block.kind != "heading" or not block.text.endswith(":"):
        return False
    return not following or following[0].kind == "heading"


def _subheadings(chapter: Chapter) -> list[Block]:
    body = chapter.body
    return [b for i, b in enumerate(body)
            if b.kind == "heading" and b.level == 2 and not _is_marker(b, body[i + 1:])]


def _split_parts(blocks: list[Block]) -> _Parts:
    """Passages, principle groups, loose bullets and bold mottos of a run of blocks, in order."""
    parts = _Parts()
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind == "heading":
            i += 1
            continue
        if block.kind == "para" and block.bold:
            parts.mottos.append(block)
            i += 1
            continue
        if block.kind == "para" and block.text.endswith(":") and i + 1 < len(blocks) \
                and blocks[i + 1].kind == "bullet":
            j = i + 1
            bullets: list[Block] = []
            while j < len(blocks) and blocks[j].kind == "bullet":
                bullets.append(blocks[j])
                j += 1
            parts.principles.append((block, bullets))
            i = j
            continue
        if block.kind == "bullet":
            parts.loose_bullets.append(block)
        else:
            parts.passages.append(block)
        i += 1
    return parts


def _has_principles_under_subheading(chapter: Chapter) -> bool:
    body = chapter.body
    for i, block in enumerate(body):
        if block.kind == "heading" and block.level >= 2:
            end = next((j for j in range(i + 1, len(body)) if body[j].kind == "heading"), len(body))
            if _split_parts(body[i + 1:end]).principles:
                return True
    return False


def _overview_mottos(chapter: Chapter) -> dict[str, Block]:
    """Folded bearing name -> the first bold paragraph after that name's bullets on the overview."""
    out: dict[str, Block] = {}
    current: str | None = None
    seen_bullets = False
    for block in chapter.body:
        if block.kind == "heading" and block.level == 2:
            current, seen_bullets = _fold(block.text), False
        elif block.kind == "bullet":
            seen_bullets = True
        elif block.kind == "para" and block.bold and current is not None and seen_bullets:
            out.setdefault(current, block)  # later bold blocks in the same block are page labels
    return out


def _bearing(text: str, key: str, chapter: Chapter, overview_motto: Block | None) -> Node:
    assert chapter.heading is not None
    heading = chapter.heading
    node = make_node(NodeKind.BEARING, key, text, heading.segments, label=heading.text)
    parts = _split_parts(chapter.body)
    children: list[Node] = []
    for n, block in enumerate(parts.passages, start=1):
        children.append(make_node(NodeKind.PASSAGE, f"{key}/passage/{n}", text, block.segments))
    for p, (lead, bullets) in enumerate(parts.principles, start=1):
        pkey = f"{key}/principle/{p}"
        segs = strip_trailing(text, lead.segments, ":")
        principle = make_node(NodeKind.PRINCIPLE, pkey, text, segs, label=segment_text(text, segs))
        for s, bullet in enumerate(bullets, start=1):
            principle.children.append(make_node(NodeKind.STATEMENT, f"{pkey}/statement/{s}", text,
                                                bullet.segments))
        children.append(principle)
    for s, bullet in enumerate(parts.loose_bullets, start=1):
        children.append(make_node(NodeKind.STATEMENT, f"{key}/statement/{s}", text, bullet.segments))
    motto_block = parts.mottos[0] if parts.mottos else overview_motto
    if motto_block is not None:
        children.append(make_node(NodeKind.MOTTO, f"{key}/motto", text, motto_block.segments,
                                  label=motto_block.text))
    # Further bold paragraphs in a bearing's own chapter are kept as passages, numbered after the others.
    for n, block in enumerate(parts.mottos[1:], start=len(parts.passages) + 1):
        children.append(make_node(NodeKind.PASSAGE, f"{key}/passage/{n}", text, block.segments))
    children.sort(key=lambda c: c.start)
    node.children = children
    return node


def _speaks_of_policies(block: Block) -> bool:
    folded = block.text.casefold()
    return block.text.endswith(":") and any(word in folded for word in _POLICY_WORDS)


def _section(text: str, key: str, chapter: Chapter, related: list[Node]) -> Node:
    """A Section for a non-bearing chapter; bullets naming policies are appended to ``related``."""
    assert chapter.heading is not None
    node = make_node(NodeKind.SECTION, key, text, chapter.heading.segments, label=chapter.heading.text)
    body = chapter.body
    # Split the body at its ## subheadings: blocks before the first go to the chapter itself.
    groups: list[tuple[Block | None, list[Block]]] = [(None, [])]
    for i, block in enumerate(body):
        if block.kind == "heading" and block.level == 2 and not _is_marker(block, body[i + 1:]):
            groups.append((block, []))
        elif block.kind == "heading" and block.level == 2:
            continue
        else:
            groups[-1][1].append(block)
    subsections = 0
    for sub_heading, blocks in groups:
        if sub_heading is None:
            target, target_key = node, key
        else:
            if not _content(blocks):
                continue
            subsections += 1
            target_key = f"{key}/section/{subsections}"
            target = make_node(NodeKind.SECTION, target_key, text, sub_heading.segments, label=sub_heading.text)
            node.children.append(target)
        passages = 0
        in_list = False
        for block in blocks:
            if block.kind == "heading":
                continue
            if block.kind == "bullet" and in_list:
                name = block.text.split(" (", 1)[0].strip()
                related.append(make_node(NodeKind.RELATED_DOCUMENT, f"related/{len(related) + 1}", text,
                                         block.segments, label=name))
                continue
            in_list = _speaks_of_policies(block)
            passages += 1
            target.children.append(make_node(NodeKind.PASSAGE, f"{target_key}/passage/{passages}", text,
                                             block.segments))
    return node


def parse(text: str, file: str) -> ParsedDocument:
    """Parse a ``markdown-bearings`` document into Section, RelatedDocument, Bearing, Principle, Statement
    and Motto nodes."""
    blocks = blocks_of(text)
    chapters = [c for c in chapters_of(blocks) if c.heading is not None]
    headings = [_fold(c.heading.text) for c in chapters if c.heading is not None]

    overview_index: int | None = None
    for i, chapter in enumerate(chapters):
        later = set(headings[i + 1:])
        names = [_fold(b.text) for b in _subheadings(chapter)]
        if len(names) >= 2 and sum(1 for n in names if n in later) >= 2:
            overview_index = i
            break
    overview_names: set[str] = set()
    overview_mottos: dict[str, Block] = {}
    if overview_index is not None:
        overview = chapters[overview_index]
        overview_names = {_fold(b.text) for b in _subheadings(overview)}
        overview_mottos = _overview_mottos(overview)

    nodes: list[Node] = []
    related: list[Node] = []
    bearings = 0
    sections = 0
    for i, chapter in enumerate(chapters):
        assert chapter.heading is not None
        if i == overview_index or not _content(chapter.body) or _is_toc(chapter):
            continue
        name = _fold(chapter.heading.text)
        if name in overview_names or _has_principles_under_subheading(chapter):
            bearings += 1
            nodes.append(_bearing(text, f"bearing/{bearings}", chapter, overview_mottos.get(name)))
        else:
            sections += 1
            nodes.append(_section(text, f"section/{sections}", chapter, related))
    if bearings == 0:
        raise ParseError("no bearings found: no '#' chapter with principles ('<line>:' followed by bullets) "
                         "under a '##' subheading, and no overview naming later chapters; "
                         "not a markdown-bearings document", file=file, line=chapters[0].line if chapters else 1)
    nodes.extend(related)
    nodes.sort(key=lambda n: n.start)

    attrs: dict[str, str] = {}
    publisher = _PUBLISHER.search(text)
    if publisher:
        attrs["publisher"] = publisher.group(1)
    for block in blocks:
        if block.kind == "para" and "workshop" in block.text.casefold():
            found = find_date(block.text)
            if found:
                attrs["workshop_date"] = found
                break
    return ParsedDocument(nodes=nodes, attrs=attrs)
