"""Make the binary test documents of the structure evaluation with real tools.

Run from the repository root: ``.venv/bin/python tests/data/structure-eval/make_documents.py``.

* ``aarhus-handicappolitik-2023.pdf``: a designed PDF made with reportlab: cover page, a table of contents with
  dotted leaders, headings that differ only by font size and weight (no tags), a running header and a footer
  with "Side N af M".
* ``aarhus-handicappolitik-2023.pdftotext.txt``: ``pdftotext -layout`` of that PDF (form feeds, running headers
  and page numbers inline).
* ``odense-psykiatri-misbrugsstrategi-2024.docx``: Word made with python-docx: heading styles, bullet lists, numbered
  lists that restart in every track, a table with a vertically merged column.
* ``randers-strategi-voksenomraadet-2024.pdf``: a two-column PDF (reportlab frames) with a full-width title block,
  lettered tracks and a highlighted motto.
* ``silkeborg-status-handleplan-2025.pdf``: a follow-up report made with reportlab whose table (tema, mål,
  aktivitet, status) runs over a page break with its header row repeated.

The HTML and Markdown documents and every answer key (``*.key.toml``) are written by hand beside this script.
The output is deterministic (reportlab's invariant mode, fixed document properties), so running the script again
changes no file.
"""

from __future__ import annotations

import copy
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent

# --------------------------------------------------------------------------------------------------------------
# Aarhus: Handicappolitik 2023-2027 (designed PDF)
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FocusArea:
    number: int
    title: str
    intro: list[str]
    goals: list[str]
    actions: list[str]


AARHUS_TITLE = "Handicappolitik 2023-2027"
AARHUS_RUNNING = "Aarhus Kommune · Handicappolitik 2023-2027"

AARHUS_FOREWORD = [
    "Aarhus skal være en by for alle. Det gælder også de cirka 40.000 aarhusianere, der lever med et fysisk, "
    "psykisk eller kognitivt handicap. Med denne handicappolitik sætter Aarhus Byråd retningen for, hvordan "
    "kommunen de næste fem år vil arbejde for, at borgere med handicap kan leve et selvstændigt liv med de "
    "samme muligheder som alle andre.",
    "Politikken er blevet til i et tæt samarbejde med Handicaprådet, handicaporganisationerne, borgere, "
    "pårørende og med-<br/>arbejdere. Over 600 borgere deltog i dialogmøderne i efteråret 2022, og deres forslag "
    "har formet de fire indsatsområder, som politikken bygger på.",
    "Politikken gælder for hele Aarhus Kommune og ikke kun for det specialiserede socialområde. Alle "
    "magistratsafdelinger har et ansvar for, at byens tilbud er tilgængelige for borgere med handicap.",
]

AARHUS_VISION = [
    "I Aarhus har borgere med handicap lige muligheder for at leve det liv, de ønsker – med bolig, uddannelse, "
    "arbejde og fællesskaber på lige fod med andre. Vi tager udgangspunkt i FN's Handicapkonvention og i den "
    "enkeltes ønsker og ressourcer.",
]

AARHUS_AREAS = [
    FocusArea(
        1, "Bolig og hjem",
        ["Et trygt hjem er grundlaget for et godt liv. Mange borgere med handicap ønsker at bo i egen bolig, men "
         "venter i dag for længe på en bolig, der passer til deres behov. Vi vil give flere borgere mulighed for "
         "at vælge, hvor og hvordan de vil bo."],
        ["Flere borgere med handicap bor i egen bolig med den støtte, de har brug for.",
         "Ventetiden på et botilbud er højst seks måneder.",
         "Borgere i botilbud oplever, at de selv bestemmer over deres hverdag."],
        ["Vi opretter 40 nye almene boliger med bostøtte i samarbejde med boligorganisationerne.",
         "Vi indfører en fast kontaktperson for borgere, der venter på et botilbud.",
         "Vi gennemfører en årlig brugerundersøgelse på alle botilbud."],
    ),
    FocusArea(
        2, "Uddannelse og beskæftigelse",
        ["Uddannelse og arbejde giver indhold, økonomisk frihed og et netværk. Borgere med handicap er "
         "fortsat underrepræsenterede på arbejdsmarkedet, og for mange unge går overgangen fra skole til "
         "uddannelse i stå."],
        ["Flere unge med handicap gennemfører en ungdomsuddannelse.",
         "Flere borgere med handicap er i job, fleksjob eller ansat på særlige vilkår."],
        ["Vi styrker samarbejdet mellem jobcentret og STU-udbyderne om overgangen fra uddannelse til job.",
         "Vi udvider ordningen med virksomhedsmentorer til 60 virksomheder.",
         "Vi afholder hvert år et jobtræf for borgere med handicap og lokale arbejdsgivere."],
    ),
    FocusArea(
        3, "Fællesskaber og fritid",
        ["Foreningsliv, kultur og idræt er steder, hvor man møder andre og bliver en del af byen. Vi vil "
         "fjerne de barrierer, der i dag holder borgere med handicap ude af byens fællesskaber."],
        ["Alle borgere med handicap har mulighed for at deltage i et fritidsfællesskab.",
         "Flere kultur- og idrætstilbud er tilgængelige for borgere med handicap."],
        ["Vi etablerer en pulje til foreninger, der åbner deres aktiviteter for borgere med handicap.",
         "Vi kortlægger tilgængeligheden i kommunens kultur- og idrætsfaciliteter.",
         "Vi uddanner frivillige ledsagere i samarbejde med Frivilligcenter Aarhus."],
    ),
    FocusArea(
        4, "Tilgængelighed og kommunikation",
        ["Tilgængelighed handler både om trapper og ramper og om breve, hjemmesider og møder. Når kommunen "
         "kommunikerer uklart, mister borgeren indflydelse på sit eget liv."],
        ["Kommunens bygninger, byrum og hjemmesider er tilgængelige for alle.",
         "Borgere med handicap forstår de breve og afgørelser, de modtager fra kommunen.",
         "Borgere og pårørende oplever at blive inddraget i beslutninger om deres egen indsats."],
        ["Vi gennemgår alle borgerrettede breve og skriver dem om til let dansk.",
         "Vi tilbyder tegnsprogstolkning og skrivetolkning ved alle møder med kommunen.",
         "Vi inddrager Handicaprådet i planlægningen af større anlægsprojekter.",
         "Vi udarbejder en tilgængelighedserklæring for alle kommunens hjemmesider."],
    ),
]

AARHUS_FOLLOW_UP = [
    "Socialudvalget og Handicaprådet følger hvert år op på politikken på et fælles møde. Opfølgningen bygger "
    "på kommunens nøgletal, brugerundersøgelserne på botilbuddene og en status fra hver magistratsafdeling "
    "på de handlinger, som afdelingen er ansvarlig for.",
    "Politikken evalueres i 2027, inden en ny handicappolitik udarbejdes. Spørgsmål til politikken kan rettes "
    "til Sociale Forhold og Beskæftigelse, Aarhus Kommune.",
]


def _numbered_canvas(running: str, first_page_plain: bool = True):  # type: ignore[no-untyped-def]
    """A reportlab canvas class that draws the running header and "Side N af M" once the page count is known."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            kwargs["invariant"] = 1  # fixed dates and ids: a re-run writes the same bytes
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, object]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab API)
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                if not (first_page_plain and self._pageNumber == 1):
                    self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFont("Helvetica", 8)
            self.setFillGray(0.35)
            self.drawString(20 * mm, height - 12 * mm, running)
            self.line(20 * mm, height - 14 * mm, width - 20 * mm, height - 14 * mm)
            self.drawRightString(width - 20 * mm, 12 * mm, f"Side {self._pageNumber} af {total}")
            self.restoreState()

    return NumberedCanvas


def make_aarhus_pdf(path: Path) -> None:
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import ListFlowable, ListItem, PageBreak, Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus.tableofcontents import TableOfContents

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=14, alignment=TA_JUSTIFY,
                          spaceAfter=6)
    h1 = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=20, leading=24, spaceBefore=10, spaceAfter=8)
    h2 = ParagraphStyle("h2", fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=6, spaceAfter=3)
    cover_title = ParagraphStyle("cover", fontName="Helvetica-Bold", fontSize=32, leading=38, spaceAfter=12)
    cover_sub = ParagraphStyle("coversub", fontName="Helvetica", fontSize=14, leading=18, spaceAfter=6)
    toc_title = ParagraphStyle("toctitle", fontName="Helvetica-Bold", fontSize=20, leading=24, spaceAfter=14)

    class Doc(SimpleDocTemplate):
        def afterFlowable(self, flowable):  # type: ignore[no-untyped-def]  # noqa: N802 (reportlab API)
            if isinstance(flowable, Paragraph) and flowable.style.name == "h1":
                self.notify("TOCEntry", (0, flowable.getPlainText(), self.page))

    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [ParagraphStyle("toc0", fontName="Helvetica", fontSize=11, leading=18)]

    def bullets(items: list[str]) -> ListFlowable:
        return ListFlowable([ListItem(Paragraph(t, body), leftIndent=12) for t in items], bulletType="bullet",
                            start="•", leftIndent=12, bulletFontSize=9)

    story: list[object] = [
        Spacer(1, 70 * mm),
        Paragraph(AARHUS_TITLE, cover_title),
        Paragraph("Aarhus Kommune", cover_sub),
        Paragraph("Sociale Forhold og Beskæftigelse", cover_sub),
        Paragraph("Vedtaget af Aarhus Byråd den 14. juni 2023", cover_sub),
        PageBreak(),
        Paragraph("Indhold", toc_title),
        toc,
        Spacer(1, 10 * mm),
        Paragraph("Forord", h1),
        *[Paragraph(p, body) for p in AARHUS_FOREWORD],
        Paragraph("Vores vision", h1),
        *[Paragraph(p, body) for p in AARHUS_VISION],
    ]
    for area in AARHUS_AREAS:
        story.append(Paragraph(f"Indsatsområde {area.number}: {area.title}", h1))
        story.extend(Paragraph(p, body) for p in area.intro)
        story.append(Paragraph("Mål", h2))
        story.append(bullets(area.goals))
        story.append(Paragraph("Det gør vi", h2))
        story.append(bullets(area.actions))
    story.append(Paragraph("Opfølgning", h1))
    story.extend(Paragraph(p, body) for p in AARHUS_FOLLOW_UP)

    doc = Doc(str(path), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=22 * mm,
              bottomMargin=22 * mm, title=AARHUS_TITLE, author="Aarhus Kommune", creator="reportlab",
              subject="Handicappolitik", invariant=1)
    doc.multiBuild(story, canvasmaker=_numbered_canvas(AARHUS_RUNNING))


def make_pdftotext(pdf: Path, out: Path) -> None:
    subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), str(out)], check=True)


# --------------------------------------------------------------------------------------------------------------
# Odense: Psykiatri- og misbrugsstrategi 2024-2028 (Word)
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Track:
    number: int
    title: str
    intro: str
    commitments: list[str]
    goals: list[str]


ODENSE_TRACKS = [
    Track(
        1, "Tidlig hjælp tæt på borgeren",
        "Jo før en borger med psykiske vanskeligheder eller et misbrug får hjælp, jo mindre bliver problemerne. "
        "Hjælpen skal kunne findes i borgerens eget lokalområde og uden lange ventetider.",
        ["tilbyder anonym og gratis rådgivning uden henvisning i alle fire lokalområder",
         "åbner en akuttelefon, der har åbent alle ugens dage fra kl. 8 til 22",
         "opsporer tidligt sammen med jobcentret, de praktiserende læger og ungdomsuddannelserne"],
        ["Ventetiden til ambulant misbrugsbehandling er højst 14 dage.",
         "Flere unge under 25 år får hjælp, før de har brug for en paragraf 85-indsats."],
    ),
    Track(
        2, "Sammenhæng mellem psykiatri- og misbrugsbehandling",
        "Mange borgere har både en psykisk lidelse og et misbrug. De oplever for ofte at blive sendt frem og "
        "tilbage mellem regionens psykiatri og kommunens misbrugsbehandling.",
        ["giver borgere med dobbeltdiagnose én fast koordinator på tværs af sektorer",
         "holder fælles konferencer med Psykiatrien i Region Syddanmark om borgere i komplekse forløb",
         "laver én samlet plan med borgeren, når flere forvaltninger er involveret",
         "deler viden med regionen gennem fælles kompetenceudvikling af medarbejderne"],
        ["Alle borgere med dobbeltdiagnose har en koordinerende indsatsplan.",
         "Færre borgere udskrives fra psykiatrisk afdeling uden en aftale om opfølgning i kommunen."],
    ),
    Track(
        3, "Recovery, fællesskab og pårørende",
        "Recovery er borgerens egen proces. Vi støtter borgerens håb og ressourcer og ser pårørende og "
        "fællesskaber som en vigtig del af vejen til et godt liv.",
        ["ansætter peer-medarbejdere med egen erfaring i alle bo- og støttetilbud",
         "inviterer pårørende med, når borgeren ønsker det",
         "samarbejder med foreninger og frivillige om fællesskaber uden for tilbuddene"],
        ["Flere borgere oplever, at de kommer sig helt eller delvist.",
         "Flere borgere i bostøtte deltager i et fællesskab uden for tilbuddet.",
         "Pårørende oplever, at de bliver hørt og inddraget."],
    ),
]

ODENSE_ACTIONS = [
    ("1", "Åbning af rådgivning i Vollsmose, Dalum, Tarup og Højby", "Socialpsykiatri og Udsatte", "2024"),
    ("1", "Akuttelefon for borgere og pårørende", "Socialpsykiatri og Udsatte", "2025"),
    ("2", "Fælles udskrivningsaftale med Psykiatrien i Region Syddanmark", "Sundhed og Forebyggelse", "2024"),
    ("2", "Uddannelse af koordinatorer for borgere med dobbeltdiagnose", "Misbrugscentret", "2024-2025"),
    ("3", "Ansættelse af otte peer-medarbejdere", "Socialpsykiatri og Udsatte", "2025"),
    ("3", "Pårørendecafé i samarbejde med Bedre Psykiatri Odense", "Socialpsykiatri og Udsatte", "2024"),
]


def _restart_numbering(paragraph, num_id: int) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))


def _new_numbered_list(document) -> int:  # type: ignore[no-untyped-def]
    """A new w:num on the abstract numbering of the List Number style, starting again at 1."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    style_num_id = int(document.styles["List Number"].element.pPr.numPr.numId.val)
    abstract_id = next(n.abstractNumId.val for n in numbering.num_lst if n.numId == style_num_id)
    num_id = max(n.numId for n in numbering.num_lst) + 1
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
    return num_id


def make_odense_docx(path: Path) -> None:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    props = document.core_properties
    props.title = "Psykiatri- og misbrugsstrategi 2024-2028"
    props.author = "Odense Kommune, Social- og Arbejdsmarkedsforvaltningen"
    props.created = props.modified = datetime(2024, 2, 7, 9, 0, 0)
    props.last_modified_by = "Odense Kommune"
    props.revision = 1

    document.add_paragraph("Psykiatri- og misbrugsstrategi 2024-2028", style="Title")
    document.add_paragraph("Odense Kommune · Social- og Arbejdsmarkedsforvaltningen")
    document.add_paragraph("Godkendt af Social- og Arbejdsmarkedsudvalget den 7. februar 2024")
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)

    document.add_heading("Indledning", level=1)
    document.add_paragraph(
        "Hver femte odenseaner vil i løbet af livet opleve en psykisk lidelse, og omkring 1.800 borgere modtager i "
        "dag behandling for et misbrug af alkohol eller stoffer i Odense Kommune. Strategien samler for første "
        "gang kommunens indsatser for borgere med psykiske vanskeligheder og borgere med misbrug i én fælles "
        "retning.")
    document.add_paragraph(
        "Strategien er udarbejdet i dialog med borgere, pårørende, Udsatterådet, Handicaprådet og Psykiatrien i "
        "Region Syddanmark. Den gælder for perioden 2024-2028 og følges op af en handleplan hvert andet år.")

    document.add_heading("Vision", level=1)
    document.add_paragraph(
        "Borgere i Odense med psykiske vanskeligheder eller misbrug får den rette hjælp i tide, så de kan leve et "
        "meningsfuldt liv med fællesskaber, uddannelse og arbejde.")

    for track in ODENSE_TRACKS:
        document.add_heading(f"Strategispor {track.number}: {track.title}", level=1)
        document.add_paragraph(track.intro)
        document.add_paragraph("Det vil vi:")
        for line in track.commitments:
            document.add_paragraph(line, style="List Bullet")
        document.add_heading("Målsætninger", level=2)
        num_id = _new_numbered_list(document)
        for goal in track.goals:
            paragraph = document.add_paragraph(goal, style="List Number")
            _restart_numbering(paragraph, num_id)

    document.add_heading("Handlinger 2024-2025", level=1)
    document.add_paragraph("Handlingerne herunder sætter strategien i gang i de første to år.")
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Strategispor", "Handling", "Ansvarlig", "Tidsplan"), strict=True):
        cell.text = text
    first_row_of: dict[str, int] = {}
    for spor, action, owner, when in ODENSE_ACTIONS:
        row = table.add_row()
        index = len(table.rows) - 1
        if spor not in first_row_of:
            first_row_of[spor] = index
            row.cells[0].text = f"Spor {spor}"
        row.cells[1].text = action
        row.cells[2].text = owner
        row.cells[3].text = when
    # Merge the "Strategispor" cell of each track over all its rows (a vertically merged cell).
    rows_of: dict[str, list[int]] = {}
    for i, (spor, *_rest) in enumerate(ODENSE_ACTIONS, start=1):
        rows_of.setdefault(spor, []).append(i)
    for indices in rows_of.values():
        if len(indices) > 1:
            table.cell(indices[0], 0).merge(table.cell(indices[-1], 0))

    document.add_heading("Opfølgning", level=1)
    document.add_paragraph(
        "Social- og Arbejdsmarkedsudvalget får hvert år en status på strategiens målsætninger. Strategien "
        "revideres i 2028.")
    document.save(str(path))
    _normalise_docx(path)


def _normalise_docx(path: Path) -> None:
    """Rewrite the DOCX zip with fixed timestamps so a re-run produces the same bytes."""
    import zipfile

    with zipfile.ZipFile(path) as zin:
        entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in entries:
            fixed = copy.copy(info)
            fixed.date_time = (2024, 2, 7, 9, 0, 0)
            zout.writestr(fixed, data)


# --------------------------------------------------------------------------------------------------------------
# Silkeborg: Status på handleplan 2025 (PDF with a table over a page break)
# --------------------------------------------------------------------------------------------------------------

SILKEBORG_ROWS: list[tuple[str, str, str, str]] = [
    ("Bolig og hjemløshed",
     "Ingen borgere i Silkeborg Kommune skal sove på gaden.",
     "Udvidelse af natvarmestuen med ti pladser.",
     "Gennemført. Natvarmestuen har haft 22 pladser siden marts 2025."),
    ("", "",
     "Housing First-forløb med bostøtte efter CTI-metoden.",
     "I gang. 31 borgere er i forløb, og 19 er flyttet i egen bolig."),
    ("",
     "Flere borgere med psykiske vanskeligheder bor i egen bolig.",
     "Aftale med boligforeningerne om 15 skæve boliger.",
     "Forsinket. Byggeriet på Frisenborgvej er udskudt til 2026."),
    ("Behandling og recovery",
     "Borgere i misbrugsbehandling har en samlet plan for behandling og sociale indsatser.",
     "Fælles indsatsplan for misbrugsbehandling og socialpsykiatri.",
     "Gennemført. Planen bruges i alle nye forløb fra januar 2025."),
    ("",
     "Færre borgere afbryder deres behandling.",
     "Opsøgende kontakt, når en borger udebliver fra to aftaler.",
     "I gang. Andelen af afbrudte forløb er faldet fra 28 til 21 procent."),
    ("", "",
     "Recovery-kursus i Recoveryskolen for borgere og pårørende.",
     "Gennemført. Fire hold med i alt 64 deltagere."),
    ("Beskæftigelse og hverdagsliv",
     "Flere borgere med psykiske vanskeligheder er i job eller uddannelse.",
     "IPS-forløb (individuelt planlagt job med støtte) i samarbejde med jobcentret.",
     "I gang. 42 borgere er i forløb, 12 er kommet i ordinært job."),
    ("",
     "Borgere i botilbud har en meningsfuld hverdag med aktiviteter uden for tilbuddet.",
     "Samarbejde med idrætsforeninger om faste hold for borgere i botilbud.",
     "Ikke startet. Afventer ny frivilligkoordinator."),
    ("", "",
     "Fast ugentligt værested i weekenden i Kulturcentret.",
     "Gennemført. Værestedet har åbent lørdag og søndag fra kl. 10 til 16."),
]


def make_silkeborg_pdf(path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, spaceAfter=6)
    cell = ParagraphStyle("cell", fontName="Helvetica", fontSize=10, leading=13)
    head = ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=9, leading=11, textColor=colors.white)
    title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=22, leading=26, spaceAfter=4)
    subtitle = ParagraphStyle("subtitle", fontName="Helvetica", fontSize=12, leading=16, spaceAfter=14)
    h1 = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=14, leading=18, spaceBefore=8, spaceAfter=6)

    story: list[object] = [
        Paragraph("Status på handleplan for psykiatri- og misbrugsområdet", title),
        Paragraph("Silkeborg Kommune · Social- og Sundhedsudvalget · Status pr. 1. oktober 2025", subtitle),
        Paragraph("Baggrund", h1),
        Paragraph(
            "Social- og Sundhedsudvalget vedtog i januar 2024 \"Handleplan for psykiatri- og misbrugsområdet "
            "2024-2026\". Handleplanen omsætter Silkeborg Kommunes Sundhedspolitik til konkrete mål og "
            "aktiviteter for borgere med psykiske vanskeligheder, misbrug og hjemløshed.", body),
        Paragraph(
            "Denne status viser, hvor langt vi er kommet med aktiviteterne efter knap to år. Status er "
            "udarbejdet af Psykiatri og Handicap i samarbejde med Misbrugscenter Silkeborg og Jobcenter "
            "Silkeborg.", body),
        Paragraph(
            "Hver aktivitet har fået en af fire markeringer: gennemført, i gang, forsinket eller ikke startet. "
            "Ved forsinkede og ikke startede aktiviteter er årsagen beskrevet. Målene følges op med de "
            "indikatorer, der blev fastlagt i handleplanen, og resultaterne indgår i den samlede evaluering.", body),
        Paragraph(
            "Handleplanen har tre temaer. Under hvert tema er der et eller flere mål, og under hvert mål en eller "
            "flere aktiviteter. Tabellen viser status for alle ni aktiviteter.", body),
        Paragraph("Status på temaer, mål og aktiviteter", h1),
        Spacer(1, 2 * mm),
    ]
    data: list[list[object]] = [[Paragraph(t, head) for t in ("Tema", "Mål", "Aktivitet", "Status")]]
    for row in SILKEBORG_ROWS:
        data.append([Paragraph(t, cell) if t else "" for t in row])
    table = Table(data, colWidths=[32 * mm, 50 * mm, 50 * mm, 48 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f4e79")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    story.append(table)
    story.append(Paragraph("Næste skridt", h1))
    story.append(Paragraph(
        "De forsinkede og ikke startede aktiviteter drøftes på udvalgets møde i november 2025. Handleplanen "
        "afsluttes med en samlet evaluering i foråret 2027.", body))

    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=20 * mm, bottomMargin=20 * mm,
                            title="Status på handleplan for psykiatri- og misbrugsområdet 2025",
                            author="Silkeborg Kommune", creator="reportlab", invariant=1)
    doc.build(story, canvasmaker=_numbered_canvas("Silkeborg Kommune · Status på handleplan 2025",
                                                  first_page_plain=False))


# --------------------------------------------------------------------------------------------------------------
# Randers: Strategi for det specialiserede voksenområde 2024-2028 (two-column PDF)
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LetteredTrack:
    letter: str
    title: str
    intro: str
    meaning: list[str]
    goals: list[str]


RANDERS_TRACKS = [
    LetteredTrack(
        "A", "Livet i egen bolig",
        "De fleste voksne med handicap eller sindslidelse ønsker at bo i deres eget hjem. Vi vil give støtten "
        "der, hvor borgeren bor, og kun tilbyde et botilbud, når det er den rigtige løsning.",
        ["tilrettelægger bostøtten ud fra borgerens egne mål og justerer den hver sjette måned",
         "bruger velfærdsteknologi, der gør borgeren mere selvhjulpen i hjemmet",
         "samarbejder med boligforeningerne om boliger med fællesskab og støtte tæt på"],
        ["Flere borgere med behov for støtte bor i egen bolig.",
         "Færre borgere flytter fra Randers Kommune for at få et botilbud."],
    ),
    LetteredTrack(
        "B", "Job, uddannelse og en meningsfuld dag",
        "Alle har brug for en hverdag med indhold. For nogle er det et ordinært job, for andre et beskyttet "
        "værksted eller et aktivitetstilbud. Vi vil gøre vejen mellem tilbuddene kortere.",
        ["ser beskyttet beskæftigelse som et skridt på vejen og ikke som en endestation",
         "laver aftaler med lokale virksomheder om praktik og job på særlige vilkår",
         "åbner vores dagtilbud for borgere, der bor i eget hjem",
         "giver unge med handicap en plan for livet efter STU, før uddannelsen slutter"],
        ["Flere borgere går fra beskyttet beskæftigelse til job på særlige vilkår.",
         "Alle unge, der afslutter en STU, har en plan for deres hverdag."],
    ),
    LetteredTrack(
        "C", "Tidlig og forebyggende indsats",
        "Når vi kommer tidligt ind i et forløb, kan en let og kort indsats ofte forhindre, at problemerne vokser. "
        "Det gælder især unge med psykiske vanskeligheder og borgere med et begyndende misbrug.",
        ["tilbyder åben rådgivning uden visitation i Randers by og i Langå",
         "bruger gruppeforløb, hvor borgere kan lære af hinanden",
         "følger op, når en borger afslutter en indsats, så tilbagefald opdages i tide"],
        ["Flere borgere får hjælp gennem åbne og korte tilbud.",
         "Færre borgere vender tilbage til en indsats inden for et år."],
    ),
]


def make_randers_pdf(path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        FrameBreak,
        ListFlowable,
        ListItem,
        NextPageTemplate,
        PageTemplate,
        Paragraph,
    )

    width, height = A4
    margin, gutter = 18 * mm, 8 * mm
    column = (width - 2 * margin - gutter) / 2
    body = ParagraphStyle("body", fontName="Times-Roman", fontSize=10, leading=13, spaceAfter=5)
    title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=24, leading=28, spaceAfter=4)
    subtitle = ParagraphStyle("subtitle", fontName="Helvetica", fontSize=11, leading=14,
                              textColor=colors.HexColor("#555555"))
    h1 = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=14, leading=17, spaceBefore=8, spaceAfter=4,
                        textColor=colors.HexColor("#7a1f3d"))
    lead = ParagraphStyle("lead", parent=body, fontName="Times-Italic")
    motto = ParagraphStyle("motto", fontName="Helvetica-BoldOblique", fontSize=16, leading=20, alignment=TA_CENTER,
                           textColor=colors.HexColor("#7a1f3d"), spaceBefore=14, spaceAfter=14)

    def bullets(items: list[str]) -> ListFlowable:
        return ListFlowable([ListItem(Paragraph(t, body), leftIndent=10) for t in items], bulletType="bullet",
                            start="–", leftIndent=10)

    top = Frame(margin, height - margin - 32 * mm, width - 2 * margin, 32 * mm, id="title")
    first = [top] + [Frame(margin + i * (column + gutter), margin, column, height - 2 * margin - 34 * mm,
                           id=f"col{i}") for i in range(2)]
    later = [Frame(margin + i * (column + gutter), margin, column, height - 2 * margin, id=f"col{i}")
             for i in range(2)]
    doc = BaseDocTemplate(str(path), pagesize=A4, title="Strategi for det specialiserede voksenområde 2024-2028",
                          author="Randers Kommune", creator="reportlab", invariant=1)
    doc.addPageTemplates([PageTemplate("first", first), PageTemplate("later", later)])

    story: list[object] = [
        Paragraph("Strategi for det specialiserede voksenområde 2024-2028", title),
        Paragraph("Randers Kommune · Omsorg og Sundhed · Vedtaget af Socialudvalget den 12. marts 2024", subtitle),
        NextPageTemplate("later"),
        FrameBreak(),
        Paragraph("Forord", h1),
        Paragraph(
            "Det specialiserede voksenområde i Randers Kommune hjælper hvert år omkring 2.300 voksne med "
            "handicap, sindslidelse, misbrug eller hjemløshed. Området er under pres: flere borgere har brug for "
            "hjælp, og udgifterne er steget mere end budgettet.", body),
        Paragraph(
            "Socialudvalget har derfor sat en ny retning for området. Strategien er drøftet med Handicaprådet, "
            "Udsatterådet, brugerorganisationerne og medarbejderne, og den gælder frem til 2028.", body),
        Paragraph("Vision", h1),
        Paragraph("Voksne med særlige behov i Randers lever et så selvstændigt liv som muligt – i eget hjem, med "
                  "en meningsfuld hverdag og med støtte, der kommer i tide.", body),
    ]
    for track in RANDERS_TRACKS:
        story.append(Paragraph(f"Spor {track.letter} · {track.title}", h1))
        story.append(Paragraph(track.intro, body))
        story.append(Paragraph("Det betyder, at vi:", lead))
        story.append(bullets(track.meaning))
        story.append(Paragraph("Mål i 2028:", lead))
        story.append(bullets(track.goals))
    story.append(Paragraph("Sammen skaber vi det gode voksenliv", motto))
    story.append(Paragraph("Sådan bliver strategien til virkelighed", h1))
    story.append(Paragraph(
        "Hvert af de tre spor får en handleplan, som Omsorg og Sundhed udarbejder i 2024. Socialudvalget følger "
        "op på målene hvert år i forbindelse med budgetlægningen, og strategien evalueres i 2028.", body))
    doc.build(story, canvasmaker=_numbered_canvas("Randers Kommune · Strategi for det specialiserede "
                                                  "voksenområde 2024-2028", first_page_plain=False))


def main() -> None:
    aarhus = HERE / "aarhus-handicappolitik-2023.pdf"
    make_aarhus_pdf(aarhus)
    make_pdftotext(aarhus, HERE / "aarhus-handicappolitik-2023.pdftotext.txt")
    make_odense_docx(HERE / "odense-psykiatri-misbrugsstrategi-2024.docx")
    make_silkeborg_pdf(HERE / "silkeborg-status-handleplan-2025.pdf")
    make_randers_pdf(HERE / "randers-strategi-voksenomraadet-2024.pdf")


if __name__ == "__main__":
    main()
