"""Web pages → blocks: only the main content of a page as municipalities publish it.

The page is parsed by selectolax (Lexbor, an HTML5 parser: no DTDs, no entity declarations, no network). Before
that, a DOCTYPE with an internal subset or any ``<!ENTITY`` in the prologue is refused, as it would be in an XML
parser: such a page is an attack or a broken export, never a municipality's policy.

Boilerplate goes first (scripts, styles, navigation, cookie banners, breadcrumbs, share and print toolbars,
sidebars, feedback boxes, footers, skip links, hidden elements; recognised by element, ARIA role and class/id
words), then the content container is chosen: ``<main>``/``role=main``, else the largest ``<article>``, else the
element where paragraph text is densest (widened to the nearest ancestor holding the page's ``<h1>``). Its
headings, paragraphs, lists and tables become blocks; the extracted text is built from them (list numbers and
bullets sit between spans, table cells are tab-separated), so every span points at the block's own words.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ingest.model import Segment, normalize_ws
from ingest.read.blocks import Block, BlockKind, ReadDocument, TextBuilder, block_from_spans
from ingest.read.detect import ReadError

_PROLOGUE_END = re.compile(r"<(?:html|head|body)[\s>]", re.IGNORECASE)
_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)
_INTERNAL_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)


def check_entities(text: str, file: str | Path) -> None:
    """Refuse entity declarations and DOCTYPE internal subsets (entity expansion, external entities)."""
    m = _PROLOGUE_END.search(text)
    prologue = text[: m.start()] if m else text[:65536]
    if _ENTITY_DECL.search(prologue) or _INTERNAL_SUBSET.search(prologue):
        what = "entity declarations" if _ENTITY_DECL.search(prologue) else "an internal subset"
        raise ReadError(f"the page's DOCTYPE contains {what} (XML entity expansion or external entities are "
                        "refused)", reason="xml-entities", file=file)


# --- Decoding --------------------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS: Final = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def decode_html(data: bytes, file: str | Path) -> str:
    """The page's text: by BOM, else the charset its ``<meta>`` declares, else UTF-8, else Windows-1252."""
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(bom_codec, "replace")
    m = _META_CHARSET.search(data[:4096])
    if m:
        codec: str | None
        try:
            codec = codecs.lookup(m.group(1).decode("ascii")).name
        except LookupError:
            codec = None
        if codec is not None:
            # browsers read a page labelled ISO-8859-1 as Windows-1252; so do we
            codec = "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


# --- Boilerplate -----------------------------------------------------------------------------------------------

_REMOVE_TAGS: Final = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas",
                       "nav", "aside", "footer", "form", "dialog", "select", "input", "textarea", "img",
                       "video", "audio", "picture", "source", "link", "meta")
_REMOVE_SELECTORS: Final = ("[role=navigation]", "[role=banner]", "[role=contentinfo]", "[role=search]",
                            "[role=dialog]", "[role=alertdialog]", "[role=complementary]", "[aria-hidden=true]",
                            "[hidden]", "[aria-modal=true]")
# A class or id containing one of these anywhere is boilerplate …
_BOILER_ANYWHERE = re.compile(r"cookie|consent|breadcrumb|brødkrumme|broedkrumme|brodkrumme|skiplink|skip-link",
                              re.IGNORECASE)
# … and so is one with one of these as a whole word between - and _ (so "print" but not "blueprint")
_BOILER_WORD = re.compile(
    r"(?:^|[-_\s])(?:share|sharing|social|some|print|toolbar|tools|skip|sr-only|visually-hidden|visuallyhidden|"
    r"screen-reader-text|pagination|pager|feedback|rating|newsletter|nyhedsbrev|related|sidebar|offcanvas|modal|"
    r"popup|menu|megamenu|navbar|nav|navigation|byline|last-updated|updated|tags|site-header|site-footer|"
    r"header-bar|footer)(?:$|[-_\s])",
    re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_KEEP: Final = frozenset({"html", "body", "main", "article"})


def _is_boilerplate(node: LexborNode) -> bool:
    attrs = node.attributes
    words = " ".join(v for k, v in attrs.items() if k in ("class", "id") and v)
    if words and (_BOILER_ANYWHERE.search(words) or _BOILER_WORD.search(words)):
        return True
    style = attrs.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _protected(node: LexborNode) -> bool:
    """Never remove the page's main content or anything around it (``<body class="cookie-consent-…">``)."""
    return node.tag in _KEEP or node.attributes.get("role") == "main" or (
        node.css_first("main, article, [role=main]") is not None)


def strip_boilerplate(root: LexborNode) -> None:
    for node in root.css(", ".join(_REMOVE_TAGS)):
        node.decompose()
    for node in root.css(", ".join(_REMOVE_SELECTORS)):
        if not _protected(node):
            node.decompose()
    # site-wide <header role=banner> is gone; a <header> holding no heading is a site header too
    for node in root.css("header"):
        if node.css_first("h1, h2, h3") is None:
            node.decompose()
    for node in root.css("[class], [id], [style]"):
        if node.parent is not None and not _protected(node) and _is_boilerplate(node):
            node.decompose()
    for node in root.css("a[href^='#']"):
        # skip links ("Gå til hovedindhold") and in-page anchors outside text
        if node.parent is not None and node.parent.tag in ("body", "div", "header"):
            node.decompose()


# --- The content container -------------------------------------------------------------------------------------

_TEXT_TAGS: Final = ("p", "li", "td", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote")


def _text_len(node: LexborNode) -> int:
    return len(normalize_ws(node.text(deep=True, separator=" ")))


def choose_container(root: LexborNode) -> LexborNode:
    mains = root.css("main, [role=main]")
    if mains:
        return max(mains, key=_text_len)
    articles = root.css("article")
    if articles:
        return max(articles, key=_text_len)
    scores: dict[int, tuple[float, LexborNode]] = {}
    for node in root.css(", ".join(_TEXT_TAGS)):
        n = _text_len(node) - sum(_text_len(a) for a in node.css("a"))
        if n < 25:
            continue
        parent = node.parent
        for weight in (1.0, 0.5):
            if parent is None:
                break
            score, _ = scores.get(parent.mem_id, (0.0, parent))
            scores[parent.mem_id] = (score + weight * n, parent)
            parent = parent.parent
    body = root.css_first("body") or root
    if not scores:
        return body
    best = max(scores.values(), key=lambda s: s[0])[1]
    if best.css_first("h1") is None:
        ancestor = best.parent
        while ancestor is not None and ancestor.tag not in ("body", "html"):
            if ancestor.css_first("h1") is not None:
                if _text_len(ancestor) <= 1.5 * _text_len(best):
                    best = ancestor
                break
            ancestor = ancestor.parent
    return best


# --- Text and blocks -------------------------------------------------------------------------------------------

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_BLOCK_TAGS: Final = frozenset({
    "p", "div", "section", "article", "main", "header", "ul", "ol", "li", "table", "thead", "tbody", "tfoot",
    "tr", "td", "th", "caption", "dl", "dt", "dd", "blockquote", "figure", "figcaption", "pre", "details",
    "summary", "address", "hgroup", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "fieldset", "center"})
_HEADINGS: Final = {f"h{i}": i for i in range(1, 7)}


def inline_text(node: LexborNode, skip: frozenset[str] = frozenset()) -> str:
    """The visible text of ``node``, with block children and ``<br>`` as word breaks; ``skip`` tags left out."""
    return normalize_ws(_INVISIBLE.sub("", _raw_text(node, skip)))


def _raw_text(node: LexborNode, skip: frozenset[str] = frozenset()) -> str:
    parts: list[str] = []

    def visit(n: LexborNode) -> None:
        for child in n.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                parts.append(child.text(deep=False) or "")
            elif tag in skip or tag == "-comment":
                continue
            elif tag == "br":
                parts.append(" ")
            elif tag in _BLOCK_TAGS:
                parts.append(" ")
                visit(child)
                parts.append(" ")
            else:
                visit(child)

    visit(node)
    return "".join(parts)


def _alpha(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _roman(n: int) -> str:
    out = []
    for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


def list_number(n: int, kind: str) -> str:
    """The number an ``<ol type=…>`` shows for item ``n`` ("3.", "c.", "IV.")."""
    if kind == "a":
        shown = _alpha(n)
    elif kind == "A":
        shown = _alpha(n).upper()
    elif kind == "i":
        shown = _roman(n)
    elif kind == "I":
        shown = _roman(n).upper()
    else:
        shown = str(n)
    return shown + "."


def _int(value: str | None, default: int) -> int:
    try:
        return int((value or "").strip())
    except ValueError:
        return default


@dataclass
class _Builder:
    out: TextBuilder = field(default_factory=TextBuilder)
    # blocks are made once the text is complete (TextBuilder.text joins every part: once, not per block)
    pending: list[tuple[BlockKind, Segment, dict[str, object]]] = field(default_factory=list)
    tables: int = 0
    heading_level: int = 0
    inline: list[str] = field(default_factory=list)

    def emit(self, kind: BlockKind, text: str, prefix: str = "", sep: str = "\n\n", **fields: object) -> None:
        if not text:
            return
        if prefix:
            self.out.append(prefix, sep=sep)
            sep = ""
        self.pending.append((kind, self.out.append(text, sep=sep), fields))
        if kind is BlockKind.HEADING:
            level = fields.get("level")
            self.heading_level = level if isinstance(level, int) else self.heading_level

    def blocks(self) -> list[Block]:
        text = self.out.text
        made = [block_from_spans(kind, text, [span], **fields) for kind, span, fields in self.pending]
        return [b for b in made if b is not None]

    def flush(self) -> None:
        text = normalize_ws(_INVISIBLE.sub("", "".join(self.inline)))
        self.inline.clear()
        self.emit(BlockKind.PARAGRAPH, text)

    def walk(self, node: LexborNode) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                self.inline.append(child.text(deep=False) or "")
                continue
            if tag == "-comment":
                continue
            if tag == "br":
                # two line breaks in a row separate paragraphs in CMS text without <p>
                if self.inline and self.inline[-1] == "\n":
                    self.flush()
                else:
                    self.inline.append("\n")
                continue
            if tag not in _BLOCK_TAGS:
                self.inline.append(_raw_text(child))
                continue
            self.flush()
            if tag in _HEADINGS:
                self.emit(BlockKind.HEADING, inline_text(child), level=_HEADINGS[tag])
            elif tag in ("p", "dt", "dd", "figcaption", "pre", "address", "caption"):
                self.emit(BlockKind.PARAGRAPH, inline_text(child))
            elif tag == "summary":
                # an accordion's title heads the content folded under it
                self.emit(BlockKind.HEADING, inline_text(child), level=min(self.heading_level + 1, 6),
                          style={"accordion": "true"})
            elif tag in ("ul", "ol"):
                self.list(child, 0)
            elif tag == "table":
                self.table(child)
            elif tag == "hr":
                continue
            else:
                self.walk(child)
                self.flush()
        self.flush()

    def list(self, node: LexborNode, depth: int) -> None:
        ordered = node.tag == "ol"
        kind = node.attributes.get("type") or "1"
        items = [c for c in node.iter() if c.tag == "li"]
        reverse = "reversed" in node.attributes
        n = _int(node.attributes.get("start"), len(items) if reverse else 1)
        for li in items:
            n = _int(li.attributes.get("value"), n)
            text = inline_text(li, skip=frozenset({"ul", "ol"}))
            if ordered:
                number = list_number(n, kind)
                self.emit(BlockKind.LIST_ITEM, text, prefix="  " * depth + number + " ", depth=depth,
                          number=number)
            else:
                self.emit(BlockKind.LIST_ITEM, text, prefix="  " * depth + "• ", depth=depth, marker="•")
            for nested in li.css("ul, ol"):
                parent = _list_parent(nested)
                if parent is not None and parent.mem_id == li.mem_id:
                    self.list(nested, depth + 1)
            n += -1 if reverse else 1

    def table(self, node: LexborNode) -> None:
        index = self.tables
        self.tables += 1
        caption = node.css_first("caption")
        if caption is not None:
            self.emit(BlockKind.PARAGRAPH, inline_text(caption), style={"caption": "true"})
        rows = [tr for tr in node.css("tr") if (t := _table_parent(tr)) is not None and t.mem_id == node.mem_id]
        occupied: set[tuple[int, int]] = set()
        headers: dict[int, str] = {}
        for r, tr in enumerate(rows):
            col = 0
            first_in_row = True
            for cell in tr.iter():
                if cell.tag not in ("td", "th"):
                    continue
                while (r, col) in occupied:
                    col += 1
                rowspan = max(1, _int(cell.attributes.get("rowspan"), 1))
                colspan = max(1, _int(cell.attributes.get("colspan"), 1))
                for dr in range(rowspan):
                    for dc in range(colspan):
                        occupied.add((r + dr, col + dc))
                text = inline_text(cell)
                if r == 0 and len(rows) > 1:
                    for c in range(col, col + colspan):
                        headers[c] = text
                style = {k: str(v) for k, v in (("rowspan", rowspan), ("colspan", colspan)) if v > 1}
                sep = ("\n\n" if r == 0 else "\n") if first_in_row else "\t"
                self.emit(BlockKind.TABLE_CELL, text, sep=sep, table=index, row=r,
                          col=col, header=headers.get(col) if r > 0 else None, style=style)
                if text:
                    first_in_row = False
                col += colspan


def _list_parent(node: LexborNode) -> LexborNode | None:
    parent = node.parent
    while parent is not None and parent.tag not in ("li", "ul", "ol"):
        parent = parent.parent
    return parent


def _table_parent(node: LexborNode) -> LexborNode | None:
    parent = node.parent
    while parent is not None and parent.tag != "table":
        parent = parent.parent
    return parent


# --- Metadata --------------------------------------------------------------------------------------------------

_TITLE_SUFFIX = re.compile(r"\s+[|\-–—]\s+([^|\-–—]+)$")


def page_meta(root: LexborNode) -> dict[str, str]:
    """title (og:title, else <title> without the site's name), created, modified, description, language."""
    def meta(*keys: str) -> str | None:
        for key in keys:
            node = root.css_first(f'meta[name="{key}" i], meta[property="{key}" i]')
            if node is not None and (node.attributes.get("content") or "").strip():
                return normalize_ws(node.attributes["content"] or "")
        return None

    out: dict[str, str] = {}
    site = meta("og:site_name")
    title_node = root.css_first("title")
    html_title = normalize_ws(title_node.text()) if title_node is not None else ""
    title = meta("og:title", "dcterms.title", "dc.title")
    if not title and html_title:
        title = html_title
        m = _TITLE_SUFFIX.search(title)
        if m and ("kommune" in m.group(1).lower() or (site and m.group(1).strip() == site)):
            title = title[: m.start()]
    for key, value in (("title", title), ("html_title", html_title), ("site_name", site),
                       ("created", meta("dcterms.created", "dc.date.created", "article:published_time")),
                       ("modified", meta("dcterms.modified", "article:modified_time")),
                       ("description", meta("dcterms.description", "description", "og:description"))):
        if value:
            out[key] = value
    for key in ("created", "modified"):
        if key in out and re.match(r"\d{4}-\d{2}-\d{2}", out[key]):
            out[key] = out[key][:10]
    html = root.css_first("html")
    if html is not None and html.attributes.get("lang"):
        out["language"] = html.attributes["lang"] or ""
    return out


def read_html(data: bytes, *, file: str | Path) -> ReadDocument:
    """Read a web page's main content into blocks."""
    text = decode_html(data, file)
    check_entities(text, file)
    tree = LexborHTMLParser(text)
    root = tree.root
    if root is None:
        raise ReadError("the page has no HTML content", reason="corrupt", file=file)
    meta = page_meta(root)
    strip_boilerplate(root)
    container = choose_container(root)
    builder = _Builder()
    titles = root.css("h1")
    if container.css_first("h1") is None and len(titles) == 1:
        # the page title in a banner above <main>: still the page's top heading
        builder.emit(BlockKind.HEADING, inline_text(titles[0]), level=1)
    builder.walk(container)
    doc = ReadDocument(text=builder.out.text, blocks=builder.blocks(), format="html", meta=meta)
    if not doc.blocks:
        doc.warnings.append(f"{file}: no main content found on the page")
    return doc


__all__ = ["check_entities", "choose_container", "decode_html", "inline_text", "list_number", "page_meta",
           "read_html", "strip_boilerplate"]
