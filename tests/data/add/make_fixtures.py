"""Regenerate the PDF fixture of tests/ingest/test_add.py and tests/service/test_cli_add.py with reportlab.

Run from the repository root: ``.venv/bin/python tests/data/add/make_fixtures.py``. Needs reportlab and the DejaVu
fonts (Debian: fonts-dejavu-core). Deterministic (reportlab's invariant mode), so regenerating leaves git clean.

- ``norddjurs-bostoette.pdf``: a two-page strategy of Norddjurs Kommune (text written for these tests): title
  page facts, headings in a larger bold font, a running header, "Side N af 2" footers, bulleted lists after
  "Det gør vi:" lead-ins.
"""

from __future__ import annotations

from pathlib import Path

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

HERE = Path(__file__).resolve().parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
PAGE_W, PAGE_H = A4
LEFT, RIGHT = 72.0, PAGE_W - 72.0
HEADER = "Strategi for bostøtte 2026–2029 · Norddjurs Kommune"

PAGES: list[list[tuple[str, str]]] = [
    [
        ("title", "Strategi for bostøtte 2026–2029"),
        ("body", "Norddjurs Kommune · Social- og Arbejdsmarkedsudvalget"),
        ("body", "Godkendt af Byrådet den 18. november 2025"),
        ("h1", "Baggrund"),
        ("body", "Flere borgere med psykiske vanskeligheder bor i egen bolig og får støtte efter servicelovens "
                 "§ 85. Støtten skal hjælpe dem til at mestre hverdagen selv, og den skal trappes ned, når "
                 "borgeren er klar til det. Strategien bygger på samtaler med borgere, pårørende og "
                 "bostøttemedarbejdere i Grenaa, Auning og Allingåbro."),
        ("h1", "Bostøtte med en begyndelse og en slutning"),
        ("body", "Bostøtten skal have klare mål fra første dag, og borgeren skal være med til at sætte dem."),
        ("body", "Det gør vi:"),
        ("bullet", "Vi laver en skriftlig plan med borgeren inden for fire uger."),
        ("bullet", "Vi følger op på målene hver tredje måned."),
        ("bullet", "Vi aftaler med borgeren, hvordan støtten trappes ned."),
    ],
    [
        ("h1", "Fællesskaber uden for hjemmet"),
        ("body", "Ensomhed er en af de største grunde til, at borgere får brug for mere støtte igen. Derfor "
                 "skal bostøtten også hjælpe borgeren ud i fællesskaber."),
        ("body", "Det gør vi:"),
        ("bullet", "Vi samarbejder med aftenskoler og idrætsforeninger om pladser til borgere med bostøtte."),
        ("bullet", "Vi åbner et værested i Grenaa tre aftener om ugen."),
        ("h1", "Opfølgning"),
        ("body", "Social- og Arbejdsmarkedsudvalget får en status på strategien hvert forår."),
    ],
]

STYLE = {"title": ("Sans-Bold", 22, 34), "h1": ("Sans-Bold", 14, 26), "body": ("Sans", 10.5, 15),
         "bullet": ("Sans", 10.5, 15)}


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if pdfmetrics.stringWidth(candidate, font, size) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def make_strategy(path: Path) -> None:
    canvas = Canvas(str(path), pagesize=A4, invariant=True)
    canvas.setTitle("Strategi for bostøtte 2026–2029")
    canvas.setAuthor("Norddjurs Kommune")
    for number, blocks in enumerate(PAGES, start=1):
        canvas.setFont("Sans", 8)
        canvas.drawString(LEFT, PAGE_H - 40, HEADER)
        canvas.drawRightString(RIGHT, 36, f"Side {number} af {len(PAGES)}")
        y = PAGE_H - 90
        for kind, text in blocks:
            font, size, lead = STYLE[kind]
            if kind in ("h1", "title"):
                y -= 10
            indent = 18.0 if kind == "bullet" else 0.0
            for i, line in enumerate(wrap(text, font, size, RIGHT - LEFT - indent)):
                canvas.setFont(font, size)
                if kind == "bullet" and i == 0:
                    canvas.drawString(LEFT + 6, y, "•")
                canvas.drawString(LEFT + indent, y, line)
                y -= lead if i == 0 and kind in ("h1", "title") else size * 1.45
            y -= 6
        canvas.showPage()
    canvas.save()


def main() -> None:
    rl_config.invariant = 1
    pdfmetrics.registerFont(TTFont("Sans", str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("Sans-Bold", str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    make_strategy(HERE / "norddjurs-bostoette.pdf")


if __name__ == "__main__":
    main()
