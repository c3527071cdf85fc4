"""Writes the Word fixtures of tests/ingest/read/test_docx.py and test_detect.py with python-docx and zipfile.

Run from the repository root: ``.venv/bin/python tests/data/read/docx/make_fixtures.py``.

- ``politik-socialpsykiatri.docx``: a policy written in Word's own styles: Title, Heading 1-2, a Danish-named
  heading style ("Overskrift 3"), a contents list in "toc 1" (left out by the reader), bullets on two levels, a
  numbered list interrupted by a paragraph and continued, a second numbered list that restarts at 1 (a new
  ``w:num`` with ``startOverride``, as Word's "Start forfra ved 1" writes it), a hard page break and a table with a
  vertically merged cell (``vMerge``) and a horizontally merged one (``gridSpan``).
- ``rendered-pages.docx``: paragraphs carrying ``lastRenderedPageBreak`` the way Word saves a paginated file.
- ``nummererede-overskrifter.docx``: headings numbered by a multilevel list linked to the Heading styles
  ("1.", "1.1", as Word's "Overskrift"-numbering writes it), a lettered sub-list, rows inside a content control.
- ``bad/``: a zip bomb (one part expanding ~1000×), a bomb of many parts (over the total limit), external
  entities (XXE), entity expansion (billion laughs), a truncated file, a
  package whose document.xml is cut off, a password-protected .docx (msoffcrypto-tool, only needed to run this), a
  Strict Open XML document (the ISO namespaces Word writes for "Strict Open XML"), an .xlsx and an ELF executable named .docx.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad"
FIXED_TIME = (2025, 3, 14, 9, 0, 0)


def _el(tag: str, *children: BaseOxmlElement, **attrs: object) -> BaseOxmlElement:
    """``<w:tag w:attr="…">children</w:tag>``."""
    el = OxmlElement(tag)
    for name, value in attrs.items():
        el.set(qn(f"w:{name}"), str(value))
    el.extend(children)
    return el


def _set_num(paragraph: docx.text.paragraph.Paragraph, num_id: int, ilvl: int = 0) -> None:
    paragraph._p.get_or_add_pPr().append(_el("w:numPr", _el("w:ilvl", val=ilvl), _el("w:numId", val=num_id)))


def _restarted_num(document: docx.document.Document, like_num_id: int) -> int:
    """A new w:num on the same abstract numbering as ``like_num_id`` that starts over at 1."""
    numbering = document.part.numbering_part.element
    nums = numbering.findall(qn("w:num"))
    like = next(n for n in nums if n.get(qn("w:numId")) == str(like_num_id))
    new_id = max(int(n.get(qn("w:numId"))) for n in nums) + 1
    num = copy.deepcopy(like)
    num.set(qn("w:numId"), str(new_id))
    num.append(_el("w:lvlOverride", _el("w:startOverride", val=1), ilvl=0))
    numbering.append(num)
    return new_id


def _style_num_id(document: docx.document.Document, style_name: str) -> int:
    style = document.styles[style_name]
    return int(style.element.pPr.numPr.numId.val)


def _merge_cells(table: docx.table.Table) -> None:
    # "Socialpsykiatrien" is responsible for two rows: a vertical merge in column 1
    table.cell(1, 1).merge(table.cell(2, 1))
    # the last row's description runs over "Ansvarlig" and "Tidsplan": a horizontal merge
    table.cell(3, 1).merge(table.cell(3, 2))


def policy() -> bytes:
    d = docx.Document()
    d.core_properties.title = "Politik for socialpsykiatri og misbrug 2025-2028"
    d.core_properties.author = "Næstved Kommune, Social og Sundhed"
    d.core_properties.created = dt.datetime(2025, 3, 14, 9, 30)
    d.core_properties.subject = "Socialpsykiatri og misbrug"
    d.styles["Normal"].font.size = Pt(11)
    toc = d.styles.add_style("toc 1", 1)
    toc.base_style = d.styles["Normal"]
    dk3 = d.styles.add_style("Overskrift 3", 1)
    dk3.base_style = d.styles["Normal"]
    dk3.font.bold = True

    d.add_paragraph("Politik for socialpsykiatri og misbrug 2025-2028", style="Title")
    d.add_paragraph("Indhold", style="Normal")
    for entry in ("Forord\t2", "Vores vision\t2", "Indsatsområder\t3", "Opfølgning\t4"):
        d.add_paragraph(entry, style="toc 1")

    d.add_heading("Forord", level=1)
    d.add_paragraph(
        "Næstved Kommune vil give borgere med psykiske vanskeligheder og borgere med et skadeligt forbrug af "
        "rusmidler de bedste muligheder for at leve et selvstændigt liv. Politikken er blevet til i dialog med "
        "borgere, pårørende, Handicaprådet og medarbejdere i Social og Sundhed.")
    d.add_heading("Vores vision", level=1)
    d.add_paragraph("Alle borgere skal have mulighed for at komme sig og leve et meningsfuldt liv med de "
                    "udfordringer, de har.")

    d.add_heading("Indsatsområder", level=1)
    d.add_heading("Indsatsområde 1: Recovery og egen mestring", level=2)
    d.add_paragraph("Vi tager udgangspunkt i borgerens egne mål og ressourcer. Det vil vi:")
    d.add_paragraph("styrke brugen af peerstøtte i botilbud og bostøtte", style="List Bullet")
    d.add_paragraph("tilbyde kurser i recovery for borgere og pårørende", style="List Bullet")
    d.add_paragraph("Recoveryskolen udbyder mindst ti kurser om året", style="List Bullet 2")
    d.add_paragraph("følge op på borgerens mål hver tredje måned", style="List Bullet")

    d.add_heading("Indsatsområde 2: Sammenhængende forløb", level=2)
    d.add_paragraph("Når en borger udskrives fra psykiatrisk afdeling, skal overgangen være planlagt. "
                    "Vores mål er at:")
    list_number = _style_num_id(d, "List Number")
    d.add_paragraph("alle borgere har en udskrivningsaftale ved udskrivning", style="List Number")
    d.add_paragraph("ventetiden til misbrugsbehandling er under 14 dage", style="List Number")
    d.add_paragraph("der er én fast kontaktperson i kommunen", style="List Number")
    d.add_paragraph("Målene følges af den tværgående styregruppe.")
    continued = d.add_paragraph("samarbejdsaftalen med regionen genforhandles i 2026", style="List Number")
    del continued  # same numbering, so Word shows "4."

    d.add_paragraph("Det gør vi i det første år:")
    restart = _restarted_num(d, list_number)
    for text in ("kortlægger vi ventetider og udskrivningsforløb", "opretter vi et fælles netværksmøde"):
        _set_num(d.add_paragraph(text, style="List Number"), restart)

    d.add_heading("Et trygt sted at bo", level=3).style = dk3
    d.add_paragraph("Botilbuddene skal være trygge for både beboere og medarbejdere.")

    page_break = d.add_paragraph()
    page_break.add_run().add_break(WD_BREAK.PAGE)

    d.add_heading("Opfølgning", level=1)
    d.add_paragraph("Tabellen viser, hvem der har ansvaret for indsatserne, og hvornår de skal være gennemført.")
    rows = (
        ("Indsats", "Ansvarlig", "Tidsplan", "Status"),
        ("Peerstøtte i botilbud", "Socialpsykiatrien", "2025", "I gang"),
        ("Recoveryskolen", "", "2025-2026", "Planlagt"),
        ("Fælles netværksmøde", "Misbrugscentret og regionens psykiatri i samarbejde", "", "Ikke startet"),
    )
    table = d.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    _merge_cells(table)
    d.add_paragraph("Politikken evalueres i 2028 af Social- og Sundhedsudvalget.")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def rendered_pages() -> bytes:
    """A file saved after Word paginated it: lastRenderedPageBreak where pages began, one after a hard break."""
    d = docx.Document()
    d.add_heading("Misbrugsbehandling for unge", level=1)
    d.add_paragraph("Første side handler om rådgivning.")
    second = d.add_paragraph()
    second.add_run()._r.append(OxmlElement("w:lastRenderedPageBreak"))
    second.add_run("Anden side handler om ambulant behandling.")
    hard = d.add_paragraph("Behandlingen er gratis og anonym.")
    hard.add_run().add_break(WD_BREAK.PAGE)
    third = d.add_paragraph()
    third.add_run()._r.append(OxmlElement("w:lastRenderedPageBreak"))
    third.add_run("Tredje side handler om opfølgning efter endt behandling.")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _multilevel(document: docx.document.Document, levels: list[tuple[str, str, str | None]]) -> int:
    """A new abstract numbering with (numFmt, lvlText, linked style id) per level, and a w:num using it."""
    numbering = document.part.numbering_part.element
    abstract_id = max(int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))) + 1
    abstract = _el("w:abstractNum", abstractNumId=abstract_id)
    for ilvl, (fmt, text, style) in enumerate(levels):
        props = (("w:start", "1"), ("w:numFmt", fmt), ("w:pStyle", style), ("w:lvlText", text))
        abstract.append(_el("w:lvl", *(_el(tag, val=v) for tag, v in props if v is not None), ilvl=ilvl))
    # abstract numberings come before every w:num in the schema
    numbering.insert(list(numbering).index(numbering.find(qn("w:num"))), abstract)
    num_id = max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1
    numbering.append(_el("w:num", _el("w:abstractNumId", val=abstract_id), numId=num_id))
    return num_id


def numbered_headings() -> bytes:
    d = docx.Document()
    headings = _multilevel(d, [("decimal", "%1.", "Heading1"), ("decimal", "%1.%2", "Heading2")])
    for style_id in ("Heading1", "Heading2"):
        style = next(s for s in d.styles if s.style_id == style_id)
        style.element.get_or_add_pPr().append(_el("w:numPr", _el("w:numId", val=headings)))
    letters = _multilevel(d, [("lowerLetter", "%1)", None), ("lowerRoman", "%2.", None)])
    d.add_heading("Indledning", level=1)
    d.add_paragraph("Strategien for hjemløshed gælder fra 2025 til 2030.")
    d.add_heading("Baggrund", level=2)
    d.add_paragraph("Antallet af hjemløse borgere er steget siden 2019.")
    d.add_heading("Målgruppe", level=2)
    d.add_paragraph("Strategien omfatter borgere over 18 år uden fast bopæl.")
    d.add_heading("Housing First", level=1)
    d.add_paragraph("Vi vil:")
    for text, ilvl in (("skaffe flere billige boliger", 0), ("ti skæve boliger i Slagelse", 1),
                       ("fem skæve boliger i Korsør", 1), ("give bostøtte fra første dag", 0)):
        _set_num(d.add_paragraph(text), letters, ilvl)
    d.add_heading("Opfølgning", level=2)
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Mål", "Måling"
    table.cell(1, 0).text, table.cell(1, 1).text = "Ingen udskrives til gaden", "Optælling hvert andet år"
    # the body row inside a content control, as templates with fill-in rows write it
    row = table.rows[1]._tr
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    row.addprevious(sdt)
    content.append(row)
    sdt.append(content)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def encrypted(data: bytes) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("hemmelig", out)
    return out.getvalue()


def _rezip(source: bytes, replace: dict[str, bytes], extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = replace.get(info.filename, zin.read(info))
            zout.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            zout.writestr(zipfile.ZipInfo(name, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _small() -> tuple[bytes, bytes]:
    d = docx.Document()
    d.add_heading("Handleplan for hjemløshed", level=1)
    d.add_paragraph("PLACEHOLDER")
    out = io.BytesIO()
    d.save(out)
    data = _rezip(out.getvalue(), {})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return data, zf.read("word/document.xml")


def bad_files() -> dict[str, bytes]:
    data, document_xml = _small()
    body = document_xml.split(b"?>", 1)[1]
    xxe = (b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
           b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           + body.replace(b"PLACEHOLDER", b"&xxe;"))
    laughs = [b'<!ENTITY lol "lol">']
    for i in range(1, 10):
        prev = b"&lol;" if i == 1 else b"&lol%d;" % (i - 1)
        laughs.append(b'<!ENTITY lol%d "%s">' % (i, prev * 10))
    billion = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE w:document [' + b"".join(laughs) + b"]>"
               + body.replace(b"PLACEHOLDER", b"&lol9;"))
    # Valid XML whose trailing whitespace expands 40 MiB from ~40 kB: a bomb that would parse if let through.
    bomb = _rezip(data, {"word/document.xml": document_xml + b" " * (40 * 1024 * 1024)})
    many = _rezip(data, {}, {f"customXml/fyld{i:03d}.bin": bytes(1024 * 1024) for i in range(260)})
    xlsx = io.BytesIO()
    with zipfile.ZipFile(xlsx, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("[Content_Types].xml", FIXED_TIME),
                    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                    'content-types"/>')
        zf.writestr(zipfile.ZipInfo("xl/workbook.xml", FIXED_TIME),
                    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                    '2006/main"><sheets><sheet name="Budget 2025" sheetId="1"/></sheets></workbook>')
    # A 64-bit little-endian ELF header (x86-64 executable), padded as a linker would.
    elf = (b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00\x01\x00\x00\x00"
           + bytes(40) + bytes(4032))
    return {
        "zip-bomb.docx": bomb,
        "zip-bomb-many-parts.docx": many,
        "xxe.docx": _rezip(data, {"word/document.xml": xxe}),
        "billion-laughs.docx": _rezip(data, {"word/document.xml": billion}),
        "truncated.docx": _rezip(policy(), {})[: 9000],
        "damaged-part.docx": _rezip(data, {"word/document.xml": document_xml[: len(document_xml) // 2]}),
        "budget.xlsx": xlsx.getvalue(),
        "adgangskode.docx": encrypted(data),
        "strict.docx": _rezip(data, {"word/document.xml": document_xml.replace(
            b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
            b"http://purl.oclc.org/ooxml/wordprocessingml/main")}),
        "renamed-executable.docx": elf,
    }


def main() -> None:
    BAD.mkdir(exist_ok=True)
    # re-zipped with fixed timestamps, so that running this again changes no byte
    (HERE / "politik-socialpsykiatri.docx").write_bytes(_rezip(policy(), {}))
    (HERE / "rendered-pages.docx").write_bytes(_rezip(rendered_pages(), {}))
    (HERE / "nummererede-overskrifter.docx").write_bytes(_rezip(numbered_headings(), {}))
    for name, data in bad_files().items():
        if name == "adgangskode.docx" and (BAD / name).exists():
            continue  # encryption salts at random: keep the committed file
        (BAD / name).write_bytes(data)


if __name__ == "__main__":
    main()
