"""Metadata inferred from a document's own words: each value with the evidence it was read from."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import ManifestError
from ingest.manifest import known_municipalities, load_manifest, slugify
from ingest.metadata import InferredMetadata, infer_metadata
from ingest.read.detect import read_bytes, read_file

DATA = Path(__file__).resolve().parents[1] / "data"


def _infer(text: str, name: str = "dokument.md", manifest: Path | None = None) -> InferredMetadata:
    doc = read_bytes(text.encode("utf-8"), file=name)
    known = load_manifest(manifest).documents if manifest else ()
    return infer_metadata(doc, None, file_name=name, known=known)


def test_all_98_municipalities_with_codes_and_slug_keys() -> None:
    munis = known_municipalities()
    assert len(munis) == 98
    assert munis["hoeje-taastrup"].name == "Høje-Taastrup Kommune" and munis["hoeje-taastrup"].code == "169"
    assert munis["koebenhavn"].code == "101" and munis["koebenhavn"].base_name == "København"
    assert munis["bornholm"].name == "Bornholms Regionskommune"
    assert munis["aeroe"].code == "492" and munis["lyngby-taarbaek"].code == "173"
    assert slugify("Ringkøbing-Skjern Kommune") == "ringkoebing-skjern-kommune"


def test_markdown_policy_gives_title_municipality_period_date_committee_and_kind() -> None:
    meta = _infer((DATA / "add" / "kolding-socialpsykiatri.md").read_text(encoding="utf-8"))
    assert meta.title.value == "Politik for socialpsykiatri og udsatte 2025–2028"
    assert meta.title.evidence == "cover line naming the kind of document"
    assert meta.municipality.value == "kolding"
    assert "Kolding Kommune" in meta.municipality.evidence
    assert meta.period.value == "2025-2028" and meta.year.value == 2025
    assert meta.date.value == "2025-03-12" and "12. marts 2025" in meta.date.evidence
    assert meta.committee.value == "Social- og Sundhedsudvalget"
    assert meta.kind.value == "policy" and "Politik" in meta.kind.evidence
    assert meta.follows_up.value == ()


def test_pdf_properties_and_genitive_municipality_name() -> None:
    doc = read_file(DATA / "read" / "pdf" / "handicappolitik.pdf")
    meta = infer_metadata(doc, None, file_name="handicappolitik.pdf")
    assert meta.title.value == "Handicappolitik 2025–2029"
    assert meta.title.source == "meta"
    assert meta.municipality.value == "vesthimmerland"
    assert meta.period.value == "2025-2029" and meta.year.value == 2025
    assert meta.date.value == "2025-02-27"
    assert meta.kind.value == "policy"


def test_own_municipality_on_the_title_page_wins_over_many_listed_further_down() -> None:
    listed = "\n".join(f"- Handicappolitik, {name} Kommune" for name in ["Aarhus", "Odense", "Aarhus", "Vejle",
                                                                         "Aarhus", "Esbjerg", "Aarhus"])
    text = (f"# Strategi for voksenhandicapområdet\n\nAssens Kommune\n\n{'Indledende tekst. ' * 200}\n\n"
            f"## Andre kommuners politikker\n\n{listed}\n")
    meta = _infer(text)
    assert meta.municipality.value == "assens"
    assert "aarhus" in meta.municipality.evidence


@pytest.mark.parametrize(("phrase", "key"), [
    ("Kommunen Høje-Taastrup", "hoeje-taastrup"),
    ("KØBENHAVNS KOMMUNE", "koebenhavn"),
    ("Bornholms Regionskommune", "bornholm"),
    ("Ringkøbing-Skjern kommune", "ringkoebing-skjern"),
])
def test_municipality_written_in_several_ways(phrase: str, key: str) -> None:
    assert _infer(f"# Sundhedspolitik\n\n{phrase}\n\nTekst om sundhed.\n").municipality.value == key


def test_a_region_is_not_a_municipality() -> None:
    meta = _infer("# Rammeaftale 2025\n\nRegion Syddanmark og Region Midtjylland\n\nTekst om rammeaftalen.\n")
    assert meta.municipality.value is None
    assert meta.municipality.source == "none"


def test_municipality_from_the_file_name_as_last_resort() -> None:
    meta = _infer("# Strategi for bostøtte\n\nTekst uden kommunenavn.\n", name="struer-bostoette.md")
    assert meta.municipality.value == "struer" and meta.municipality.source == "file-name"


def test_month_and_year_dates_and_a_follow_up_report() -> None:
    text = ("# Status på Politik for socialpsykiatri og udsatte\n\nKolding Kommune\n\nJanuar 2027\n\n"
            "Denne status følger op på Politik for socialpsykiatri og udsatte 2025–2028, som Byrådet vedtog i "
            "2025.\n\n## Et sted at bo\n\nDer er etableret 12 skæve boliger.\n")
    manifest = DATA / "add" / "manifest-with-kolding" / "manifest.toml"
    meta = _infer(text, manifest=manifest)
    assert meta.date.value == "2027-01" and meta.year.value == 2027
    assert meta.kind.value == "follow-up-report"
    assert meta.follows_up.value == ("kolding-2025-politik-for-socialpsykiatri",)
    assert "2025–2028" in meta.follows_up.evidence


def test_a_report_naming_a_title_without_its_year_follows_up_nothing() -> None:
    text = ("# Status på socialpsykiatrien\n\nKolding Kommune\n\nJanuar 2027\n\nVi ser tilbage på Politik for "
            "socialpsykiatri og udsatte og på meget andet.\n")
    meta = _infer(text, manifest=DATA / "add" / "manifest-with-kolding" / "manifest.toml")
    assert meta.follows_up.value == ()


@pytest.mark.parametrize(("title", "kind"), [
    ("Politiske pejlemærker for handicapområdet 2023", "political-bearings"),
    ("Forslag til strategi for udsatteområdet 2026", "strategy-proposal"),
    ("Opfølgning på Sundhedsaftalen 2024", "follow-up-report"),
    ("Ældrepolitik 2024–2027", "policy"),
    ("Politisk strategi for det specialiserede voksenområde 2024-2030", "strategy"),
])
def test_kind_from_the_title(title: str, kind: str) -> None:
    assert _infer(f"# {title}\n\nHorsens Kommune\n\nTekst.\n").kind.value == kind


@pytest.mark.parametrize(("line", "committee"), [
    ("Udvalget for Specialiserede Borgerindsatser", "Udvalget for Specialiserede Borgerindsatser"),
    ("Center for Handicap, Socialpsykiatri og Misbrug", "Center for Handicap, Socialpsykiatri og Misbrug"),
    ("Sundheds-, Ældre- og Handicapudvalget", "Sundheds-, Ældre- og Handicapudvalget"),
])
def test_committee_patterns(line: str, committee: str) -> None:
    meta = _infer(f"# Strategi for botilbud\n\nNæstved Kommune\n\n{line}\nGodkendt 2022\n\nTekst.\n")
    assert meta.committee.value == committee


def test_no_committee_no_year_say_so_and_flags_override_with_evidence() -> None:
    meta = _infer("# Notat om pårørende\n\nTekst uden år og udvalg.\n")
    assert meta.committee.value is None and meta.year.value is None
    given = meta.overridden(municipality="aarhus", year=2024, committee="Socialudvalget", period="2024-2027",
                            title=None)
    assert given.municipality.value == "aarhus" and given.municipality.source == "flag"
    assert given.year.value == 2024 and given.period.value == "2024-2027"
    assert given.title.value == "Notat om pårørende"
    with pytest.raises(KeyError):
        meta.overridden(colour="blue")


def test_manifest_entry_without_layout_takes_its_municipality_from_the_data_file(tmp_path: Path) -> None:
    (tmp_path / "manifest.toml").write_text(
        '[[document]]\nid = "hoeje-taastrup-2025-x"\nfile = "x.pdf"\nmunicipality = "hoeje-taastrup"\n'
        'title = "Handicappolitik"\nkind = "policy"\nyear = 2025\ncommittee = "Byrådet"\nformat = "pdf"\n'
        f'sha256 = "{"ab" * 32}"\n', encoding="utf-8")
    manifest = load_manifest(tmp_path)
    entry = manifest.documents[0]
    assert entry.format == "pdf" and entry.sha256 == "ab" * 32
    assert manifest.municipalities["hoeje-taastrup"].code == "169"


def test_manifest_refuses_a_bad_sha256_and_an_unknown_municipality(tmp_path: Path) -> None:
    path = tmp_path / "manifest.toml"
    body = ('[[document]]\nid = "x-1"\nfile = "x.pdf"\nmunicipality = "{m}"\ntitle = "T"\nkind = "policy"\n'
            'year = 2025\ncommittee = "Byrådet"\nsha256 = "{h}"\n')
    path.write_text(body.format(m="aarhus", h="xyz"), encoding="utf-8")
    with pytest.raises(ManifestError, match=r"manifest.toml:1: .*sha256 'xyz' is not 64 hex digits"):
        load_manifest(path)
    path.write_text(body.format(m="atlantis", h="ab" * 32), encoding="utf-8")
    with pytest.raises(ManifestError, match="unknown municipality 'atlantis'"):
        load_manifest(path)


def test_a_centre_answering_for_an_action_in_a_table_is_not_the_publisher() -> None:
    doc = read_file(DATA / "read" / "html" / "handicappolitik-holbaek.html")
    meta = infer_metadata(doc, None, file_name="handicappolitik-holbaek.html")
    assert "Center for Børn og Unge" in doc.text  # the "Ansvarlig" column of the action plan
    assert meta.committee.value is None
    assert meta.municipality.value == "holbaek" and meta.kind.value == "policy"


def test_cover_title_with_its_year_below_and_the_committee_on_a_line_of_its_own() -> None:
    body = " ".join(["Center for Social og Sundhed sørger for, at pejlemærkerne bliver til handling."] * 4)
    text = ("Udvalget for Voksne med Særlige Behov\n\nPolitiske pejlemærker\n\n2022\n\n"
            f"Udvalget har i 2021 drøftet retningen for området med brugerne og medarbejderne. {body}\n\n"
            "## Pejlemærke 1: Egen bolig\n\nVi arbejder for, at flere bor i egen bolig i Randers Kommune.\n")
    meta = _infer(text, name="pejlemaerker.txt")
    assert meta.title.value == "Politiske pejlemærker 2022"
    assert meta.title.evidence == "cover line naming the kind of document, with the year below it"
    assert meta.committee.value == "Udvalget for Voksne med Særlige Behov"
    assert "a line of its own on the cover" in meta.committee.evidence
    assert meta.year.value == 2022 and meta.kind.value == "political-bearings"


def test_a_follow_up_report_takes_the_year_of_its_dateline_not_of_the_plan_it_follows() -> None:
    text = ("# Opfølgning på Handleplan for misbrug 2023-2024\n\nLolland Kommune · Status pr. 1. oktober 2025\n\n"
            "Handleplanen blev vedtaget i 2023.\n")
    meta = _infer(text)
    assert meta.kind.value == "follow-up-report"
    assert meta.date.value == "2025-10-01" and meta.year.value == 2025
    assert "dateline" in meta.year.evidence


def test_a_date_inside_a_sentence_is_not_the_documents_date() -> None:
    text = ("# Strategi for det specialiserede voksenområde\n\nFaxe Kommune\n\n## Tilblivelse\n\nDen 9. november "
            "2020 blev der afholdt en workshop med brugere, pårørende og medarbejdere om strategiens indhold.\n")
    meta = _infer(text)
    assert meta.date.value is None
    assert meta.year.value == 2020 and "most often" in meta.year.evidence
