"""Layout ``followup-table``: a follow-up report converted from a web table.

Conventions of the layout:

* A preamble of short paragraphs: the issuing centre or committee, the report's title and its date
  (``Januar 2015``).
* One or more tables, each optionally preceded by a heading paragraph, each starting with a header row of
  tab-separated column names (``Udviklingstema\\tMål\\tAktiviteter\\tStatus``); columns are recognised by
  their names (theme, goal, activity, status).
* Body rows are tab-separated. A cell left empty continues the theme or goal of the row above (a row
  span); a row shorter than the header lacks its leading cells when it starts with a numbered goal or
  activity (``2)``, ``A.``) and its trailing cells otherwise.
* A cell whose text starts with a lower-case letter continues the cell above it (the converter broke the
  cell over two rows); its status continues the status above.
* Cells carry HTML fragments (``<p>``, ``<ul ...>``, ``<li>``) and ``-`` bullets; neither reaches node
  text: segments are cut around them. Goals and activities may be numbered (``1)``, ``A.``, ``1) A.``):
  the number goes to ``attrs["number"]``, not into the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.errors import ParseError
from ingest.model import Node, NodeKind, ParsedDocument, Segment, make_node, normalize_ws
from ingest.parse.common import Line, lines_of, paragraphs

UPPER = "A-ZÆØÅÄÖÜÉ"
LOWER = "a-zæøåäöüé"

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_BULLET = re.compile(rf"(?:^|(?<=\s)|(?<=[:>]))[-–•*](?=\s+[{UPPER}0-9])")
_MARKER = re.compile(rf"\s*(?:(\d{{1,2}}\))\s*)?(?:([A-Z]\.|[a-z]\))(?=\s+[{UPPER}{LOWER}0-9]))?")
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}\)|[A-Z]\.)\s")
_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
           "november", "december")
_DATE = re.compile(rf"^\s*(?:(\d{{1,2}})\.\s*)?({'|'.join(_MONTHS)})\s+((?:19|20)\d\d)\s*$", re.IGNORECASE)
_PUBLISHER = re.compile(r"\b(?:Center|Centre|Centret|Forvaltning(?:en)?|Afdeling(?:en)?|Sekretariat(?:et)?|"
                        r"Direktion(?:en)?|Stab(?:en)?|\w*[Uu]dvalg(?:et)?)\b")
_ROLES = (
    ("status", re.compile(r"^(?:status|opfølgning|resultat)", re.IGNORECASE)),
    ("activity", re.compile(r"^(?:aktivitet|indsats|handling|tiltag)", re.IGNORECASE)),
    ("goal", re.compile(r"^(?:mål|delmål)", re.IGNORECASE)),
    ("theme", re.compile(r"(?:tema|indsatsområde|fokusområde|område)", re.IGNORECASE)),
)


@dataclass
class _Cell:
    segments: list[Segment]
    text: str

    @property
    def empty(self) -> bool:
        return not self.text


@dataclass
class _State:
    """The theme, goal and activity the next row continues, and the item last written to."""

    theme: _Item | None = None
    goal: _Item | None = None
    activity: _Item | None = None
    last: _Item | None = None

    def extend(self, item: _Item, cell: _Cell) -> None:
        item.segments.extend(cell.segments)
        self.last = item


@dataclass
class _Item:
    """A node under construction: its segments grow while later rows continue it."""

    kind: NodeKind
    segments: list[Segment]
    line: int
    number: str | None = None
    children: list[_Item] = field(default_factory=list)
    status: _Item | None = None


def _cell(source: str, start: int, end: int) -> _Cell:
    """The text of ``source[start:end]`` without HTML tags and bullet markers, as segments."""
    cuts = [(m.start(), m.end()) for m in _TAG.finditer(source, start, end)]
    cuts += [(start + m.start(), start + m.end()) for m in _BULLET.finditer(source[start:end])]
    segments: list[Segment] = []
    pos = start
    for s, e in sorted(cuts):
        if s > pos:
            segments.append((pos, s))
        pos = max(pos, e)
    if pos < end:
        segments.append((pos, end))
    segments = [_strip(source, s, e) for s, e in segments]
    segments = [(s, e) for s, e in segments if s < e]
    return _Cell(segments=segments, text=normalize_ws(" ".join(source[s:e] for s, e in segments)))


def _strip(source: str, s: int, e: int) -> Segment:
    while s < e and source[s].isspace():
        s += 1
    while e > s and source[e - 1].isspace():
        e -= 1
    return s, e


def _cells(source: str, line: Line) -> list[_Cell]:
    out: list[_Cell] = []
    pos = line.start
    for part in line.text.split("\t"):
        out.append(_cell(source, pos, pos + len(part)))
        pos += len(part) + 1
    return out


def _header_roles(source: str, line: Line) -> list[str] | None:
    """Column roles of a header row, or None when the line is not one."""
    if "\t" not in line.text:
        return None
    cells = [c.text for c in _cells(source, line)]
    while cells and not cells[-1]:
        cells.pop()
    if len(cells) < 3 or any(not c or len(c.split()) > 3 for c in cells):
        return None
    roles: list[str] = []
    for text in cells:
        role = next((name for name, pattern in _ROLES if pattern.search(text)), "other")
        roles.append(role)
    if "status" not in roles or "goal" not in roles:
        return None
    if "theme" not in roles:
        roles[0] = "theme"
    return roles


def _split_marker(source: str, cell: _Cell) -> tuple[str | None, list[Segment]]:
    """Take a leading number (``1)``, ``A.``, ``1) A.``) off the cell; returns it and the rest."""
    if not cell.segments:
        return None, cell.segments
    s, e = cell.segments[0]
    m = _MARKER.match(source, s, e)
    if m is None or m.end() == s or not (m.group(1) or m.group(2)):
        return None, cell.segments
    number = m.group(2) or m.group(1)
    rest = _strip(source, m.end(), e)
    segments = ([rest] if rest[0] < rest[1] else []) + cell.segments[1:]
    return number, segments


def _starts_lower(cell: _Cell) -> bool:
    return bool(cell.text) and cell.text[0].islower()


class _Parser:
    def __init__(self, source: str, file: str) -> None:
        self.source = source
        self.file = file
        self.lines = lines_of(source)
        self.sections = 0
        self.themes = 0

    def error(self, message: str, line: int | None = None) -> ParseError:
        return ParseError(message, file=self.file, line=line)

    def parse(self) -> ParsedDocument:
        headers: dict[int, list[str]] = {}
        for line in self.lines:
            header = _header_roles(self.source, line)
            if header is not None:
                headers[line.number] = header
        if not headers:
            raise self.error("no table header row (tab-separated column names such as "
                             "'Udviklingstema<TAB>Mål<TAB>Aktiviteter<TAB>Status'): not a followup-table document",
                             1)
        first_header = min(headers)
        attrs, preamble_lines = self.preamble(first_header)

        nodes: list[Node] = []
        roles: list[str] | None = None
        section: Node | None = None
        themes: list[_Item] = []
        state = _State()
        paragraph: list[Line] = []
        in_paragraph = False

        def close_table() -> None:
            built = [self.build_theme(t) for t in themes]
            if section is not None:
                section.children.extend(built)
            else:
                nodes.extend(built)
            themes.clear()

        def continue_last(lines: list[Line]) -> None:
            if roles is None or not lines:
                return
            if state.last is None:
                raise self.error("text inside a table before its first row", lines[0].number)
            for ln in lines:
                state.last.segments.extend(_cell(self.source, ln.start, ln.end).segments)

        for line in self.lines:
            if line.number in headers:
                close_table()
                heading_lines = [ln for ln in paragraph if ln.number not in preamble_lines]
                if heading_lines:
                    self.sections += 1
                    section = make_node(NodeKind.SECTION, f"section/{self.sections}", self.source,
                                        [ln.span() for ln in heading_lines],
                                        label=normalize_ws(" ".join(ln.text for ln in heading_lines)))
                    nodes.append(section)
                else:
                    section = None
                roles = headers[line.number]
                state = _State()
                paragraph, in_paragraph = [], False
                continue
            if line.blank:
                in_paragraph = False
                continue
            if "\t" not in line.text or roles is None:
                if not in_paragraph:
                    if roles is not None:
                        continue_last(paragraph)
                    paragraph, in_paragraph = [], True
                paragraph.append(line)
                continue
            continue_last(paragraph)
            paragraph, in_paragraph = [], False
            self.row(line, roles, themes, state)
        continue_last(paragraph)
        close_table()
        if self.themes == 0:
            raise self.error("the tables have no theme rows", first_header)
        return ParsedDocument(nodes=nodes, attrs=attrs)

    def row(self, line: Line, roles: list[str], themes: list[_Item], state: _State) -> None:
        """Add one body row to the table under construction."""
        cells = self.align(_cells(self.source, line), len(roles))
        by_role: dict[str, _Cell] = {}
        for role, cell in zip(roles, cells, strict=True):
            if role in by_role:
                by_role[role] = _Cell(segments=by_role[role].segments + cell.segments,
                                      text=normalize_ws(by_role[role].text + " " + cell.text))
            else:
                by_role[role] = cell
        empty = _Cell(segments=[], text="")
        theme_cell = by_role.get("theme", empty)
        goal_cell = by_role.get("goal", empty)
        activity_cell = by_role.get("activity", empty)
        status_cell = by_role.get("status", empty)

        if not theme_cell.empty:
            if _starts_lower(theme_cell) and state.theme is not None:
                state.extend(state.theme, theme_cell)
            else:
                state.theme = _Item(NodeKind.FOCUS_AREA, list(theme_cell.segments), line.number)
                themes.append(state.theme)
                state.goal = state.activity = None
                state.last = state.theme
        if not goal_cell.empty:
            if state.theme is None:
                raise self.error("a goal comes before any theme in its table", line.number)
            if _starts_lower(goal_cell) and state.goal is not None:
                state.extend(state.goal, goal_cell)
            else:
                number, segs = _split_marker(self.source, goal_cell)
                state.goal = _Item(NodeKind.GOAL, segs, line.number, number=number)
                state.theme.children.append(state.goal)
                state.activity = None
                state.last = state.goal
        new_activity = False
        if not activity_cell.empty:
            if state.goal is None:
                raise self.error("an activity comes before any goal in its table", line.number)
            if _starts_lower(activity_cell) and state.activity is not None:
                state.extend(state.activity, activity_cell)
            else:
                number, segs = _split_marker(self.source, activity_cell)
                state.activity = _Item(NodeKind.ACTIVITY, segs, line.number, number=number)
                state.goal.children.append(state.activity)
                state.last = state.activity
                new_activity = True
        if not status_cell.empty:
            if state.activity is None:
                raise self.error("a status has no activity to report on", line.number)
            if state.activity.status is None or new_activity:
                state.activity.status = _Item(NodeKind.STATUS_REPORT, list(status_cell.segments), line.number)
                state.last = state.activity.status
            else:
                state.extend(state.activity.status, status_cell)

    @staticmethod
    def align(cells: list[_Cell], width: int) -> list[_Cell]:
        """Fit a row to the header's width (see the module doc)."""
        while len(cells) > width and cells[-1].empty:
            cells.pop()
        if len(cells) > width:
            extra = cells[width - 1:]
            merged = _Cell(segments=[s for c in extra for s in c.segments],
                           text=normalize_ws(" ".join(c.text for c in extra)))
            return cells[:width - 1] + [merged]
        trimmed = list(cells)
        while trimmed and trimmed[-1].empty:
            trimmed.pop()
        if len(cells) == width and len(trimmed) == width:
            return cells
        if trimmed and len(trimmed) < width and _NUMBERED.match(trimmed[0].text) and not trimmed[0].empty:
            pad = [_Cell(segments=[], text="") for _ in range(width - len(trimmed))]
            return pad + trimmed
        return cells + [_Cell(segments=[], text="") for _ in range(width - len(cells))]

    # -- preamble -----------------------------------------------------------------------------------------

    def preamble(self, first_header: int) -> tuple[dict[str, str], set[int]]:
        """Publisher, title and date from the paragraphs before the first table, and the numbers of the lines
        they use. A last paragraph that is none of these (after a title) is the first table's heading."""
        paras = paragraphs([ln for ln in self.lines if ln.number < first_header and "\t" not in ln.text])
        attrs: dict[str, str] = {}
        used: set[int] = set()
        rest: list[list[Line]] = []
        for para in paras:
            text = normalize_ws(" ".join(ln.text for ln in para))
            dm = _DATE.match(text)
            if dm is not None and "date" not in attrs:
                month = _MONTHS.index(dm.group(2).casefold()) + 1
                day = f"-{int(dm.group(1)):02d}" if dm.group(1) else ""
                attrs["date"] = f"{dm.group(3)}-{month:02d}{day}"
            elif "publisher" not in attrs and _PUBLISHER.search(text) and len(text.split()) <= 10:
                attrs["publisher"] = text
            else:
                rest.append(para)
                continue
            used.update(ln.number for ln in para)
        if rest:
            attrs["title"] = normalize_ws(" ".join(ln.text for ln in rest[0]))
            used.update(ln.number for ln in rest[0])
        return attrs, used

    # -- nodes ---------------------------------------------------------------------------------------------

    def build_theme(self, item: _Item) -> Node:
        self.themes += 1
        key = f"theme/{self.themes}"
        theme = self.make(item, key)
        for g, goal_item in enumerate(item.children, start=1):
            gkey = f"{key}/goal/{g}"
            goal = self.make(goal_item, gkey)
            theme.children.append(goal)
            for a, activity_item in enumerate(goal_item.children, start=1):
                akey = f"{gkey}/activity/{a}"
                activity = self.make(activity_item, akey)
                activity.links.append(("forGoal", gkey))
                if activity_item.status is not None:
                    status = self.make(activity_item.status, f"{akey}/status")
                    activity.children.append(status)
                    activity.links.append(("hasStatus", status.key))
                goal.children.append(activity)
        return theme

    def make(self, item: _Item, key: str) -> Node:
        if not item.segments:
            raise self.error(f"{item.kind.value} cell without text", item.line)
        attrs = {"number": item.number} if item.number else {}
        node = make_node(item.kind, key, self.source, item.segments, **attrs)
        if item.kind in (NodeKind.FOCUS_AREA, NodeKind.GOAL):
            node.label = node.text
        return node


def parse(text: str, file: str) -> ParsedDocument:
    """Parse a ``followup-table`` document into Section, FocusArea (theme), Goal, Activity and StatusReport
    nodes; activities link to their goal (``forGoal``) and status (``hasStatus``)."""
    return _Parser(text, file).parse()
