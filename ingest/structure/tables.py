"""Tables as document structure: column roles from cue words, cells nested FocusArea ▸ Goal ▸ Activity ▸ StatusReport.

Plans and follow-up reports put their structure in columns ("Udviklingstema | Mål | Aktiviteter | Status").
The cue file names, per class, the header words of such columns (``[table.columns]``); a column whose header
holds one of them (as a word, or as the head of a compound: "Udviklings*tema*", "Del*mål*") takes that role.
Rows are read top-down: an empty cell continues the node of the rows above (a row span), a filled one starts a
new node under the nearest filled higher role and closes the lower ones. A status belongs to its row's
activity (or goal); a later row with only a status adds to it. Where the cue file says a column's cells list
several items (``[table] split_numbered``), a cell "1) … 2) …" or "A. … B. …" becomes one node per item.
The numbering of an item goes to ``attrs["number"]``, never into its text.

Called by the recogniser for the ``TABLE_CELL`` blocks of one table; nothing else is needed from it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from ingest.model import Node, NodeKind, Segment, make_node
from ingest.read.blocks import Block

ROLE_ORDER: tuple[NodeKind, ...] = (NodeKind.FOCUS_AREA, NodeKind.GOAL, NodeKind.ACTIVITY, NodeKind.STATUS_REPORT)
"""Nesting order of the column roles, outermost first."""

_LABELLED = frozenset({NodeKind.FOCUS_AREA, NodeKind.GOAL})
_SINGLE = frozenset({NodeKind.STATUS_REPORT})
"""Roles with one node per parent: later cells add to it."""
_DEFAULT_KEYS = {NodeKind.FOCUS_AREA: "theme", NodeKind.GOAL: "goal", NodeKind.ACTIVITY: "activity",
                 NodeKind.STATUS_REPORT: "status"}

_TOKEN = r"(?:\d{1,2}\)|\d{1,2}\.(?!\d)|[A-ZÆØÅ]\.|[a-zæøå]\))"
_LEADING = re.compile(rf"\s*((?:{_TOKEN}\s+)*{_TOKEN})\s+(?=\S)")
_ITEM = re.compile(rf"(?:(?<=^)|(?<=[.!?:;]\s)|(?<=\n))({_TOKEN})\s+(?=\S)")


def _table_cues(cues: Mapping[str, Any]) -> Mapping[str, Any]:
    table = cues.get("table", {})
    return table if isinstance(table, Mapping) else {}


def column_role(header: str, cues: Mapping[str, Any]) -> NodeKind | None:
    """The class a column header names by the cue words of ``[table.columns]``, or None.

    The first word of the header that is a cue word (or ends in one, the head of a Danish compound) decides;
    a cue of several words must occur as a phrase.
    """
    columns: Mapping[str, Sequence[str]] = _table_cues(cues).get("columns", {})
    folded = " ".join(re.findall(r"\w+", header.casefold()))
    best: tuple[int, NodeKind] | None = None
    for cls, words in columns.items():
        kind = NodeKind(cls)
        for word in words:
            w = word.casefold()
            if " " in w:
                m = re.search(rf"\b{re.escape(w)}\b", folded)
                pos = m.start() if m else -1
            else:
                pos = next((i for i, tok in enumerate(folded.split())
                            if tok == w or (len(w) >= 3 and tok.endswith(w))), -1)
                if pos >= 0:
                    pos = sum(len(t) + 1 for t in folded.split()[:pos])
            if pos >= 0 and (best is None or pos < best[0]):
                best = (pos, kind)
    return best[1] if best else None


def column_roles(cells: Sequence[Block], cues: Mapping[str, Any]) -> dict[int, NodeKind]:
    """Role of each column of a table, from the ``header`` of its cells.

    When no column names a focus area and the first column names nothing, the first column is the rows'
    topic and takes the FocusArea role (a plan listing its themes down the left).
    """
    headers: dict[int, str] = {}
    for cell in cells:
        if cell.col is not None and cell.header and cell.col not in headers:
            headers[cell.col] = cell.header
    roles: dict[int, NodeKind] = {}
    for col, header in headers.items():
        role = column_role(header, cues)
        if role is not None:
            roles[col] = role
    if roles and NodeKind.FOCUS_AREA not in roles.values() and 0 in headers and 0 not in roles:
        roles[0] = NodeKind.FOCUS_AREA
    return roles


@dataclass
class _Item:
    segments: list[Segment]
    number: str | None


def _strip_number(text: str, segments: list[Segment]) -> _Item:
    """Take leading numbering ("1)", "A.", "1) A.") off ``segments``; the last token is the item's number."""
    if not segments:
        return _Item(segments, None)
    s, e = segments[0]
    m = _LEADING.match(text, s, e)
    if m is None:
        return _Item(segments, None)
    number = m.group(1).split()[-1]
    rest = (m.end(), e)
    return _Item(([rest] if rest[0] < rest[1] else []) + segments[1:], number)


def _family(token: str) -> tuple[str, int]:
    """Numbering family and ordinal of a token: ("d)", 2) for "2)", ("A.", 3) for "C."."""
    body, mark = token[:-1], token[-1]
    if body.isdigit():
        return "d" + mark, int(body)
    if body.isupper():
        return "A" + mark, ord(body) - ord("A") + 1
    return "a" + mark, ord(body) - ord("a") + 1


def split_items(text: str, segments: list[Segment]) -> list[_Item]:
    """The numbered items of a cell ("1) … 2) …", "A. … B. …"): consecutive numbers of one family, the first
    at the cell's start. A cell without such a sequence is one item."""
    first = _strip_number(text, segments)
    if first.number is None:
        return [first]
    family, ordinal = _family(first.number)
    cuts: list[tuple[int, int, str]] = []  # (marker start, text start, number)
    for s, e in first.segments:
        for m in _ITEM.finditer(text, s, e):
            fam, n = _family(m.group(1))
            if fam == family and n == ordinal + 1:
                cuts.append((m.start(), m.end(), m.group(1)))
                ordinal = n
    if not cuts:
        return [first]
    items: list[_Item] = []
    bounds = [(first.segments[0][0], first.number)] + [(c[1], c[2]) for c in cuts]
    ends = [c[0] for c in cuts] + [first.segments[-1][1]]
    for (start, number), end in zip(bounds, ends, strict=True):
        segs = [(max(s, start), min(e, end)) for s, e in first.segments if s < end and e > start]
        segs = [(s, e) for s, e in segs if text[s:e].strip()]
        if segs:
            items.append(_Item(segs, number))
    return items


class _Builder:
    def __init__(self, text: str, cues: Mapping[str, Any], key_prefix: str,
                 counters: MutableMapping[str, int]) -> None:
        table = _table_cues(cues)
        self.text = text
        self.prefix = f"{key_prefix.rstrip('/')}/" if key_prefix else ""
        self.counters = counters
        keys: Mapping[str, str] = table.get("keys", {})
        self.keys = {kind: keys.get(kind.value, default) for kind, default in _DEFAULT_KEYS.items()}
        self.split = {NodeKind(c) for c in table.get("split_numbered", [])}
        self.top: list[Node] = []
        self.current: dict[NodeKind, Node | None] = dict.fromkeys(ROLE_ORDER)

    def parent_of(self, kind: NodeKind) -> Node | None:
        for higher in reversed(ROLE_ORDER[:ROLE_ORDER.index(kind)]):
            node = self.current[higher]
            if node is not None:
                return node
        return None

    def key_for(self, kind: NodeKind, parent: Node | None) -> str:
        name = self.keys[kind]
        if kind in _SINGLE:
            base = parent.key if parent is not None else f"{self.prefix}{name}"
            return f"{base}/{name}" if parent is not None else self._counted(name)
        if parent is None:
            return self._counted(name)
        n = sum(1 for c in parent.children if c.kind is kind) + 1
        return f"{parent.key}/{name}/{n}"

    def _counted(self, name: str) -> str:
        self.counters[name] = self.counters.get(name, 0) + 1
        return f"{self.prefix}{name}/{self.counters[name]}"

    def add(self, kind: NodeKind, item: _Item) -> Node:
        parent = self.parent_of(kind)
        attrs = {"number": item.number} if item.number else {}
        node = make_node(kind, self.key_for(kind, parent), self.text, item.segments, **attrs)
        if kind in _LABELLED:
            node.label = node.text
        if parent is None:
            self.top.append(node)
        else:
            parent.children.append(node)
            if kind is NodeKind.ACTIVITY and parent.kind is NodeKind.GOAL:
                node.links.append(("forGoal", parent.key))
            if kind is NodeKind.STATUS_REPORT and parent.kind is NodeKind.ACTIVITY:
                parent.links.append(("hasStatus", node.key))
        self.current[kind] = node
        for lower in ROLE_ORDER[ROLE_ORDER.index(kind) + 1:]:
            self.current[lower] = None
        return node

    def status(self, segments: list[Segment]) -> None:
        parent = self.parent_of(NodeKind.STATUS_REPORT)
        existing = next((c for c in parent.children if c.kind is NodeKind.STATUS_REPORT), None) if parent else None
        if existing is None:
            self.add(NodeKind.STATUS_REPORT, _Item(segments, None))
            return
        grown = make_node(existing.kind, existing.key, self.text, existing.segments + segments)
        existing.segments, existing.text = grown.segments, grown.text

    def row(self, by_role: dict[NodeKind, list[Segment]]) -> None:
        for kind in ROLE_ORDER:
            segments = by_role.get(kind)
            if not segments:
                continue
            if kind is NodeKind.STATUS_REPORT:
                self.status(segments)
                continue
            items = split_items(self.text, segments) if kind in self.split else [_strip_number(self.text, segments)]
            for item in items:
                if item.segments:
                    self.add(kind, item)


def table_nodes(cells: list[Block], text: str, *, cues: Mapping[str, Any], key_prefix: str = "",
                counters: MutableMapping[str, int]) -> list[Node]:
    """Nodes of one table from its ``TABLE_CELL`` blocks, nested by column role.

    ``cues`` is the parsed cue file (its ``[table]`` section is read); ``text`` the ``ReadDocument.text`` the
    cells' segments point into. Top-level nodes get keys ``<key_prefix>/<key>/<n>`` with ``n`` counted in
    ``counters`` (pass the same mapping for every table of a document: ``theme/1`` … ``theme/4`` over two
    tables); children are numbered under their parent (``theme/2/goal/1/activity/1/status``). Header cells
    (row 0 with ``style["role"] == "header"``) and cells of columns without a role are not read. Returns []
    when no column has a role: the caller then reads the cells as prose.
    """
    roles = column_roles(cells, cues)
    if not roles:
        return []
    builder = _Builder(text, cues, key_prefix, counters)
    rows: dict[int, dict[NodeKind, list[Segment]]] = {}
    for cell in cells:
        if cell.style.get("role") == "header" or cell.col not in roles or cell.row is None:
            continue
        by_role = rows.setdefault(cell.row, {})
        by_role.setdefault(roles[cell.col], []).extend(cell.segments)
    for row in sorted(rows):
        builder.row(rows[row])
    return builder.top
