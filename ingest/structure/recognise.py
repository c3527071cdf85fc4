"""Blocks of any format → the ontology's document tree, from the cues in ``cues.toml``.

The steps, each generic (what one kind of document needs is a cue, not a branch here):

1. *Markers*: a heading that is only a class word (``Pejlemærke:``) right before another heading gives that
   heading its class and is no node.
2. *Cover*: the blocks before the first sentence are the title page; of them only the headings that open the
   first chapter are kept (the last one and those above it in a chain of levels). A document under a single
   top heading has that heading as its title, not as a chapter.
3. *Outline*: headings nest by level, or by numbering depth where a conversion flattened the levels; a list
   label (``Mål``, ``Det gør vi``) always belongs to the chapter above it. A heading with nothing under it
   followed at once by one of the same level is a label with a subtitle (``Recovery og rehabilitering`` /
   ``Mødet imellem ...``); a class-word-and-number heading (``Spor 5``) takes the heading right under it as
   its title, and ``Indsatsområde 1: Bolig og hjem`` is labelled ``Bolig og hjem``.
4. *Skipped chapters*: tables of contents, overview pages whose headings repeat later chapters of their level
   (their mottos are kept for chapters that print none), and a closing colophon or contact box.
5. *Classes*: from the heading's own words (singular class word first, plural anywhere → a group whose
   untyped sub-headings take the class), from a marker, from the enclosing group, or from an announcement
   ("fem politiske pejlemærker") matching the number of untyped chapters after it. Anything else is a
   Section. Nodes of an unnumbered group heading ("Strategispor for ...") stand beside it; under a numbered
   one ("3. Forslag til strategiske indsatsområder") they nest.
6. *Bodies*: paragraphs are Passages, list items Statements; a lead-in line ending in ``:`` decides what its
   list is (a Principle in a group of principles, Goals after ``Mål i 2028:``, related documents, or just
   Statements); a short lead-in naming a class introduces a node of it (``Visionen ... er:`` + the vision);
   bold short exclamations are Mottos; tables go to :mod:`ingest.structure.tables`.

Keys follow the IRI paths the five bundled texts have always had: classified nodes count per class under the
nearest classified ancestor (a Section does not add to their path), Sections and Passages under their parent.
A document in which no cue matched still gives Sections and Passages, with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.model import Node, NodeKind, ParsedDocument, Segment, make_node, normalize_ws, segment_text
from ingest.read.blocks import Block, BlockKind, ReadDocument
from ingest.structure.cues import Cues, fold, has_phrase, load_cues
from ingest.structure.tables import table_nodes

_SENTENCE_END = re.compile(r"[.!?…][\"'”»)]*$")
_DATE = re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b|\b(?:19|20)\d\d-\d\d-\d\d\b")
_YEAR_LINE = re.compile(r"\b(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?$")
_URL = re.compile(r"\bwww\.|https?://|\w@\w")
_COVER_MAX_WORDS = 25
_LEAD_IN_MAX_WORDS = 12


# --------------------------------------------------------------------------------------------------------
# The outline
# --------------------------------------------------------------------------------------------------------


@dataclass
class Part:
    """A heading with what stands under it (the document itself is a Part without heading)."""

    heading: Block | None
    level: int
    body: list[Block] = field(default_factory=list)
    children: list[Part] = field(default_factory=list)
    label: Block | None = None
    """The block that names the part (its heading, or the title under a ``Spor 5`` heading)."""
    subtitle: Block | None = None
    number: str | None = None
    kind: NodeKind | None = None
    word: str | None = None
    """The cue word that gave the class (it may choose the key: ``tema`` → ``theme``)."""
    group: NodeKind | None = None
    group_word: str | None = None
    skip: str | None = None
    """Why the part gives no nodes (``toc``, ``summary``, ``colophon``), or None."""
    list_label: bool = False
    bare: bool = False
    """The heading is only a plural class word (``Principper``): inside a typed node it merely labels a list
    and gives no node of its own; elsewhere it is a Section grouping that class."""
    section: bool = False
    box: bool = False
    """The heading opens a box of nodes of ``group`` (``… Hvad vil vi?``)."""
    attrs: dict[str, str] = field(default_factory=dict)
    related: str | None = None
    """Key of the RelatedDocuments its blocks are (``related``, ``reference``)."""

    @property
    def text(self) -> str:
        return self.label.text if self.label is not None else ""

    def blocks(self) -> list[Block]:
        """Its body and all its descendants' blocks, headings included, in document order."""
        out = list(self.body)
        for child in self.children:
            if child.heading is not None:
                out.append(child.heading)
            if child.subtitle is not None:
                out.append(child.subtitle)
            out.extend(child.blocks())
        return out

    def descendants(self) -> list[Part]:
        out: list[Part] = []
        for child in self.children:
            out.append(child)
            out.extend(child.descendants())
        return out

    @property
    def empty(self) -> bool:
        return not self.body and not self.children


def _is_sentence_block(block: Block) -> bool:
    if block.kind in (BlockKind.LIST_ITEM, BlockKind.TABLE_CELL):
        return True
    if block.kind is not BlockKind.PARAGRAPH:
        return False
    return bool(_SENTENCE_END.search(block.text)) or len(block.text.split()) > _COVER_MAX_WORDS \
        or block.text.endswith(":")


class _Recogniser:
    def __init__(self, doc: ReadDocument, file: str, cues: Cues) -> None:
        self.doc = doc
        self.file = file
        self.cues = cues
        self.source = doc.text
        self.counters: dict[tuple[str, str], int] = {}
        self.table_counters: dict[str, int] = {}
        self.top: list[Node] = []
        self.related: list[Node] = []
        self.themes: list[str] = []
        self.summary_mottos: dict[str, Block] = {}
        self.warnings: list[str] = []
        self._announce: re.Pattern[str] | None = None

    # ---- classes of words -----------------------------------------------------------------------------

    def heading_class(self, text: str) -> tuple[NodeKind | None, str | None, str]:
        """(class, cue word, ``singular`` | ``plural`` | ``ambiguous``) a heading names, or (None, None, "")."""
        folded = fold(text)
        folded = re.sub(r"^\d+(?:\.\d+)*[.)]?\s+", "", folded)
        words = folded.split()
        if words and words[0] in self.cues.possessive and len(words) > 1:
            folded = " ".join(words[1:])
        best: tuple[NodeKind | None, str | None, str] = (None, None, "")
        best_len = 0
        for cue in self.cues.container_classes():
            for word in cue.words:
                if re.match(re.escape(word) + r"(?=$|[\s:.\d–-])", folded) and len(word) > best_len:
                    role = "ambiguous" if word in cue.plural else "singular"
                    best, best_len = (cue.kind, word, role), len(word)
        if best[0] is not None:
            return best
        for cue in self.cues.container_classes():
            for word in cue.plural:
                if has_phrase(folded, word) and len(word) > best_len:
                    best, best_len = (cue.kind, word, "plural"), len(word)
        return best

    def box_class(self, folded: str) -> NodeKind | None:
        """The class a box heading ending in a question of ``[class.*].questions`` holds."""
        for cue in self.cues.container_classes():
            if any(folded.endswith(q) for q in cue.questions):
                return cue.kind
        return None

    def bare_class_word(self, text: str) -> tuple[NodeKind | None, str | None, bool]:
        """The class a heading consisting only of a class word names (``Pejlemærke:``, ``Principper``), and
        whether the word is a plural (a word in both lists, like ``mål``, counts as plural)."""
        folded = fold(text).rstrip(":").strip()
        for cue in self.cues.classes.values():
            if folded in cue.plural:
                return cue.kind, folded, True
        for cue in self.cues.container_classes():
            if folded in cue.words:
                return cue.kind, folded, False
        return None, None, False

    def list_class(self, text: str) -> tuple[NodeKind | None, str | None]:
        """The class of the items a list label names: ``Mål``, ``Mål i 2028:``, ``Det gør vi``, ``Det vil vi:``."""
        folded = fold(text).rstrip(":").strip()
        folded = self.cues.qualifier.sub("", folded).strip()
        if folded in self.cues.activity_lead_ins:
            return NodeKind.ACTIVITY, folded
        if folded in self.cues.statement_lead_ins:
            return NodeKind.STATEMENT, folded
        for cue in self.cues.classes.values():
            if folded in cue.plural:
                return cue.kind, folded
        return None, None

    def split_title(self, block: Block) -> tuple[str | None, list[Segment], str, NodeKind, str] | None:
        """``Indsatsområde 1: Bolig og hjem`` → (number, segments and text of the title, class, class word)."""
        m = self.cues.type_title.match(block.text)
        if m is None:
            return None
        word = fold(m.group("word"))
        for cue in self.cues.container_classes():
            if word in cue.words:
                title = m.group("title")
                return m.group("number"), suffix_segments(self.source, block.segments, len(title)), title, \
                    cue.kind, word
        return None

    def lead_in_class(self, text: str) -> tuple[NodeKind | None, str | None]:
        """The class a short lead-in names (``Visionen for ... er:``)."""
        folded = fold(text)
        if not folded.endswith(":") or len(folded.split()) > _LEAD_IN_MAX_WORDS:
            return None, None
        for cue in self.cues.container_classes():
            for word in (*cue.definite, *cue.words):
                if has_phrase(folded, word):
                    return cue.kind, word
        return None, None

    # ---- steps 1-3: markers, cover, outline -----------------------------------------------------------

    def outline(self) -> Part:
        blocks = [b for b in self.doc.blocks if b.kind is not BlockKind.PAGE_BREAK]
        markers: dict[int, tuple[NodeKind, str]] = {}
        kept: list[Block] = []
        for i, block in enumerate(blocks):
            if block.kind is BlockKind.HEADING and i + 1 < len(blocks) and blocks[i + 1].kind is BlockKind.HEADING:
                kind, word, plural = self.bare_class_word(block.text)
                if kind is not None and word is not None and not plural:
                    markers[id(blocks[i + 1])] = (kind, word)
                    continue
            kept.append(block)
        blocks = self.drop_cover(kept)
        levels = self.levels(blocks)
        root = Part(heading=None, level=0)
        stack = [root]
        for block in blocks:
            if block.kind is BlockKind.HEADING:
                level = levels[id(block)]
                if self.list_class(block.text)[0] is not None and block.number is None:
                    # A list label ("Mål", "Det gør vi") belongs to the chapter above it, whatever its level.
                    while len(stack) > 1 and stack[-1].list_label:
                        stack.pop()
                    if len(stack) > 1 and level <= stack[-1].level:
                        level = stack[-1].level + 1
                while stack[-1].level >= level:
                    stack.pop()
                part = Part(heading=block, level=level, label=block, number=block.number,
                            list_label=self.list_class(block.text)[0] is not None and block.number is None)
                if id(block) in markers:
                    part.kind, part.word = markers[id(block)]
                stack[-1].children.append(part)
                stack.append(part)
            else:
                stack[-1].body.append(block)
        self.drop_title(root)
        self.merge_runs(root)
        return root

    @staticmethod
    def levels(blocks: list[Block]) -> dict[int, int]:
        """Each heading's level; where numbered headings of several depths ("2.", "2.1") all share one level,
        the numbering's depth decides (a converted document often flattens its heading levels)."""
        headings = [b for b in blocks if b.kind is BlockKind.HEADING]
        out = {id(b): b.level or 1 for b in headings}
        numbered = [b for b in headings if b.number and re.match(r"^\d+(?:\.\d+)*\.?$", b.number)]
        depths = {b.number.rstrip(".").count(".") + 1 for b in numbered if b.number}
        if len(depths) >= 2 and len({b.level for b in numbered}) == 1:
            for b in numbered:
                assert b.number is not None
                out[id(b)] = (b.level or 1) + b.number.rstrip(".").count(".")
        return out

    def drop_title(self, root: Part) -> None:
        """A document under one top heading: that heading is its title, not a chapter.

        Its chapters move up a level; what stands between the title and the first chapter stays as the
        document's own text when it is prose, and is dropped when it is cover lines (no sentence).
        """
        if len(root.children) != 1 or root.body:
            return
        title = root.children[0]
        if not title.children or title.heading is None:
            return
        if self.bare_class_word(title.heading.text)[0] is not None or self.heading_class(title.heading.text)[2] \
                in ("singular", "ambiguous"):
            return  # "Vision" over its parts, "Spor 1" over its title: a node, not the document's title
        root.body = [b for b in title.body if _SENTENCE_END.search(b.text) or b.kind is not BlockKind.PARAGRAPH]
        root.children = title.children

    def drop_cover(self, blocks: list[Block]) -> list[Block]:
        """The blocks without the title page: what stands before the first sentence, except the headings
        that open the first chapter (the last one, and the headings above it in a chain of levels).

        A last heading that only states a year or period ("Guldborgsund Kommune 2023") is a cover line too.
        """
        first = next((i for i, b in enumerate(blocks) if _is_sentence_block(b)), len(blocks))
        headings = [i for i in range(first) if blocks[i].kind is BlockKind.HEADING]
        if not headings:
            return blocks
        keep = [headings[-1]]
        for i in reversed(headings[:-1]):
            if (blocks[i].level or 1) < (blocks[keep[0]].level or 1):
                keep.insert(0, i)
        if len(keep) == 1 and _YEAR_LINE.search(blocks[keep[0]].text) and len(headings) > 1:
            keep = []
        return [blocks[i] for i in keep] + blocks[first:]

    def type_number(self, part: Part) -> re.Match[str] | None:
        if part.heading is None:
            return None
        return self.cues.type_number.match(normalize_ws(part.heading.text))

    def merge_runs(self, part: Part) -> None:
        """Titles under ``Spor 5`` headings, subtitles under label headings, recursively."""
        for child in part.children:
            self.merge_runs(child)
        merged: list[Part] = []
        i = 0
        children = part.children
        while i < len(children):
            child = children[i]
            tn = self.type_number(child)
            if tn and not child.body and child.children and child.children[0].empty is False \
                    and child.children[0].heading is not None:
                title = child.children.pop(0)
                child.label = title.heading
                child.number = child.number or tn.group("number")
                child.body = title.body
                child.children = title.children + child.children
            if child.empty and i + 1 < len(children) and children[i + 1].level == child.level \
                    and not self.is_special(child) and not self.is_special(children[i + 1]):
                nxt = children[i + 1]
                if tn:
                    child.label = nxt.heading
                    child.number = child.number or tn.group("number")
                else:
                    child.subtitle = nxt.heading
                child.body, child.children = nxt.body, nxt.children
                merged.append(child)
                i += 2
                continue
            if tn and child.label is child.heading:
                child.number = child.number or tn.group("number")
            merged.append(child)
            i += 1
        part.children = merged

    def is_special(self, part: Part) -> bool:
        if part.heading is None:
            return False
        folded = fold(part.heading.text).rstrip(":")
        return folded in self.cues.toc or folded in self.cues.section or folded in self.cues.related_headings

    # ---- step 4-5: skipped chapters and classes ------------------------------------------------------

    def classify(self, root: Part) -> None:
        self.mark_special(root, parent_kind=None)
        self.find_summaries(root)
        self.find_colophon(root)
        self.apply_announcements(root)

    def mark_special(self, part: Part, parent_kind: NodeKind | None, parent_group: NodeKind | None = None) -> None:
        for child in part.children:
            assert child.heading is not None
            folded = fold(child.heading.text).rstrip(":").strip()
            if folded in self.cues.toc:
                child.skip = "toc"
                continue
            if folded in self.cues.related_headings:
                child.related = self.cues.related_headings[folded]
                continue
            box_kind = self.box_class(folded)
            if folded in self.cues.section:
                child.section = True
            elif box_kind is not None and child.kind is None:
                if child.children:
                    child.box, child.group = True, box_kind
                    for grand in child.children:
                        grand.attrs["box"] = child.heading.text
                else:
                    child.kind = box_kind
                    child.attrs["box"] = child.heading.text
            elif child.kind is None:
                kind, word, role = self.heading_class(child.heading.text)
                bare_kind, bare_word, bare_plural = self.bare_class_word(child.heading.text)
                list_kind, list_word = self.list_class(child.heading.text)
                titled = self.split_title(child.heading) if child.label is child.heading else None
                if list_kind is not None and not (bare_plural and bare_kind is not None):
                    child.bare = True
                    child.group, child.group_word = list_kind, list_word
                elif titled is not None:
                    number, segs, title, child.kind, child.word = titled
                    child.number = child.number or number
                    child.label = Block(kind=BlockKind.HEADING, text=title, segments=segs, level=child.level)
                elif bare_plural and bare_kind is not None:
                    # Only the plural word ("Principper"): a list label inside a typed node, else a group.
                    child.bare = True
                    child.group, child.group_word = bare_kind, bare_word
                elif role == "singular":
                    child.kind, child.word = kind, word
                elif role == "plural":
                    child.group, child.group_word = kind, word
                elif role == "ambiguous":
                    if any(d.heading is not None and self.heading_class(d.heading.text)[2] in ("singular", "ambiguous")
                           and self.heading_class(d.heading.text)[0] is kind for d in child.descendants()):
                        child.group, child.group_word = kind, word
                    else:
                        child.kind, child.word = kind, word
                if child.kind is None and parent_group is not None and child.group is None:
                    child.kind = parent_group
            own_kind = child.kind if child.kind is not None else NodeKind.SECTION
            self.mark_special(child, own_kind, child.group)

    def find_summaries(self, root: Part) -> None:
        """Overview pages: parts whose sub-headings repeat the headings of later chapters."""
        all_parts = root.descendants()
        order = {id(p): i for i, p in enumerate(all_parts)}
        for part in all_parts:
            if part.skip or not part.children:
                continue
            inside = {id(d) for d in part.descendants()}
            later = {fold(p.text) for p in all_parts if order[id(p)] > order[id(part)] and id(p) not in inside
                     and p.level <= part.level}
            names = [fold(c.text) for c in part.children]
            if len(names) >= 2 and sum(1 for n in names if n in later) >= 2:
                part.skip = "summary"
                for child in part.children:
                    motto = next((b for b in child.blocks() if self.is_motto(b)), None)
                    if motto is not None:
                        self.summary_mottos.setdefault(fold(child.text), motto)

    def find_colophon(self, root: Part) -> None:
        """A closing chapter of short lines that names editors, a date or an address: the back page."""
        live = [c for c in root.children if not c.skip]
        if not live:
            return
        last = live[-1]
        blocks = last.blocks()
        if not blocks or any(b.kind is not BlockKind.PARAGRAPH and b.kind is not BlockKind.HEADING for b in blocks):
            return
        if any(_SENTENCE_END.search(b.text) and not _DATE.search(b.text) for b in blocks if b.kind is BlockKind.PARAGRAPH):
            return
        text = fold(" ".join(b.text for b in blocks))
        if any(has_phrase(text, w) for w in self.cues.colophon) or _DATE.search(text) or _URL.search(text):
            last.skip = "colophon"

    def announcements(self, text: str) -> list[tuple[int, NodeKind]]:
        """(number, class) of each "fem politiske pejlemærker" in ``text``."""
        if self._announce is None:
            numbers = "|".join(re.escape(w) for w in self.cues.numbers)
            words = sorted({w for c in self.cues.container_classes() for w in c.plural}, key=len, reverse=True)
            self._announce = re.compile(
                rf"(?<![\w-])(\d{{1,2}}|{numbers})\s+(?:[\w-]+\s+){{0,{self.cues.announcement_gap - 1}}}?"
                rf"({'|'.join(re.escape(w) for w in words)})(?![\w-])")
        out: list[tuple[int, NodeKind]] = []
        for m in self._announce.finditer(fold(text)):
            raw, word = m.group(1), m.group(2)
            kind = next(c.kind for c in self.cues.container_classes() if word in c.plural)
            out.append((int(raw) if raw.isdigit() else self.cues.numbers[raw], kind))
        return out

    def apply_announcements(self, root: Part) -> None:
        parents: dict[int, Part] = {}

        def index(part: Part) -> None:
            for c in part.children:
                parents[id(c)] = part
                index(c)

        index(root)
        for part in [root, *root.descendants()]:
            if part.skip or part.related:
                continue
            for number, kind in self.announcements(" ".join(b.text for b in part.body)):
                node: Part | None = part
                while node is not None:
                    if node is root:
                        later = root.children
                    elif id(node) in parents:
                        siblings = parents[id(node)].children
                        later = siblings[siblings.index(node) + 1:]
                    else:
                        break
                    eligible = [s for s in later if not s.skip and not s.section and s.group is None
                                and not s.related and not s.bare and s.kind in (None, kind)]
                    if number >= 2 and len(eligible) == number and any(s.kind is None for s in eligible):
                        for s in eligible:
                            s.kind = s.kind or kind
                        break
                    node = parents.get(id(node)) if node is not root else None
                    if node is root:
                        node = None

    # ---- step 6: nodes --------------------------------------------------------------------------------

    def key_of(self, kind: NodeKind) -> str:
        return self.cues.cue(kind).key

    def next_number(self, scope: str, seg: str) -> int:
        n = self.counters.get((scope, seg), 0) + 1
        self.counters[(scope, seg)] = n
        return n

    def child_key(self, scope: str, seg: str, single: bool = False) -> str:
        if single:
            return f"{scope}/{seg}" if scope else seg
        n = self.next_number(scope, seg)
        return f"{scope}/{seg}/{n}" if scope else f"{seg}/{n}"

    def node(self, kind: NodeKind, key: str, segments: list[Segment], label: str | None = None,
             **attrs: str) -> Node:
        return make_node(kind, key, self.source, segments, label=label, **attrs)

    def emit(self, root: Part) -> None:
        self.emit_body(root.body, None, "", None)
        for child in root.children:
            self.emit_part(child, None, "", None)

    def attach(self, parent: Node | None, node: Node) -> None:
        (parent.children if parent is not None else self.top).append(node)

    def emit_part(self, part: Part, parent: Node | None, scope: str, parent_group: NodeKind | None) -> None:
        if part.skip:
            return
        if part.related is not None:
            self.emit_related(part)
            return
        list_label = part.bare and part.group is not None and not self.cues.cue(part.group).container
        if part.box or list_label or (part.bare and parent is not None and parent.kind is not NodeKind.SECTION):
            self.emit_body(part.body, parent, scope, part.group)
            for child in part.children:
                if child.kind is None and not child.section:
                    child.kind = part.group
                self.emit_part(child, parent, scope, part.group)
            return
        assert part.label is not None
        if part.empty:
            return
        attrs: dict[str, str] = dict(part.attrs)
        if part.number:
            attrs["number"] = part.number
        if part.subtitle is not None:
            attrs["subtitle"] = part.subtitle.text
        if part.kind is not None and not part.section:
            cue = self.cues.cue(part.kind)
            seg = cue.key_for(part.word)
            target = parent
            node_scope = scope
            if cue.document_level and parent is not None and parent.kind is NodeKind.SECTION \
                    and parent_group is not part.kind:
                target, node_scope = None, ""
            key = self.child_key(node_scope, seg)
            node = self.node(part.kind, key, part.label.segments, label=part.label.text, **attrs)
            self.attach(target, node)
            self.emit_body(part.body, node, key, None)
            for child in part.children:
                self.emit_part(child, node, key, part.group)
            motto = self.summary_mottos.get(fold(part.label.text))
            if motto is not None and not any(c.kind is NodeKind.MOTTO for c in node.children):
                # The chapter prints no motto of its own: the overview's, printed under its name.
                node.children.append(self.node(NodeKind.MOTTO, self.child_key(key, self.key_of(NodeKind.MOTTO), single=True),
                                               motto.segments, label=motto.text))
        else:
            base = parent.key if parent is not None else ""
            key = self.child_key(base, self.key_of(NodeKind.SECTION))
            node = self.node(NodeKind.SECTION, key, part.label.segments, label=part.label.text, **attrs)
            self.attach(parent, node)
            self.emit_body(part.body, node, scope, None)
            for child in part.children:
                # An unnumbered heading grouping a class ("Strategispor for ...") introduces its nodes, which
                # stand beside it; under a numbered one ("3. Forslag til ... indsatsområder") they nest.
                beside = part.group is not None and not part.number and child.kind is not None \
                    and not child.section
                self.emit_part(child, parent if beside else node, scope, part.group)
        node.children.sort(key=lambda n: n.start)

    def emit_related(self, part: Part) -> None:
        key = part.related or self.key_of(NodeKind.RELATED_DOCUMENT)
        for block in part.blocks():
            if block.kind is BlockKind.HEADING:
                continue
            label = block.text
            attrs = {"role": key}
            issuer = self.issuer(label)
            if issuer:
                attrs["issuer"] = issuer
            self.related.append(self.node(NodeKind.RELATED_DOCUMENT, self.child_key("", key), block.segments,
                                          label=label, **attrs))

    def issuer(self, title: str) -> str | None:
        """The municipality or region a title names (``[patterns].issuer``), as ``<Navn> Kommune``/``Region <Navn>``."""
        for m in self.cues.issuer.finditer(title):
            name = m.group("name")
            if name is not None:
                if fold(name) in self.cues.not_a_name or len(name) < 2:
                    continue
                return self.cues.issuer_municipality.format(name=_title_case(name))
            return self.cues.issuer_region.format(name=_title_case(m.group("region")))
        return None

    def is_motto(self, block: Block) -> bool:
        if block.kind is not BlockKind.PARAGRAPH:
            return False
        if self.cues.motto_emphasis and block.style.get("emphasis") != "bold":
            return False
        return block.text.endswith(self.cues.motto_endings) and len(block.text.split()) <= self.cues.motto_max_words

    def is_related_lead_in(self, block: Block) -> bool:
        folded = fold(block.text)
        return any(w in folded for w in self.cues.related_words) \
            and any(has_phrase(folded, m) for m in self.cues.related_markers)

    def strip_lead(self, segments: list[Segment], words: tuple[str, ...] = ()) -> list[Segment]:
        """``segments`` without the lead-in's final colon (and final ``words`` such as ``er``)."""
        segs = list(segments)
        while segs:
            s, e = segs[-1]
            while e > s and (self.source[e - 1] in ":" or self.source[e - 1].isspace()):
                e -= 1
            for word in words:
                tail = self.source[s:e]
                m = re.search(r"\s+" + re.escape(word) + r"$", tail, re.IGNORECASE)
                if m:
                    e = s + m.start()
                    break
            if e > s:
                segs[-1] = (s, e)
                return segs
            segs.pop()
        return segs

    def passage(self, parent: Node | None, _scope: str, block: Block) -> Node:
        base = parent.key if parent is not None else ""
        node = self.node(NodeKind.PASSAGE, self.child_key(base, self.key_of(NodeKind.PASSAGE)), block.segments)
        self.collect_themes(block.text)
        return node

    def item(self, parent: Node | None, scope: str, block: Block, kind: NodeKind | None) -> Node:
        """A list item: a Statement, or a node of the class its list label names (a Goal, an Activity)."""
        if kind is None or kind is NodeKind.STATEMENT:
            if parent is None:
                return self.passage(None, scope, block)
            return self.statement(parent, block)
        cue = self.cues.cue(kind)
        base = parent.key if parent is not None else scope
        attrs = {"number": block.number} if block.number else {}
        if kind is NodeKind.ACTIVITY and parent is not None and parent.kind is NodeKind.GOAL:
            node = self.node(kind, self.child_key(base, cue.key), block.segments, **attrs)
            node.links.append(("forGoal", parent.key))
            return node
        label = block.text if cue.container else None
        return self.node(kind, self.child_key(base, cue.key), block.segments, label=label, **attrs)

    def prefixed(self, block: Block) -> tuple[NodeKind, str, list[Segment], str] | None:
        """A paragraph opening with a class word and a colon (``Målsætning: Flere borgere ...``)."""
        m = re.match(r"^([^\W\d_][\w-]*)\s*:\s+(\S.*)$", block.text)
        if m is None:
            return None
        word = fold(m.group(1))
        for cue in self.cues.container_classes():
            if word in cue.words:
                rest = m.group(2)
                return cue.kind, word, suffix_segments(self.source, block.segments, len(rest)), rest
        return None

    def statement(self, parent: Node | None, block: Block) -> Node:
        base = parent.key if parent is not None else ""
        return self.node(NodeKind.STATEMENT, self.child_key(base, self.key_of(NodeKind.STATEMENT)), block.segments)

    def emit_body(self, blocks: list[Block], parent: Node | None, scope: str, lead_class: NodeKind | None) -> None:
        """Nodes of the blocks directly under ``parent`` (None: the document)."""
        has_motto = any(c.kind is NodeKind.MOTTO for c in parent.children) if parent is not None else True
        i = 0
        while i < len(blocks):
            block = blocks[i]
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if block.kind is BlockKind.TABLE_CELL:
                j = i
                while j < len(blocks) and blocks[j].kind is BlockKind.TABLE_CELL and blocks[j].table == block.table:
                    j += 1
                self.emit_table(blocks[i:j], parent, scope)
                i = j
                continue
            if block.kind is BlockKind.PARAGRAPH and block.text.endswith(":") and nxt is not None \
                    and nxt.kind is BlockKind.LIST_ITEM:
                j = i + 1
                while j < len(blocks) and blocks[j].kind is BlockKind.LIST_ITEM:
                    j += 1
                items = blocks[i + 1:j]
                self.emit_list(block, items, parent, scope, lead_class)
                i = j
                continue
            if block.kind is BlockKind.PARAGRAPH and nxt is not None and nxt.kind is BlockKind.PARAGRAPH:
                kind, word = self.lead_in_class(block.text)
                if kind is not None:
                    self.emit_lead_in_node(kind, word, block, nxt, parent, scope)
                    i += 2
                    continue
            if self.is_motto(block) and parent is not None and not has_motto:
                has_motto = True
                self.attach(parent, self.node(NodeKind.MOTTO, self.child_key(parent.key, self.key_of(NodeKind.MOTTO), single=True),
                                              block.segments, label=block.text))
            elif block.kind is BlockKind.LIST_ITEM:
                self.attach(parent, self.item(parent, scope, block, lead_class))
            elif block.kind is BlockKind.PARAGRAPH and (prefixed := self.prefixed(block)) is not None:
                kind, word, segs, rest = prefixed
                cue = self.cues.cue(kind)
                target, node_scope = parent, (parent.key if parent is not None else scope)
                if cue.document_level and (parent is None or parent.kind is NodeKind.SECTION):
                    target, node_scope = None, ""
                self.attach(target, self.node(kind, self.child_key(node_scope, cue.key_for(word)), segs, label=rest))
            elif block.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING):
                self.attach(parent, self.passage(parent, scope, block))
            i += 1

    def emit_list(self, lead: Block, items: list[Block], parent: Node | None, scope: str,
                  lead_class: NodeKind | None) -> None:
        folded_lead = fold(lead.text).rstrip(":").strip()
        if self.is_related_lead_in(lead):
            self.attach(parent, self.passage(parent, scope, lead))
            for item in items:
                label = item.text.split(" (", 1)[0].strip()
                self.related.append(self.node(NodeKind.RELATED_DOCUMENT, self.child_key("", self.key_of(NodeKind.RELATED_DOCUMENT)),
                                              item.segments, label=label))
            return
        list_kind, _word = self.list_class(lead.text)
        if list_kind is not None and list_kind is not lead_class:
            # A lead-in that names its items' class ("Det gør vi:") decides, also under a list label of another
            # class ("Mål" above it): the label's scope ends where the next lead-in names its own.
            for item in items:
                self.attach(parent, self.item(parent, scope, item, list_kind))
            return
        if lead_class is not None and not self.cues.cue(lead_class).container:
            if folded_lead not in self.cues.statement_lead_ins and list_kind is None:
                self.attach(parent, self.passage(parent, scope, lead))
            for item in items:
                self.attach(parent, self.item(parent, scope, item, lead_class))
            return
        if lead_class is not None and parent is not None:
            cue = self.cues.cue(lead_class)
            segs = self.strip_lead(lead.segments)
            key = self.child_key(parent.key, cue.key)
            node = self.node(lead_class, key, segs, label=segment_text(self.source, segs))
            for item in items:
                node.children.append(self.statement(node, item))
            self.attach(parent, node)
            return
        if folded_lead not in self.cues.statement_lead_ins:
            self.attach(parent, self.passage(parent, scope, lead))
        for item in items:
            self.attach(parent, self.item(parent, scope, item, None))

    def emit_lead_in_node(self, kind: NodeKind, word: str | None, lead: Block, body: Block, parent: Node | None,
                          scope: str) -> None:
        cue = self.cues.cue(kind)
        target, node_scope = parent, scope
        if cue.document_level and (parent is None or parent.kind is NodeKind.SECTION):
            target, node_scope = None, ""
        label_segs = self.strip_lead(lead.segments, self.cues.label_strip)
        key = self.child_key(node_scope, cue.key_for(word))
        self.attach(target, self.node(kind, key, body.segments, label=segment_text(self.source, label_segs)))

    def emit_table(self, cells: list[Block], parent: Node | None, scope: str) -> None:
        if any(c.header is not None and (c.row or 0) > 0 for c in cells):
            # Row 0 is the header row the other cells name: it holds no content.
            cells = [c for c in cells if c.row != 0]
        nodes = table_nodes(cells, self.source, cues=self.cues, key_prefix=scope, counters=self.table_counters)
        if not nodes:
            # No column names a class: the cells are prose.
            base = parent.key if parent is not None else ""
            nodes = [self.node(NodeKind.PASSAGE, self.child_key(base, self.key_of(NodeKind.PASSAGE)), c.segments) for c in cells
                     if c.style.get("role") != "header"]
        for node in nodes:
            self.attach(parent, node)

    # ---- themes ----------------------------------------------------------------------------------------

    def collect_themes(self, text: str) -> None:
        """Themes a sentence names after a ``[themes].lead`` ("gennemgående temaer, som A, B og C")."""
        plain = normalize_ws(text)
        folded = plain.casefold()
        connectors = "|".join(re.escape(c) for c in self.cues.theme_connectors)
        for lead in self.cues.theme_leads:
            m = re.search(r"(?<![\w-])" + re.escape(lead) + rf"\s*,?\s*(?:(?:{connectors})(?![\w-]))?\s*:?\s*([^.:;]+)",
                          folded)
            if m is None or len(folded) != len(plain):
                continue
            for theme in split_items(plain[m.start(1):m.end(1)], self.cues.theme_joiners):
                if theme not in self.themes:
                    self.themes.append(theme)

    # ---- the whole ----------------------------------------------------------------------------------

    def run(self) -> ParsedDocument:
        root = self.outline()
        self.classify(root)
        self.emit(root)
        nodes = [*self.top, *self.related]
        nodes.sort(key=lambda n: n.start)
        self.finish_keys(nodes)
        attrs: dict[str, str] = {}
        if not any(n.kind not in (NodeKind.SECTION, NodeKind.PASSAGE) for n in _walk(nodes)):
            message = (f"{self.file}: no strategy structure recognised (no class cue matched); "
                       "read as Sections and Passages")
            self.warnings.append(message)
            attrs["warning"] = message
        self.doc.warnings.extend(w for w in self.warnings if w not in self.doc.warnings)
        return ParsedDocument(nodes=nodes, attrs=attrs, themes=self.themes)

    def finish_keys(self, nodes: list[Node]) -> None:
        """Classes numbered only when several (``vision`` vs ``vision/1``) lose the number when alone."""
        everything = _walk(nodes)
        for cue in self.cues.classes.values():
            if cue.numbered != "when-several":
                continue
            found = [n for n in everything if n.kind is cue.kind]
            if len(found) == 1 and found[0].key == f"{cue.key}/1":
                old = found[0].key
                for n in found[0].walk():
                    n.key = cue.key + n.key[len(old):]


def suffix_segments(source: str, segments: list[Segment], length: int) -> list[Segment]:
    """The segments covering the last ``length`` characters of the segments' normalised text."""
    text = segment_text(source, segments)
    skip = len(text) - length  # normalised characters to drop from the front
    out: list[Segment] = []
    for s, e in segments:
        norm = normalize_ws(source[s:e])
        if skip >= len(norm) + 1:
            skip -= len(norm) + 1
            continue
        if skip > 0:
            # Walk the raw characters, counting normalised ones (runs of whitespace count once).
            pos, count, in_space = s, 0, False
            while pos < e and count < skip:
                ch = source[pos]
                if ch.isspace():
                    if not in_space:
                        count += 1
                    in_space = True
                else:
                    count += 1
                    in_space = False
                pos += 1
            while pos < e and source[pos].isspace():
                pos += 1
            out.append((pos, e))
            skip = 0
        else:
            out.append((s, e))
    return out


def _title_case(name: str) -> str:
    """``ESBJERG`` → ``Esbjerg``, ``IKAST-BRANDE`` → ``Ikast-Brande``; mixed case is kept."""
    if not name.isupper():
        return name
    return "-".join(part.capitalize() for part in name.split("-"))


def _walk(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for n in nodes:
        out.extend(n.walk())
    return out


def split_items(items: str, joiners: tuple[str, ...]) -> list[str]:
    """``"A, B og C"`` → ``["A", "B", "C"]``; only the first joiner of the last item splits it."""
    pieces = [p.strip() for p in normalize_ws(items).split(",") if p.strip()]
    if not pieces:
        return []
    head, last = pieces[:-1], pieces[-1]
    pattern = r"\s+(?:" + "|".join(re.escape(j) for j in joiners) + r")\s+"
    tail = re.split(pattern, last, maxsplit=1) if head else [last]
    return [p.strip() for p in [*head, *tail] if p.strip()]


# --------------------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------------------


def recognise(doc: ReadDocument, *, file: str, cues: Cues | None = None) -> ParsedDocument:
    """The document tree of ``doc``'s blocks (``file`` names the source in warnings)."""
    return _Recogniser(doc, file, cues or load_cues()).run()


__all__ = ["Part", "recognise", "split_items"]
