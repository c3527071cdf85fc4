"""Regenerate the PDF fixtures of tests/ingest/read/test_pdf.py with reportlab (and pdftotext for the layout text).

Run from the repository root: ``.venv/bin/python tests/data/read/pdf/make_fixtures.py``. Needs reportlab, Pillow,
the DejaVu fonts (Debian: fonts-dejavu-core) and pdftotext (poppler-utils). The output is deterministic
(reportlab's invariant mode, fixed creation dates), so regenerating leaves git clean unless this script changed.

Fixtures (all text written for these tests; the municipalities are real, the policies are not):

- ``handicappolitik.pdf``: a designed, untagged 5-page policy. Headings differ only by font size and weight,
  running header and "Side N af M" footer, a contents page with dotted leaders, a hyphenated word at a line end,
  bullets with a nested level, a numbered list, a two-column page and a ruled table with a bold header row.
- ``psykiatriplan.pdf``: 4 pages in the standard Helvetica fonts; a contents page without dotted leaders
  (right-aligned page numbers), "- N -" page numbers, headings at body size told apart by weight only, a
  footnote mark and its footnote, a note in the right margin, numbered items "1." with nested "a)" items and hanging indents, "-" bullets.
- ``vaerdighedspolitik.pdf``: 4 pages, serif body with sans headings; a 12 pt lead paragraph (not a heading),
  second-level headings larger but not bold, bare numbering ("1 Indledning"), alternating running heads, bare
  page numbers, a paragraph running over a page break, a "social-" elision at a line end, two bands of two
  columns under full-width headings, "●" bullets with wrapped lines.
- ``handicappolitik.layout.txt``: ``pdftotext -layout`` of handicappolitik.pdf (input of the text reader's tests).
- ``hjemloesestrategi.pdf``: one page with very open line spacing (1.9).
- ``delvist-scannet.pdf``: a typed page and a scanned page (read with a warning).
- ``krypteret.pdf`` (needs a password), ``scannet.pdf`` (page images only), ``afkortet.pdf`` (cut bytes),
  ``ugyldig.pdf`` (a PDF header followed by garbage), ``tom.pdf`` (pages without anything on them).
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

HERE = Path(__file__).resolve().parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SOFT_HYPHEN = "\u00ad"
PAGE_W, PAGE_H = A4
LEFT, RIGHT = 70.0, PAGE_W - 70.0


def register_fonts() -> None:
    pdfmetrics.registerFont(TTFont("Sans", str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("Sans-Bold", str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFont(TTFont("Serif", str(FONT_DIR / "DejaVuSerif.ttf")))


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line wrapping; a word with soft hyphens may be split at one, with a visible hyphen."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        plain = word.replace(SOFT_HYPHEN, "")
        candidate = f"{line} {plain}".strip()
        if pdfmetrics.stringWidth(candidate, font, size) <= width:
            line = candidate
            continue
        parts = word.split(SOFT_HYPHEN)
        split_done = False
        for cut in range(len(parts) - 1, 0, -1):
            head = "".join(parts[:cut]) + "-"
            if pdfmetrics.stringWidth(f"{line} {head}".strip(), font, size) <= width:
                lines.append(f"{line} {head}".strip())
                line = "".join(parts[cut:])
                split_done = True
                break
        if not split_done:
            lines.append(line)
            line = plain
    if line:
        lines.append(line)
    return lines


class Flow:
    """A cursor that writes lines top-down in one column of a page."""

    def __init__(self, canvas: Canvas, x: float, width: float, top: float, body: str = "Sans",
                 bold: str = "Sans-Bold", overflow: Callable[[], float] | None = None,
                 leading: float = 1.35) -> None:
        self.c = canvas
        self.leading = leading
        self.x = x
        self.width = width
        self.y = top
        self.body = body
        self.bold = bold
        self.overflow = overflow
        """Called when a line would fall below the bottom margin: starts a new page, returns the new top."""

    def space(self, points: float) -> None:
        self.y -= points

    def lines(self, lines: list[str], font: str, size: float, x: float | None = None) -> None:
        for line in lines:
            if self.overflow is not None and self.y - size * self.leading < 80:
                self.y = self.overflow()
            self.y -= size * self.leading
            self.c.setFont(font, size)
            self.c.drawString(self.x if x is None else x, self.y, line)

    def heading(self, text: str, size: float, bold: bool = True, font: str | None = None) -> None:
        font = font or (self.bold if bold else self.body)
        self.space(size * 0.8)
        self.lines(wrap(text, font, size, self.width), font, size)
        self.space(size * 0.3)

    def para(self, text: str, size: float = 10) -> list[str]:
        lines = wrap(text, self.body, size, self.width)
        self.lines(lines, self.body, size)
        self.space(size * 0.6)
        return lines

    def item(self, marker: str, text: str, depth: int = 0, size: float = 10, indent: float = 14) -> None:
        """A list item with a hanging indent: marker at the item's indent, text (and its wrapped lines) after."""
        mx = self.x + depth * indent
        tx = mx + 14
        lines = wrap(text, self.body, size, self.width - (tx - self.x))
        self.y -= size * 1.35
        self.c.setFont(self.body, size)
        self.c.drawString(mx, self.y, marker)
        self.c.drawString(tx, self.y, lines[0])
        self.lines(lines[1:], self.body, size, x=tx)
        self.space(size * 0.25)


def fixed_date(stamp: str) -> Callable[..., str]:
    return lambda *_args: stamp


def new_canvas(buf: io.BytesIO, title: str, author: str, created: str, **kwargs: object) -> Canvas:
    c = Canvas(buf, pagesize=A4, invariant=True, **kwargs)  # type: ignore[arg-type]
    c.setTitle(title)
    c.setAuthor(author)
    c.setCreator("Publisher (reportlab)")
    c.setDateFormatter(fixed_date(created))
    return c


# --- handicappolitik.pdf -------------------------------------------------------------------------------------

HP_HEADER = "Handicappolitik 2025–2029  ·  Vesthimmerlands Kommune"
HP_PAGES = 5

HP_TOC = [
    ("Forord", "3", 0),
    ("1. Vision og værdier", "3", 0),
    ("2. Indsatsområder", "4", 0),
    ("2.1 Bolig og hverdagsliv", "4", 1),
    ("2.2 Beskæftigelse og uddannelse", "4", 1),
    ("3. Opfølgning", "5", 0),
]

HP_FORORD = [
    "Vesthimmerlands Kommune vil være et sted, hvor mennesker med handicap kan leve det liv, de selv ønsker. "
    "Det kræver, at vi som kommune ser på hele livet og ikke kun på den enkelte ydelse, og at vi "
    "spørger borgeren, hvad der giver mening. Den nye "
    "handicap\u00adpolitik er blevet til i et tæt samarbejde med Handicaprådet, borgere, pårørende og "
    "medarbejdere, som har delt deres erfaringer på dialogmøder i Aars, Løgstør og Farsø.",
    "Politikken gælder for alle kommunens forvaltninger. Den bygger på FN's handicapkonvention og sætter "
    "retningen for, hvordan vi prioriterer de kommende fem år.",
]

HP_VALUES = [
    ("Ligeværd", 0),
    ("Borgeren bliver mødt som en ligeværdig part i alle beslutninger om eget liv.", 1),
    ("Tilgængelighed", 0),
    ("Bygninger, digitale løsninger og information skal kunne bruges af alle.", 1),
    ("Vi tilbyder tolkning og let læsbare udgaver af vigtige breve.", 1),
    ("Sammenhæng", 0),
]

HP_BOLIG = [
    "Et godt hjem er grundlaget for et godt hverdagsliv. Mange borgere med handicap ønsker at bo i egen "
    "bolig med den støtte, der passer til dem, frem for i et botilbud langt fra familie og netværk.",
    "Det vil vi:",
]
HP_BOLIG_ITEMS = [
    "Udvide den bostøtte, der gives i borgerens eget hjem.",
    "Etablere tre nye bofællesskaber for unge voksne inden 2027.",
    "Sikre at hjælpemidler er på plads, før en borger flytter ind.",
]

HP_JOB = [
    "Arbejde og uddannelse giver fællesskab, selvværd og økonomisk frihed. Kommunen vil derfor samarbejde "
    "med lokale virksomheder om flere fleksjob og skånejob.",
    "Jobcentret får en fast kontaktperson for borgere med handicap, og vi følger op på, hvor mange der "
    "fastholdes i job efter et år.",
]
HP_JOB_ITEMS = [
    "Virksomhedspraktik med mentor",
    "Uddannelsesvejledning efter 9. klasse",
    "Hjælp til transport til arbejdspladsen",
]

HP_TABLE = [
    ["Indsats", "Ansvarlig", "Tidsplan"],
    ["Bostøtte i eget hjem", "Social og Sundhed", "2025–2026"],
    ["Nye bofællesskaber", "Teknik og Miljø", "2026–2027"],
    ["Fleksjob og skånejob", "Jobcentret", "Løbende"],
]


def hp_running(c: Canvas, page: int) -> None:
    c.setFont("Sans", 8)
    c.drawString(LEFT, PAGE_H - 40, HP_HEADER)
    c.setLineWidth(0.4)
    c.line(LEFT, PAGE_H - 46, RIGHT, PAGE_H - 46)
    c.drawRightString(RIGHT, 36, f"Side {page} af {HP_PAGES}")


def make_handicappolitik() -> bytes:
    buf = io.BytesIO()
    c = new_canvas(buf, "Handicappolitik 2025–2029", "Vesthimmerlands Kommune", "D:20250227093000+01'00'")

    # 1: cover, no running header
    f = Flow(c, LEFT, RIGHT - LEFT, PAGE_H - 250)
    f.heading("Handicappolitik 2025–2029", 28)
    f.heading("Et liv med lige muligheder", 16, bold=False)
    f.space(30)
    f.para("Vesthimmerlands Kommune")
    f.para("Vedtaget af Byrådet den 27. februar 2025")
    c.showPage()

    # 2: contents with dotted leaders
    hp_running(c, 2)
    f = Flow(c, LEFT, RIGHT - LEFT, PAGE_H - 90)
    f.heading("Indhold", 18)
    f.space(6)
    for title, page, depth in HP_TOC:
        f.y -= 20
        x = LEFT + depth * 16
        c.setFont("Sans", 10)
        c.drawString(x, f.y, title)
        start = x + pdfmetrics.stringWidth(title, "Sans", 10) + 6
        end = RIGHT - 14
        dots = "." * int((end - start) / pdfmetrics.stringWidth(".", "Sans", 10))
        c.drawString(start, f.y, dots)
        c.drawRightString(RIGHT, f.y, page)
    c.showPage()

    # 3: foreword, vision and values (bullets, nested dashes)
    hp_running(c, 3)
    f = Flow(c, LEFT, RIGHT - LEFT, PAGE_H - 90)
    f.heading("Forord", 18)
    wrapped = [f.para(text) for text in HP_FORORD]
    if not any(line.endswith("handicap-") for line in wrapped[0]):
        raise SystemExit("the foreword no longer hyphenates 'handicappolitik' at a line end: adjust the text")
    f.heading("1. Vision og værdier", 18)
    f.para("Vores vision er et Vesthimmerland, hvor alle kan deltage i fællesskabet på lige fod – i skolen, "
           "på arbejdet, i foreningslivet og i det offentlige rum.")
    f.heading("Værdier", 13)
    f.para("Tre værdier bærer politikken:")
    for text, depth in HP_VALUES:
        f.item("•" if depth == 0 else "–", text, depth)
    f.space(4)
    f.para("Indsatser skal hænge sammen på tværs af forvaltninger, så borgeren ikke selv skal være tovholder.")
    c.showPage()

    # 4: full-width heading, then two columns
    hp_running(c, 4)
    f = Flow(c, LEFT, RIGHT - LEFT, PAGE_H - 90)
    f.heading("2. Indsatsområder", 18)
    top = f.y
    col_w = (RIGHT - LEFT - 24) / 2
    left = Flow(c, LEFT, col_w, top)
    left.heading("2.1 Bolig og hverdagsliv", 13)
    for text in HP_BOLIG:
        left.para(text)
    for n, text in enumerate(HP_BOLIG_ITEMS, start=1):
        left.item(f"{n}.", text)
    right = Flow(c, LEFT + col_w + 24, col_w, top)
    right.heading("2.2 Beskæftigelse og uddannelse", 13)
    for text in HP_JOB:
        right.para(text)
    for text in HP_JOB_ITEMS:
        right.item("▪", text)
    c.showPage()

    # 5: follow-up with a ruled table, contact at body size in bold
    hp_running(c, 5)
    f = Flow(c, LEFT, RIGHT - LEFT, PAGE_H - 90)
    f.heading("3. Opfølgning", 18)
    f.para("Handicaprådet får hvert år en status på politikkens indsatser. Tabellen viser, hvem der har "
           "ansvaret for de første indsatser.")
    cell = ParagraphStyle("cell", fontName="Sans", fontSize=10, leading=13)
    head = ParagraphStyle("head", fontName="Sans-Bold", fontSize=10, leading=13)
    rows = [[Paragraph(t, head if r == 0 else cell) for t in row] for r, row in enumerate(HP_TABLE)]
    table = Table(rows, colWidths=[180, 150, 110])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6f0"))]))
    _, height = table.wrapOn(c, RIGHT - LEFT, 300)
    f.space(8)
    table.drawOn(c, LEFT, f.y - height)
    f.space(height + 10)
    f.heading("Kontakt", 10)
    f.para("Spørgsmål til politikken kan rettes til Handicaprådets sekretariat, Himmerlandsgade 27, 9600 Aars.")
    c.showPage()
    c.save()
    return buf.getvalue()


# --- psykiatriplan.pdf ---------------------------------------------------------------------------------------

PP_HEADER = "Psykiatriplan 2026–2030"
PP_TOC = [
    ("Psykiatriplan for Guldborgsund Kommune", "2"),
    ("Baggrund", "2"),
    ("Planens fire temaer", "2"),
    ("Tema 1: Tidlig hjælp", "3"),
    ("Tema 2: Overgange", "3"),
    ("Tema 3 og 4: Bostøtte og pårørende", "4"),
    ("Økonomi", "4"),
]


def pp_page(c: Canvas, page: int) -> Flow:
    """Running header and "- N -" footer; a flow for the page's content in Helvetica."""
    c.setFont("Helvetica", 8)
    c.drawRightString(RIGHT, PAGE_H - 36, PP_HEADER)
    c.drawCentredString(PAGE_W / 2, 30, f"- {page} -")
    return Flow(c, LEFT, RIGHT - LEFT, PAGE_H - 80, body="Helvetica", bold="Helvetica-Bold")


def make_psykiatriplan() -> bytes:
    buf = io.BytesIO()
    c = new_canvas(buf, "Psykiatriplan 2026–2030", "Guldborgsund Kommune, Socialafdelingen",
                   "D:20251103141500+01'00'")

    f = pp_page(c, 1)
    f.heading("Indholdsfortegnelse", 14)
    f.para("Planen har en indledning og fire temaer, som hver har egne mål og indsatser.")
    for title, page in PP_TOC:
        f.y -= 18
        c.setFont("Helvetica", 10)
        c.drawString(LEFT, f.y, title)
        c.drawRightString(RIGHT, f.y, page)
    c.showPage()

    f = pp_page(c, 2)
    f.heading("Psykiatriplan for Guldborgsund Kommune", 14)
    f.para("Planen beskriver, hvordan kommunen og regionen sammen styrker hjælpen til voksne med psykiske "
           "vanskeligheder. Den er udarbejdet af Socialafdelingen med input fra brugerrådet og Lokalpsykiatrien.")
    f.heading("Baggrund", 10)
    # the first line carries a footnote mark after "serviceloven", set by hand; the footnote sits above the
    # page number
    lines = wrap("Antallet af borgere, der søger støtte efter serviceloven på grund af psykiske vanskeligheder, "
                 "er steget med en tredjedel siden 2020. Samtidig er ventetiden i behandlingspsykiatrien lang.",
                 "Helvetica", 10, f.width - 4)
    head, rest = lines[0].split("serviceloven ")
    f.y -= 13.5
    c.setFont("Helvetica", 10)
    c.drawString(LEFT, f.y, head + "serviceloven")
    mark_x = LEFT + pdfmetrics.stringWidth(head + "serviceloven", "Helvetica", 10) + 0.5
    c.setFont("Helvetica", 6)
    c.drawString(mark_x, f.y + 4, "1")
    c.setFont("Helvetica", 10)
    c.drawString(mark_x + pdfmetrics.stringWidth("1", "Helvetica", 6), f.y, " " + rest)
    f.lines(lines[1:], "Helvetica", 10)
    f.space(6)
    c.setFont("Helvetica", 6)
    c.drawString(LEFT, 64, "1")
    c.setFont("Helvetica", 8)
    c.drawString(LEFT + 5, 60, "Servicelovens §§ 82, 85 og 107 om rådgivning, socialpædagogisk støtte og "
                               "midlertidige botilbud.")
    f.heading("Planens fire temaer", 10)
    items = [
        ("1.", "Tidlig hjælp uden henvisning, så borgere kan få en samtale i åben rådgivning samme uge.", 0),
        ("2.", "Bedre overgange mellem region og kommune, når en borger udskrives fra en psykiatrisk afdeling, "
               "så ingen står uden et sted at bo eller en aftale om støtte.", 0),
        ("a)", "Udskrivningsaftale senest dagen før udskrivning.", 1),
        ("b)", "Fast kontaktperson i kommunen de første tre måneder.", 1),
        ("3.", "Recovery-orienteret bostøtte med fokus på borgerens egne mål.", 0),
        ("4.", "Inddragelse af pårørende og peer-medarbejdere.", 0),
    ]
    for marker, text, depth in items:
        f.item(marker, text, depth, indent=20)
    c.showPage()

    f = pp_page(c, 3)
    f.heading("Tema 1: Tidlig hjælp", 14)
    f.para("Den åbne rådgivning i Nykøbing Falster udvides med aftenåbent to dage om ugen, og der oprettes en "
           "udekørende funktion på Nordfalster og Lolland-siden af kommunen.")
    f.heading("Det vil vi måle", 10)
    for text in ["Ventetid til første samtale under fem hverdage",
                 "Andel borgere, der ikke har brug for yderligere støtte efter tre måneder, opgjort hvert "
                 "halve år og fordelt på alder og bopæl"]:
        f.item("-", text)
    f.heading("Tema 2: Overgange", 14)
    first_line = f.y - 13.5
    f.para("Kommunen indgår en samarbejdsaftale med Psykiatrien Region Sjælland om udskrivning. Aftalen "
           "følges op to gange årligt i det fælles koordinationsudvalg.")
    c.setFont("Helvetica-Bold", 7)
    c.drawString(RIGHT + 6, first_line, "Ny i 2026")  # a note in the right margin, beside the first line
    c.showPage()

    f = pp_page(c, 4)
    f.heading("Tema 3 og 4: Bostøtte og pårørende", 14)
    f.para("Bostøtten tilrettelægges ud fra borgerens egne mål og evalueres sammen med borgeren hvert halve "
           "år. Pårørende tilbydes et kursus i samarbejde med Psykiatrifonden.")
    f.heading("Økonomi", 10)
    f.para("Planen finansieres inden for Socialudvalgets budgetramme med 4,2 mio. kr. årligt fra 2026.")
    c.showPage()
    c.save()
    return buf.getvalue()


# --- vaerdighedspolitik.pdf ----------------------------------------------------------------------------------

VP_LEAD = ("Alle borgere i Lolland Kommune skal kunne leve et værdigt liv, også når de har brug for hjælp og "
           "omsorg fra kommunen. Politikken beskriver, hvad værdighed betyder for os, og hvordan vi arbejder "
           "med den i praksis.")
VP_SCOPE = ("Politikken omfatter ældre borgere, der modtager hjemmepleje, bor på plejecenter eller får "
            "genoptræning, og den gælder i samme omfang for voksne med handicap eller sindslidelse, der bor "
            "i kommunens botilbud. Den bygger på de drøftelser, Ældrerådet og Handicaprådet havde med "
            "Social- og Sundhedsudvalget i efteråret, og på de svar, vi fik fra mere end 400 borgere og "
            "pårørende i spørgeskemaundersøgelsen om hverdagen på plejecentrene. Politikken revideres, når "
            "byrådet har vedtaget den nye budgetaftale, og senest i 2028. Indtil da er den grundlaget for "
            "kvalitetsstandarderne på ældre- og handicapområdet og for de tilsyn, kommunen fører med både "
            "kommunale og private leverandører af personlig og praktisk hjælp, og den indgår i introduktionen "
            "af nye medarbejdere i hjemmeplejen, på plejecentrene og i botilbuddene. Frivillige og foreninger, "
            "der kommer på plejecentrene, inviteres til at bruge politikken på samme måde.")
VP_BACKGROUND = [
    "Lolland Kommune har en af landets ældste befolkninger, og andelen af borgere over 80 år vil vokse med "
    "næsten halvdelen frem mod 2035. Samtidig bliver det sværere at rekruttere social- og sundhedsassistenter "
    "og sygeplejersker, særligt i de mindre byer. Det stiller krav til, hvordan vi bruger de hænder, vi har, "
    "og til, at teknologi og nye arbejdsgange frigør tid til det nære samvær med borgeren i stedet for at "
    "tage den. Værdighed må aldrig blive noget, der kun er plads til, når der er tid tilovers.",
    "Politikken er blevet til gennem dialogmøder i Nakskov, Maribo og Rødby, hvor borgere, pårørende, "
    "frivillige og medarbejdere fortalte, hvad et værdigt liv betyder for dem. Mange nævnte de små ting: at "
    "blive tiltalt ved navn, at kunne vælge, hvornår man vil i bad, og at der er nogen, der har tid til at "
    "lytte. Andre fremhævede retten til at sige fra og til at blive inddraget i beslutninger om egen pleje, "
    "også når man har en demenssygdom. Det, de fortalte, går igen i de fire værdier nedenfor.",
    "Værdighedspolitikken står ikke alene. Den hænger sammen med kommunens sundhedspolitik, "
    "demenshandleplanen og strategien for velfærdsteknologi, og den skal læses sammen med de "
    "kvalitetsstandarder, der beskriver serviceniveauet for personlig og praktisk hjælp. Hvor de andre "
    "dokumenter siger, hvad borgeren kan få, siger denne politik, hvordan hjælpen skal gives. Derfor er "
    "politikken kort, og derfor er dens værdier formuleret, så de kan bruges i den enkelte situation: ved "
    "sengekanten, i køkkenet på plejecentret og i visitationssamtalen. Politikken skal kunne mærkes af "
    "borgeren, ikke kun læses af medarbejderne.",
]
VP_VALUES = [
    ("2.1 Selvbestemmelse", "Borgeren bestemmer over sin egen hverdag, så vidt det er muligt. Vi spørger, "
                            "før vi hjælper, og vi tilpasser hjælpen til borgerens rytme."),
    ("2.2 Respekt", "Vi møder borgeren med respekt for livshistorie, vaner og tro, og vi taler med borgeren, "
                    "ikke om borgeren."),
    ("2.3 Tryghed", "Borgeren skal vide, hvem der kommer, og hvornår. Faste teams og korte veje til "
                    "sygeplejen giver tryghed døgnet rundt."),
    ("2.4 Nærvær", "Tid til en snak, et måltid i godt selskab og en tur udendørs er en del af plejen, ikke "
                   "noget ekstra."),
]
VP_WORK = [
    "Hver leder drøfter politikken med sine medarbejdere en gang om året og aftaler, hvad der skal "
    "styrkes i netop deres enhed.",
    "Borgere og pårørende kan give besked til Værdighedsrådet, som samler op og giver en årlig tilbage"
    "melding til Social- og Sundhedsudvalget.",
]
VP_TABLE = [
    ["Værdi", "Måles ved", "Hvornår"],
    ["Selvbestemmelse", "Brugerundersøgelse på plejecentrene", "Hvert år i marts"],
    ["Tryghed", "Antal forskellige medarbejdere pr. borger", "Hvert kvartal"],
    ["Nærvær", "Indgår i tilsynsrapporten fra embedslægen", ""],  # the last two cells merged
]
VP_BULLETS = [
    "tilbyder borgeren et måltid, der ligner det, borgeren plejer at spise, og som serveres på det "
    "tidspunkt, borgeren ønsker",
    "giver pårørende en fast kontaktperson på plejecentret",
    "sikrer lindrende pleje og mulighed for, at pårørende kan overnatte i den sidste tid",
]


def vp_running(c: Canvas, page: int) -> None:
    """Alternating running heads (title left on even pages, municipality right on odd), bare page numbers."""
    c.setFont("Sans", 8)
    if page % 2:
        c.drawRightString(RIGHT, PAGE_H - 40, "Lolland Kommune")
    else:
        c.drawString(LEFT, PAGE_H - 40, "Værdighedspolitik 2026")
    c.drawRightString(RIGHT, 40, str(page))


def make_vaerdighedspolitik() -> bytes:
    buf = io.BytesIO()
    c = new_canvas(buf, "Værdighedspolitik 2026", "Lolland Kommune", "D:20260115110000+01'00'")
    page = 1

    def next_page() -> float:
        nonlocal page
        c.showPage()
        page += 1
        vp_running(c, page)
        return PAGE_H - 80

    vp_running(c, page)
    f = Flow(c, LEFT, RIGHT - LEFT, PAGE_H - 80, body="Serif", bold="Sans-Bold", overflow=next_page)
    f.heading("Værdighedspolitik 2026", 16)
    f.para(VP_LEAD, size=12)
    f.heading("1 Indledning", 16)
    f.heading("1.1 Hvorfor en værdighedspolitik", 13, font="Sans")
    f.para("Værdighed handler om at blive set og hørt som det menneske, man er. Det gælder i alle møder "
           "mellem borger og kommune, men især dér, hvor borgeren er afhængig af andres hjælp.")
    # a Danish elision at a line end: the hyphen stays ("social- og sundhedsområdet")
    f.lines(["Politikken er skrevet til alle medarbejdere og ledere på social-",
             "og sundhedsområdet og til de private leverandører, kommunen samarbejder med."], "Serif", 10)
    f.space(6)
    for text in VP_BACKGROUND:
        f.para(text)
    f.heading("1.2 Hvem gælder politikken for", 13, font="Sans")
    lines = wrap(VP_SCOPE, "Serif", 10, f.width)
    f.lines(lines, "Serif", 10)  # runs over the page break
    if page != 2 or f.y > PAGE_H - 80 - 2 * 13.5:
        raise SystemExit("the scope paragraph no longer runs over the page break: adjust the text")
    f.space(6)
    f.heading("2 Fire værdier", 16)
    two_columns(c, f, VP_VALUES)
    f.heading("3 Sådan arbejder vi med politikken", 16)
    two_columns(c, f, [(None, VP_WORK[0]), (None, VP_WORK[1])])
    f.y = next_page()
    f.para("Det betyder, at vi:")
    for text in VP_BULLETS:
        f.item("●", text)
    f.space(6)
    f.heading("4 Opfølgning", 16)
    f.para("Værdighedsrådet følger op på politikken hvert år i april og offentliggør en kort status på "
           "kommunens hjemmeside.")
    cell = ParagraphStyle("cell", fontName="Serif", fontSize=9.5, leading=12)
    head = ParagraphStyle("head", fontName="Sans-Bold", fontSize=9.5, leading=12)
    rows = [[Paragraph(t, head if r == 0 else cell) for t in row] for r, row in enumerate(VP_TABLE)]
    table = Table(rows, colWidths=[130, 200, 125])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("SPAN", (1, 3), (2, 3))]))
    _, height = table.wrapOn(c, RIGHT - LEFT, 300)
    table.drawOn(c, LEFT, f.y - height - 6)
    f.space(height + 12)
    f.y = next_page()
    f.heading("4.1 Kontakt", 13, font="Sans")
    f.para("Værdighedsrådet, Jernbanegade 7, 4930 Maribo.")
    c.showPage()
    c.save()
    return buf.getvalue()


def two_columns(c: Canvas, f: Flow, sections: list[tuple[str | None, str]]) -> None:
    """Sections split over two columns (first half left, second half right); ``f`` continues below both."""
    col_w = (RIGHT - LEFT - 24) / 2
    half = (len(sections) + 1) // 2
    bottoms = []
    for x, part in ((LEFT, sections[:half]), (LEFT + col_w + 24, sections[half:])):
        col = Flow(c, x, col_w, f.y, body="Serif", bold="Sans-Bold")
        for heading, text in part:
            if heading:
                col.heading(heading, 13, font="Sans")
            col.para(text)
        bottoms.append(col.y)
    f.y = min(bottoms) - 6


# --- bad files -------------------------------------------------------------------------------------------------

def make_encrypted() -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption

    buf = io.BytesIO()
    enc = StandardEncryption("hemmelig", ownerPassword="ejer", canPrint=1, canModify=0, canCopy=0)
    c = new_canvas(buf, "Fortrolig handleplan", "Vesthimmerlands Kommune", "D:20250301100000+01'00'",
                   encrypt=enc)
    c.setFont("Helvetica", 11)
    c.drawString(LEFT, PAGE_H - 100, "Handleplan for botilbud 2025 – kun til intern brug.")
    c.showPage()
    c.save()
    return buf.getvalue()


def scanned_page(c: Canvas, lines: list[str]) -> None:
    """Draw a page that is only an image of text, as a scanner without OCR delivers it."""
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), 28)
    img = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(img)
    for n, line in enumerate(lines):
        draw.text((120, 160 + n * 60), line, fill=0, font=font)
    png = io.BytesIO()
    img.save(png, format="PNG")
    png.seek(0)
    c.drawImage(ImageReader(png), 0, 0, width=PAGE_W, height=PAGE_H)
    c.showPage()


def make_scan() -> bytes:
    buf = io.BytesIO()
    c = new_canvas(buf, "", "", "D:20240912080000+02'00'")
    scanned_page(c, ["Udviklingsplan for bostøtte", "Indskannet 12. september 2024"])
    scanned_page(c, ["Side 2: underskrifter"])
    c.save()
    return buf.getvalue()


def make_loose() -> bytes:
    """One page set with very open line spacing (1.9), paragraphs apart by a little more."""
    buf = io.BytesIO()
    c = new_canvas(buf, "Hjemløsestrategi 2026", "Odsherred Kommune", "D:20260302100000+01'00'")
    f = Flow(c, LEFT, RIGHT - LEFT, PAGE_H - 90, leading=1.9)
    f.heading("Hjemløsestrategi 2026", 18)
    f.para("Ingen borgere i Odsherred Kommune skal sove på gaden eller bo på et herberg i mere end tre måneder. "
           "Strategien samler kommunens indsatser for borgere uden egen bolig og beskriver, hvordan vi arbejder "
           "efter Housing First.")
    f.space(4)
    f.para("Indsatsen bygger på et tæt samarbejde mellem boligsociale medarbejdere, jobcentret, misbrugscentret "
           "og de almene boligorganisationer, som stiller boliger til rådighed gennem den kommunale anvisning.")
    c.showPage()
    c.save()
    return buf.getvalue()


def make_blank() -> bytes:
    """Two empty pages, as a form exported before anything was filled in."""
    buf = io.BytesIO()
    c = new_canvas(buf, "Høringssvar", "", "D:20250601090000+02'00'")
    c.showPage()
    c.showPage()
    c.save()
    return buf.getvalue()


def make_partly_scanned() -> bytes:
    """A typed letter with its signed page scanned in."""
    buf = io.BytesIO()
    c = new_canvas(buf, "Aftale om bostøtte", "Vesthimmerlands Kommune", "D:20250404120000+02'00'")
    f = Flow(c, LEFT, RIGHT - LEFT, PAGE_H - 90)
    f.heading("Aftale om bostøtte", 16)
    f.para("Aftalen gælder fra 1. maj 2025 og følges op efter seks måneder sammen med borgeren.")
    c.showPage()
    scanned_page(c, ["Underskrifter", "Borger og kommune, 4. april 2025"])
    c.save()
    return buf.getvalue()


def main() -> None:
    register_fonts()
    handicap = make_handicappolitik()
    outputs = {
        "handicappolitik.pdf": handicap,
        "psykiatriplan.pdf": make_psykiatriplan(),
        "vaerdighedspolitik.pdf": make_vaerdighedspolitik(),
        "krypteret.pdf": make_encrypted(),
        "scannet.pdf": make_scan(),
        "delvist-scannet.pdf": make_partly_scanned(),
        "tom.pdf": make_blank(),
        "hjemloesestrategi.pdf": make_loose(),
        "afkortet.pdf": handicap[: len(handicap) * 2 // 5],
        "ugyldig.pdf": b"%PDF-1.7\n" + bytes((i * 37 + 11) % 256 for i in range(4000)),
    }
    for name, data in outputs.items():
        (HERE / name).write_bytes(data)
    layout = subprocess.run(["pdftotext", "-layout", str(HERE / "handicappolitik.pdf"), "-"],
                            check=True, capture_output=True, text=True).stdout
    (HERE / "handicappolitik.layout.txt").write_text(layout, encoding="utf-8")
    print("wrote", ", ".join(sorted([*outputs, "handicappolitik.layout.txt"])))


if __name__ == "__main__":
    main()
