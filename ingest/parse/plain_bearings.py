"""Layout ``plain-bearings``: political bearings as plain text (a PDF converted without markup).

Conventions of the layout (no municipality-specific strings are relied on):

* Paragraphs are separated by blank lines; ``- `` starts a bullet item.
* A heading is a short single-line paragraph without closing punctuation (at most 8 words and 70
  characters, not ending in ``.:;,!?``). Consecutive headings form a heading run.
* The first heading run is the cover: its first line names the committee (the publisher) when it speaks
  of an ``udvalg``; its last line is the heading of the introduction, which becomes a Section
  (``section/1``) with its paragraphs as Passages.
* In the introduction, a line ending in ``:`` that speaks of the vision (``Visionen for ... er:``)
  introduces the vision statement, the next paragraph: a Vision node labelled with the lead-in (without
  ``er:``) whose text is the statement.
* A sentence "... gennemgående (or tværgående) temaer, som A, B og C." names cross-cutting themes; they go
  to ``ParsedDocument.themes``. The paragraph stays a Passage.
* Every later heading run whose section holds a bullet list introduced by a line ending in ``:``
  (``Udvalget har særligt fokus på:``) opens a Bearing: the first heading is the label, a second one
  the ``subtitle``. Paragraphs are Passages, bullets Statements; the lead-in line is not a node.
* Any other later heading run opens a Section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.errors import ParseError
from ingest.model import Node, NodeKind, ParsedDocument, Segment, make_node, normalize_ws, segment_text
from ingest.parse.common import Line, lines_of

_BULLET = re.compile(r"^\s*[-–•*]\s+(?=\S)")
_MAX_HEADING_WORDS = 8
_MAX_HEADING_CHARS = 70
_THEMES = re.compile(
    r"\b(?:gennemgående|tværgående)\s+temaer\s*,?\s*(?:som|såsom|herunder|nemlig|bl\.\s*a\.)?\s*:?\s*"
    r"(?P<items>[^.:;]+)", re.IGNORECASE)
_VISION_LEAD = re.compile(r"^(?P<label>.*?)(?:\s+er)?\s*:$")


@dataclass
class _Block:
    bullet: bool
    lines: list[Line]
    segments: list[Segment]
    text: str

    @property
    def line(self) -> int:
        return self.lines[0].number

    @property
    def heading(self) -> bool:
        t = self.text
        return (not self.bullet and len(self.lines) == 1 and len(t) <= _MAX_HEADING_CHARS
                and len(t.split()) <= _MAX_HEADING_WORDS and t[-1] not in ".:;,!?")

    @property
    def lead_in(self) -> bool:
        return not self.bullet and self.text.endswith(":")


def _blocks(source: str) -> list[_Block]:
    out: list[_Block] = []
    current: _Block | None = None

    def flush() -> None:
        nonlocal current
        if current is not None:
            current.text = segment_text(source, current.segments)
            out.append(current)
        current = None

    for line in lines_of(source):
        if line.blank:
            flush()
            continue
        bullet = _BULLET.match(line.text)
        if bullet:
            flush()
            current = _Block(bullet=True, lines=[line], segments=[], text="")
            current.segments.append((line.start + bullet.end(), line.end))
            continue
        if current is None:
            current = _Block(bullet=False, lines=[], segments=[], text="")
        current.lines.append(line)
        current.segments.append(line.span())
    flush()
    return out


@dataclass
class _Part:
    """A heading run and the blocks up to the next heading run."""

    headings: list[_Block]
    body: list[_Block]

    @property
    def has_focus_list(self) -> bool:
        return any(a.lead_in and b.bullet for a, b in zip(self.body, self.body[1:], strict=False))


def _parts(blocks: list[_Block]) -> list[_Part]:
    parts: list[_Part] = []
    for block in blocks:
        if block.heading:
            if parts and not parts[-1].body:
                parts[-1].headings.append(block)
            else:
                parts.append(_Part(headings=[block], body=[]))
        elif parts:
            parts[-1].body.append(block)
        else:
            parts.append(_Part(headings=[], body=[block]))
    return parts


def split_themes(items: str) -> list[str]:
    """``"A, B og C"`` -> ``["A", "B", "C"]``.

    Danish enumerations join the last two items with ``og``; an item may itself contain ``og``
    (``boliger til udsatte og sårbare borgere``), so only the first ``og`` of the last comma-separated item
    is taken as the joint. This is right when the next-to-last item is a single phrase without ``og``.
    """
    pieces = [p.strip() for p in normalize_ws(items).split(",") if p.strip()]
    if not pieces:
        return []
    head, last = pieces[:-1], pieces[-1]
    tail = re.split(r"\s+(?:og|samt)\s+", last, maxsplit=1) if head else [last]
    return [p.strip() for p in [*head, *tail] if p.strip()]


def _passage(source: str, key: str, block: _Block) -> Node:
    return make_node(NodeKind.PASSAGE, key, source, block.segments)


def _intro(source: str, part: _Part, nodes: list[Node], themes: list[str]) -> None:
    """The introduction: a Section of passages, the Vision, and the cross-cutting themes."""
    heading = part.headings[-1]
    section = make_node(NodeKind.SECTION, "section/1", source, heading.segments, label=heading.text)
    nodes.append(section)
    body = part.body
    i = 0
    while i < len(body):
        block = body[i]
        lead = _VISION_LEAD.match(block.text) if block.lead_in else None
        if (lead and "vision" in block.text.casefold() and i + 1 < len(body) and not body[i + 1].bullet
                and not any(n.kind is NodeKind.VISION for n in nodes)):
            statement = body[i + 1]
            nodes.append(make_node(NodeKind.VISION, "vision", source, statement.segments,
                                   label=normalize_ws(lead.group("label"))))
            i += 2
            continue
        for m in _THEMES.finditer(block.text):
            themes.extend(t for t in split_themes(m.group("items")) if t not in themes)
        section.children.append(_passage(source, f"section/1/passage/{len(section.children) + 1}", block))
        i += 1


def _bearing(source: str, key: str, part: _Part) -> Node:
    heading = part.headings[0]
    attrs = {"subtitle": part.headings[1].text} if len(part.headings) > 1 else {}
    node = make_node(NodeKind.BEARING, key, source, heading.segments, label=heading.text, **attrs)
    passages = statements = 0
    body = part.body
    for i, block in enumerate(body):
        if block.bullet:
            statements += 1
            node.children.append(make_node(NodeKind.STATEMENT, f"{key}/statement/{statements}", source,
                                           block.segments))
        elif block.lead_in and i + 1 < len(body) and body[i + 1].bullet:
            continue  # "Udvalget har særligt fokus på:" introduces the statements; not a node
        else:
            passages += 1
            node.children.append(_passage(source, f"{key}/passage/{passages}", block))
    return node


def parse(text: str, file: str) -> ParsedDocument:
    """Parse a ``plain-bearings`` document into Section, Vision, Bearing, Passage and Statement nodes."""
    parts = _parts(_blocks(text))
    bearing_parts = [p for p in parts[1:] if p.headings and p.has_focus_list]
    if not bearing_parts:
        raise ParseError("no bearings found: no short heading line followed by a section with a bullet list "
                         "introduced by a line ending in ':'; not a plain-bearings document", file=file, line=1)

    nodes: list[Node] = []
    themes: list[str] = []
    attrs: dict[str, str] = {}
    cover = parts[0]
    if cover.headings:
        first = cover.headings[0]
        if "udvalg" in first.text.casefold():
            attrs["publisher"] = first.text
        if cover.body:
            _intro(text, cover, nodes, themes)
    elif cover.body:
        raise ParseError("the document does not open with a heading line", file=file, line=cover.body[0].line)

    bearings = 0
    sections = len([n for n in nodes if n.kind is NodeKind.SECTION])
    for part in parts[1:]:
        if not part.headings:
            continue
        if part in bearing_parts:
            bearings += 1
            nodes.append(_bearing(text, f"bearing/{bearings}", part))
        elif part.body:
            sections += 1
            heading = part.headings[0]
            key = f"section/{sections}"
            section = make_node(NodeKind.SECTION, key, text, heading.segments, label=heading.text)
            section.children.extend(_passage(text, f"{key}/passage/{n}", b) for n, b in enumerate(part.body, 1))
            nodes.append(section)
    nodes.sort(key=lambda n: n.start)
    return ParsedDocument(nodes=nodes, attrs=attrs, themes=themes)
