"""Tables as document structure: column roles from cue words, cells nested FocusArea ▸ Goal ▸ Activity ▸ StatusReport.

Plans and follow-up reports put their structure in columns ("Udviklingstema | Mål | Aktiviteter | Status").
The cue file names, per class, the header words of such columns (``[table.columns]``); a column whose header
holds one of them (as a word, or as the head of a compound: "Udviklings*tema*", "Del*mål*") takes that role.
Rows are read top-down: an empty cell continues the node of the rows above (a row span), a filled one starts a
new node under the nearest filled higher role and closes the lower ones. A status belongs to its row's
activity (or goal); a later row with only a status adds to it; a status numbered "1) … 2) …" beside as many
activities of its row gives each its own. Where the cue file says a column's cells list
several items (``[table] split_numbered``), a cell "1) … 2) …" or "A. … B. …" becomes one node per item.
The numbering of an item goes to ``attrs["number"]``, never into its text.

Called by the recogniser for the ``TABLE_CELL`` blocks of one table; nothing else is needed from it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.language.words import words
from ingest.model import Node, NodeKind, Segment, make_node
from ingest.read.blocks import Block
from ingest.structure.cues import CUES_FILE, Cues, fold

ROLE_ORDER: tuple[NodeKind, ...] = (NodeKind.FOCUS_AREA, NodeKind.GOAL, NodeKind.ACTIVITY, NodeKind.STATUS_REPORT)
"""Nesting order of the column roles, outermost first."""

_LABELLED = frozenset({NodeKind.FOCUS_AREA, NodeKind.GOAL})

_TOKEN = r"(?:\d{1,2}\)|\d{1,2}\.(?!\d)|[A-ZÆØÅ]\.|[a-zæøå]\))"
_LEADING = re.compile(rf"\s*((?:{_TOKEN}\s+)*{_TOKEN})\s+(?=\S)")
_ITEM = re.compile(rf"(?:(?<=^)|(?<=[.!?:;]\s)|(?<=\n))({_TOKEN})\s+(?=\S)")


@dataclass(frozen=True)
class Role:
    """What a column holds: the class of its cells' nodes and the IRI path segment of their keys."""

    kind: NodeKind
    key: str
    single: bool = False


def column_role(header: str, cues: Cues) -> Role | None:
    """The role a column header names by the class words of the cue file (``[class.<Class>]`` ``words``,
    ``plural``, ``definite``), or None.

    A header word matches a cue word when it is that word or ends in it (the head of a Danish compound:
    "Resultat*mål*", "Projekt*status*"); a cue of several words must occur as a phrase. The header's first
    matching word decides. The key is the class's ``key``, or its ``key_words`` entry for the word matched.
    """
    folded = " ".join(words(fold(header)))
    tokens = folded.split()
    best: tuple[int, Role] | None = None
    for kind in ROLE_ORDER:
        cue = cues.classes.get(kind)
        if cue is None:
            continue
        for word in (*cue.words, *cue.plural, *cue.definite):
            w = " ".join(words(word))
            if not w:
                continue
            if " " in w:
                m = re.search(rf"\b{re.escape(w)}\b", folded)
                pos = len(folded[:m.start()].split()) if m else -1
            else:
                pos = next((i for i, tok in enumerate(tokens) if tok == w or (len(w) >= 3 and tok.endswith(w))), -1)
            if pos < 0 or (best is not None and pos >= best[0]):
                continue
            key = cue.key_words.get(w) or cue.key_words.get(tokens[pos]) or cue.key
            best = (pos, Role(kind, key, cue.single))
    return best[1] if best else None


def column_roles(cells: Sequence[Block], cues: Cues) -> dict[int, Role]:
    """Role of each column of a table, from the ``header`` of its cells.

    When no column names a focus area and the first column names no class at all, the first column is the
    rows' topic and takes the FocusArea role (a plan listing its themes down the left).
    """
    headers: dict[int, str] = {}
    for cell in cells:
        if cell.col is not None and cell.header and cell.col not in headers:
            headers[cell.col] = cell.header
    roles: dict[int, Role] = {}
    for col, header in headers.items():
        role = column_role(header, cues)
        if role is not None:
            roles[col] = role
    focus = cues.classes.get(NodeKind.FOCUS_AREA)
    if (roles and focus is not None and all(r.kind is not NodeKind.FOCUS_AREA for r in roles.values())
            and 0 in headers and 0 not in roles and not names_a_class(headers[0], cues)):
        roles[0] = Role(NodeKind.FOCUS_AREA, focus.key)
    return roles


def names_a_class(header: str, cues: Cues) -> bool:
    """Whether a header names any class of the cue file. A first column headed "Strategispor" or "Princip"
    refers to containers stated elsewhere in the document; it is no topic column of the table's own."""
    tokens = words(fold(header))
    for cue in cues.classes.values():
        for word in (*cue.words, *cue.plural, *cue.definite):
            w = " ".join(words(word))
            if w and (" " in w and w in " ".join(tokens)
                      or any(tok == w or (len(w) >= 3 and tok.endswith(w)) for tok in tokens)):
                return True
    return False


@lru_cache(maxsize=4)
def split_classes(path: Path = CUES_FILE) -> frozenset[NodeKind]:
    """Classes whose cells may list several numbered items: ``[table].split_numbered`` of the cue file."""
    with path.open("rb") as fh:
        table = tomllib.load(fh).get("table", {})
    return frozenset(NodeKind(c) for c in table.get("split_numbered", []))


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
    def __init__(self, text: str, split: frozenset[NodeKind], key_prefix: str,
                 counters: MutableMapping[str, int]) -> None:
        self.text = text
        self.prefix = f"{key_prefix.rstrip('/')}/" if key_prefix else ""
        self.counters = counters
        self.split = split
        self.top: list[Node] = []
        self.current: dict[NodeKind, Node | None] = dict.fromkeys(ROLE_ORDER)

    def parent_of(self, kind: NodeKind) -> Node | None:
        for higher in reversed(ROLE_ORDER[:ROLE_ORDER.index(kind)]):
            node = self.current[higher]
            if node is not None:
                return node
        return None

    def key_for(self, role: Role, parent: Node | None) -> str:
        if parent is None:
            self.counters[role.key] = self.counters.get(role.key, 0) + 1
            return f"{self.prefix}{role.key}/{self.counters[role.key]}"
        if role.single:
            return f"{parent.key}/{role.key}"
        n = sum(1 for c in parent.children if c.kind is role.kind) + 1
        return f"{parent.key}/{role.key}/{n}"

    def add(self, role: Role, item: _Item, parent: Node | None = None) -> Node:
        kind = role.kind
        parent = parent or self.parent_of(kind)
        if role.single and parent is not None:
            existing = next((c for c in parent.children if c.kind is kind), None)
            if existing is not None:  # a later row adds to the one node its parent may have
                grown = make_node(kind, existing.key, self.text, existing.segments + item.segments)
                existing.segments, existing.text = grown.segments, grown.text
                return existing
        attrs = {"number": item.number} if item.number else {}
        node = make_node(kind, self.key_for(role, parent), self.text, item.segments, **attrs)
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
        if not role.single:
            self.current[kind] = node
            for lower in ROLE_ORDER[ROLE_ORDER.index(kind) + 1:]:
                self.current[lower] = None
        return node

    def row(self, cells: dict[NodeKind, tuple[Role, list[Segment]]]) -> None:
        """One body row. A one-per-parent cell (a status) listing as many numbered items as the row opened
        nodes above it ("1) … 2) …" beside two activities) gives each of them its own; else it belongs to the
        row's last node above it."""
        added: dict[NodeKind, list[Node]] = {}
        for kind in ROLE_ORDER:
            if kind not in cells:
                continue
            role, segments = cells[kind]
            if role.single:
                above = next((added[k] for k in reversed(ROLE_ORDER[:ROLE_ORDER.index(kind)]) if k in added), [])
                items = split_items(self.text, segments)
                if len(above) > 1 and len(items) == len(above):
                    for parent, item in zip(above, items, strict=True):
                        self.add(role, _Item(item.segments, None), parent)
                else:
                    self.add(role, _Item(segments, None))
                continue
            if kind in self.split:
                items = split_items(self.text, segments)
            else:
                items = [_strip_number(self.text, segments)]
            added[kind] = [self.add(role, item) for item in items if item.segments]


def table_nodes(cells: list[Block], text: str, *, cues: Cues, key_prefix: str = "",
                counters: MutableMapping[str, int], split: frozenset[NodeKind] | None = None) -> list[Node]:
    """Nodes of one table from its ``TABLE_CELL`` blocks, nested by column role.

    ``cues`` gives the column roles and keys (``[class.*]``); ``split`` the classes whose cells may list several
    numbered items (default: ``[table].split_numbered`` of the bundled cue file); ``text`` is the ``ReadDocument.text`` the cells'
    segments point into. Top-level nodes get keys ``<key_prefix>/<key>/<n>`` with ``n`` counted in
    ``counters`` (pass the same mapping for every table of a document: ``theme/1`` … ``theme/4`` over two
    tables); children are numbered under their parent (``theme/2/goal/1/activity/1/status``). Header cells
    (row 0 with ``style["role"] == "header"``) and cells of columns without a role are not read. Returns []
    when no column has a role: the caller then reads the cells as prose.
    """
    roles = column_roles(cells, cues)
    if not roles:
        return []
    builder = _Builder(text, split_classes() if split is None else split, key_prefix, counters)
    rows: dict[int, dict[NodeKind, tuple[Role, list[Segment]]]] = {}
    for cell in cells:
        if cell.style.get("role") == "header" or cell.col not in roles or cell.row is None:
            continue
        role = roles[cell.col]
        by_kind = rows.setdefault(cell.row, {})
        by_kind.setdefault(role.kind, (role, []))[1].extend(cell.segments)
    for row in sorted(rows):
        builder.row(rows[row])
    return builder.top
