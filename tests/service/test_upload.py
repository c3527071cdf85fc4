"""Adding a document through the service: POST /admin/documents (preview), commit, status, and the refusals.

Real files (a PDF made here with reportlab, the reader fixtures in tests/data/read/) go through the real app on a
writable copy of corpora/ and its own build folder; the new document must then answer /search, /sparql and its
node pages, and every refused file must leave corpora/, the manifest and the live build exactly as they were.
"""

from __future__ import annotations

import io
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from fastapi.testclient import TestClient
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

from ingest.add import corpus_fingerprint
from ingest.build import BuildOptions, run_build
from service.app import create_app
from service.settings import ServiceSettings

TOKEN = "upload-token-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DATA = Path(__file__).resolve().parents[1] / "data" / "read"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
MAX_UPLOAD = 2 * 1024 * 1024
"""The upload limit of the test app (small, so that the over-limit file stays small)."""


def boligstrategi_pdf() -> bytes:
    """A 3-page strategy of Sorø Kommune: vision, two focus areas with numbered goals and their activities, and a
    running footer with the page number."""
    pdfmetrics.registerFont(TTFont("Sans", str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("Sans-Bold", str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    body = ParagraphStyle("body", fontName="Sans", fontSize=10.5, leading=14, spaceAfter=6)
    h1 = ParagraphStyle("h1", fontName="Sans-Bold", fontSize=22, leading=26, spaceAfter=14)
    h2 = ParagraphStyle("h2", fontName="Sans-Bold", fontSize=15, leading=19, spaceBefore=10, spaceAfter=8)
    h3 = ParagraphStyle("h3", fontName="Sans-Bold", fontSize=12, leading=15, spaceBefore=6, spaceAfter=4)
    bullet = ParagraphStyle("bullet", parent=body, leftIndent=18, bulletIndent=6, bulletFontName="Sans")

    def footer(canvas: Any, doc: Any) -> None:
        canvas.setFont("Sans", 8)
        canvas.drawString(70, 30, f"Sorø Kommune · Boligstrategi 2026-2029 · Side {doc.page}")

    story: list[Any] = [
        Paragraph("Boligstrategi for borgere med handicap og psykiske vanskeligheder 2026-2029", h1),
        Paragraph("Sorø Kommune. Vedtaget af Social- og Sundhedsudvalget den 12. marts 2026.", body),
        Paragraph("Vision", h2),
        Paragraph("Alle borgere i Sorø Kommune har et hjem, hvor de kan leve et selvstændigt liv med den støtte, "
                  "de har brug for.", body),
        PageBreak(),
        Paragraph("Indsatsområde 1: Skæve boliger og bostøtte", h2),
        Paragraph("Flere borgere med komplekse behov mangler en bolig, der passer til deres liv.", body),
        Paragraph("Mål 1: Ingen bor på herberg i mere end tre måneder", h3),
        Paragraph("Det gør vi:", body),
        Paragraph("Vi opfører tolv skæve boliger i Dianalund og Sorø by.", bullet, bulletText="•"),
        Paragraph("Vi tilbyder fleksibel bostøtte om aftenen og i weekenden.", bullet, bulletText="•"),
        Spacer(1, 12),
        PageBreak(),
        Paragraph("Indsatsområde 2: Fællesskab i nærmiljøet", h2),
        Paragraph("Et hjem er mere end fire vægge: naboskab og fritidsliv forebygger ensomhed.", body),
        Paragraph("Mål 2: Alle beboere har et fritidsliv uden for hjemmet", h3),
        Paragraph("Det gør vi:", body),
        Paragraph("Vi ansætter to brobyggere, der følger borgeren ud i foreningslivet.", bullet, bulletText="•"),
    ]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title="Boligstrategi 2026-2029", author="Sorø Kommune",
                      invariant=True).build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


class App(NamedTuple):
    client: TestClient
    corpus: Path
    build: Path


@pytest.fixture(scope="module")
def upload_app(tmp_path_factory: pytest.TempPathFactory, build_dir: Path) -> Iterator[App]:
    """The real app on a writable copy of corpora/ with its own build folder (sharing the session's caches)."""
    root = tmp_path_factory.mktemp("upload")
    corpus = root / "corpora"
    shutil.copytree(Path(__file__).resolve().parents[2] / "corpora", corpus)
    build = root / "build"
    run_build(BuildOptions(corpora_dir=corpus, build_dir=build, cache_dir=build_dir / "cache"))
    # max_body_bytes above the upload limit, as the service needs it for uploads (see the report on limits.py)
    settings = ServiceSettings(build_dir=build, corpora_dir=corpus, cache_dir=build_dir / "cache", admin_token=TOKEN,
                        max_upload_bytes=MAX_UPLOAD, max_body_bytes=4 * MAX_UPLOAD, sparql_timeout_s=5.0)
    with TestClient(create_app(settings)) as client:
        yield App(client, corpus, build)


def post_file(client: TestClient, name: str, data: bytes, headers: dict[str, str] | None = None,
              **fields: str) -> Any:
    return client.post("/admin/documents", headers=AUTH if headers is None else headers,
                       files={"file": (name, data, "application/octet-stream")}, data=fields)


def wait_done(client: TestClient, upload_id: str, timeout_s: float = 300) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status: dict[str, Any] = client.get(f"/admin/documents/{upload_id}", headers=AUTH).json()
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.3)
    raise AssertionError(f"upload {upload_id} did not finish")


def staged(corpus_build: Path) -> list[str]:
    uploads = corpus_build / "uploads"
    return sorted(p.name for p in uploads.iterdir()) if uploads.is_dir() else []


# --- the token ---------------------------------------------------------------------------------------------

def test_a_wrong_token_is_refused_before_anything_is_stored(upload_app: App) -> None:
    client, corpus, build = upload_app
    before, uploads = corpus_fingerprint(corpus), staged(build)
    for headers in ({}, {"Authorization": "Bearer forkert"}):
        response = post_file(client, "strategi.pdf", boligstrategi_pdf(), headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert client.get("/admin/documents/" + "0" * 32).status_code == 401
    assert corpus_fingerprint(corpus) == before and staged(build) == uploads


def test_the_upload_page_is_a_danish_form_with_its_script(upload_app: App) -> None:
    client, _, _ = upload_app
    page = client.get("/admin/dokumenter")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for words in ('<html lang="da">', "Tilføj dokument", 'for="file"', 'for="municipality"', 'for="token"',
                  "/static/js/upload.js", "Højst 2,0 MB"):
        assert words in page.text
    assert client.get("/static/js/upload.js").status_code == 200
    assert 'href="/admin/dokumenter"' in client.get("/dokumenter").text  # linked where the documents are listed


# --- preview, commit, status --------------------------------------------------------------------------------

def test_preview_commit_and_the_new_document_answers_everywhere(upload_app: App) -> None:
    client, corpus, build = upload_app
    manifest_before = (corpus / "manifest.toml").read_bytes()
    fingerprint = corpus_fingerprint(corpus)
    live_before = client.get("/health").json()["build_id"]
    pdf = boligstrategi_pdf()

    response = post_file(client, "Boligstrategi 2026-2029.pdf", pdf)
    assert response.status_code == 200, response.text
    body = response.json()
    preview, upload_id = body["preview"], body["upload_id"]
    assert body["state"] == "staged"
    assert preview["format"] == "pdf" and preview["pages"] == 3
    meta = {name: m["value"] for name, m in preview["metadata"].items()}
    assert meta["municipality"] == "soroe" and meta["year"] == 2026 and meta["period"] == "2026-2029"
    assert "Boligstrategi" in meta["title"]
    assert preview["metadata"]["municipality"]["display"] == "Sorø Kommune"
    assert preview["metadata"]["kind"]["display"] == "Strategi"
    assert "»" in preview["metadata"]["municipality"]["evidence_da"]
    assert preview["missing"] == []
    assert {k: preview["counts"].get(k) for k in ("Vision", "FocusArea", "Goal", "Activity")} == {
        "Vision": 1, "FocusArea": 2, "Goal": 2, "Activity": 3}
    tree = [(n["class"], n["label"] or n["text"], n["depth"]) for n in preview["tree"]]
    assert ("FocusArea", "Skæve boliger og bostøtte", 0) in tree
    assert ("Goal", "Ingen bor på herberg i mere end tre måneder", 1) in tree
    assert ("Activity", "Vi opfører tolv skæve boliger i Dianalund og Sorø by.", 2) in tree
    assert preview["nodes"] == sum(preview["counts"].values())
    # Nothing changed yet: the corpus and the live build are as they were, the file waits in staging.
    assert corpus_fingerprint(corpus) == fingerprint
    assert client.get("/health").json()["build_id"] == live_before
    assert upload_id in staged(build)
    assert client.get(f"/admin/documents/{upload_id}", headers=AUTH).json()["state"] == "staged"

    committed = client.post(f"/admin/documents/{upload_id}/commit", headers=AUTH, json={})
    assert committed.status_code == 202, committed.text
    assert committed.json()["state"] == "building"
    served: set[int] = set()
    while client.get(f"/admin/documents/{upload_id}", headers=AUTH).json()["state"] == "building":
        served.add(client.get("/search", params={"q": "bostøtte"}).status_code)
    status = wait_done(client, upload_id)
    assert status["state"] == "done", status
    assert served <= {200}  # the live build answered throughout
    doc_id = status["document_id"]
    assert doc_id.startswith("soroe-2026-") and status["document_url"] == f"/dokument/{doc_id}"
    steps = status["progress"]
    assert steps[0] == "Tilføjelsen er startet" and steps[-1] == "Dokumentet er tilføjet"
    assert {"Kopierer originalen til korpusset", "Bygger grafen"} <= set(steps) and len(set(steps)) == len(steps)
    assert client.get("/health").json()["build_id"] == status["build_id"] != live_before

    # The corpus gained exactly the original and its manifest entry.
    assert (corpus / "manifest.toml").read_bytes().startswith(manifest_before.rstrip(b"\n"))
    added = set(corpus_fingerprint(corpus)) - set(fingerprint)
    assert len(added) == 1 and (corpus / added.pop()).read_bytes() == pdf

    # Searchable, with its page numbers on the node page …
    hits = client.get("/search", params={"q": "skæve boliger i Dianalund", "document": doc_id}).json()["results"]
    assert hits and hits[0]["document"]["id"] == doc_id
    node = next(h for h in hits if "Dianalund" in h["text"])
    path = node["id"].split("/id/", 1)[1]
    detail = client.get(f"/nodes/{path}").json()
    assert detail["source"]["page"] == 2
    assert client.get(f"/dokument/{doc_id}").status_code == 200
    # … in the graph, with the pages of its nodes …
    query = f"""PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX sg: <https://w3id.org/strategigraf/ontology#>
SELECT ?title ?format (MAX(?page) AS ?last) WHERE {{
  <https://w3id.org/strategigraf/id/{doc_id}> dcterms:title ?title ; sg:sourceFormat ?format .
  ?node sg:inDocument <https://w3id.org/strategigraf/id/{doc_id}> ; sg:sourceSpan/sg:page ?page .
}} GROUP BY ?title ?format"""
    rows = client.get("/sparql", params={"query": query},
                      headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    assert [(r["title"]["value"], r["format"]["value"], r["last"]["value"]) for r in rows] == [
        (meta["title"], "pdf", "3")]
    # … and in the overlaps with the bundled strategies.
    pairs = client.get("/overlaps", params={"a": doc_id}).json()["pairs"]
    assert {p["b"]["document"]["id"] for p in pairs} - {doc_id}, "no overlap with any bundled strategy"

    # A commit is done once; the same file again is refused naming the document it already is.
    again = client.post(f"/admin/documents/{upload_id}/commit", headers=AUTH)
    assert again.status_code == 409 and again.json()["reason"] == "not-staged"
    after = corpus_fingerprint(corpus)
    duplicate = post_file(client, "kopi af boligstrategien.pdf", pdf)
    assert duplicate.status_code == 409
    problem = duplicate.json()
    assert problem["reason"] == "duplicate" and problem["existing"] == doc_id
    assert problem["detail"] == (f"Filen »kopi af boligstrategien.pdf« findes allerede i grafen som dokumentet "
                                 f"»{doc_id}«. Den er ikke tilføjet igen.")
    assert corpus_fingerprint(corpus) == after


def test_a_field_the_document_does_not_state_must_be_given(upload_app: App) -> None:
    client, corpus, build = upload_app
    before = corpus_fingerprint(corpus)
    text = ("Retningslinjer for ledsagelse\n\nLedsagelse gives til borgere, der ikke kan færdes alene på grund af "
            "nedsat funktionsevne.\n\nBorgeren vælger selv sin ledsager, når det er muligt.\n").encode()
    response = post_file(client, "ledsagelse.txt", text)
    assert response.status_code == 200, response.text
    preview = response.json()["preview"]
    assert "municipality" in preview["missing"] and "year" in preview["missing"]
    refused = client.post(f"/admin/documents/{response.json()['upload_id']}/commit", headers=AUTH, json={})
    assert refused.status_code == 422
    assert refused.json()["missing"] == preview["missing"]
    assert "siger ikke selv sin kommune" in refused.json()["detail"]
    # A given value shows in the preview as given; a wrong one is refused in Danish.
    given = post_file(client, "ledsagelse.txt", text, municipality="Ringsted", year="2025").json()["preview"]
    assert given["metadata"]["municipality"] == {"value": "ringsted", "evidence": "given", "source": "flag",
                                                 "display": "Ringsted Kommune", "evidence_da": "angivet i formularen"}
    assert given["missing"] == []
    wrong = post_file(client, "ledsagelse.txt", text, municipality="Atlantis")
    assert wrong.status_code == 422 and "»Atlantis« er ikke en dansk kommune" in wrong.json()["detail"]
    bad_year = post_file(client, "ledsagelse.txt", text, year="i år")
    assert bad_year.status_code == 422 and "årstal" in bad_year.json()["detail"]
    assert corpus_fingerprint(corpus) == before


def test_an_add_cut_off_by_a_server_stop_reports_failed(upload_app: App) -> None:
    """A record left 'building' (the server stopped during the add) is not shown as building forever."""
    from service.upload import UploadRecord, new_upload, save_record

    client, _, build = upload_app
    upload_id, folder = new_upload(build)
    save_record(folder, UploadRecord(id=upload_id, file_name="handleplan.docx", size=1200, state="building",
                                     progress=["Tilføjelsen er startet", "Bygger grafen"]))
    status = client.get(f"/admin/documents/{upload_id}", headers=AUTH).json()
    assert status["state"] == "failed" and status["document_url"] is None
    assert status["error"] == ("Tilføjelsen af »handleplan.docx« blev afbrudt, fordi serveren stoppede undervejs. "
                               "Dokumentet er ikke i grafen; upload filen igen.")


def test_a_build_that_cannot_run_takes_the_document_out_again(upload_app: App) -> None:
    """`strategigraf ingest` holding the build folder's lock: the add fails, corpora/ and the live build stay."""
    from ingest.build import build_lock

    client, corpus, build = upload_app
    before, live = corpus_fingerprint(corpus), client.get("/health").json()["build_id"]
    text = ("# Handleplan for hjemløshed 2025\n\nRingsted Kommune\n\n## Mål 1: Ingen unge i hjemløshed\n\n"
            "- Vi opretter fem akutpladser til unge.\n").encode()
    upload_id = post_file(client, "handleplan-hjemloeshed.md", text).json()["upload_id"]
    with build_lock(build):
        assert client.post(f"/admin/documents/{upload_id}/commit", headers=AUTH).status_code == 202
        status = wait_done(client, upload_id)
    assert status["state"] == "failed" and status["document_url"] is None
    assert status["error"].startswith("Dokumentet »handleplan-hjemloeshed.md« blev ikke tilføjet, fordi grafen "
                                      "ikke kunne bygges lige nu. Grafen er uændret; prøv igen.")
    assert corpus_fingerprint(corpus) == before
    assert client.get("/health").json()["build_id"] == live
    assert client.get("/admin/rebuild", headers=AUTH).json()["state"] == "failed"


def test_a_commit_waits_for_no_other_build(upload_app: App) -> None:
    """While a rebuild runs (its lock held), a commit is refused with Retry-After and the upload stays staged."""
    client, corpus, _ = upload_app
    before = corpus_fingerprint(corpus)
    staged_upload = post_file(client, "../../tilsyn.md", "# Tilsynspolitik 2025\n\nSlagelse Kommune fører tilsyn "
                              "med botilbud hvert år.\n".encode()).json()
    assert staged_upload["preview"]["file"] == "tilsyn.md"  # no path parts survive
    lock = client.app.state.service.rebuild_lock  # type: ignore[attr-defined]
    assert lock.acquire(blocking=False)
    try:
        busy = client.post(f"/admin/documents/{staged_upload['upload_id']}/commit", headers=AUTH)
    finally:
        lock.release()
    assert busy.status_code == 409 and busy.headers["retry-after"] == "5"
    assert busy.json()["detail"] == "En anden opbygning af grafen er i gang. Prøv igen om lidt."
    assert client.get(f"/admin/documents/{staged_upload['upload_id']}", headers=AUTH).json()["state"] == "staged"
    assert corpus_fingerprint(corpus) == before


def test_staged_uploads_left_for_a_day_are_removed(upload_app: App) -> None:
    import os

    from service.upload import STALE_AFTER_S, new_upload

    _, _, build = upload_app
    old_id, old_folder = new_upload(build)
    (old_folder / "original" / "glemt.pdf").write_bytes(b"%PDF-1.7")
    day_ago = time.time() - STALE_AFTER_S - 60
    os.utime(old_folder, (day_ago, day_ago))
    new_id, _ = new_upload(build)
    assert old_id not in staged(build) and new_id in staged(build)


def test_unknown_uploads_are_404(upload_app: App) -> None:
    client, _, _ = upload_app
    for upload_id in ("0" * 32, "x" * 32, "..."):
        response = client.get(f"/admin/documents/{upload_id}", headers=AUTH)
        assert response.status_code == 404 and "ingen upload" in response.json()["detail"]
    assert client.post("/admin/documents/" + "0" * 32 + "/commit", headers=AUTH).status_code == 404


# --- bad files ---------------------------------------------------------------------------------------------

HTML_ENTITIES = (b'<?xml version="1.0"?>\n<!DOCTYPE html [\n  <!ENTITY lol "lol">\n  <!ENTITY lol2 "&lol;&lol;&lol;'
                 b'&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<html lang='
                 b'"da"><body><main><h1>Handicappolitik</h1><p>&lol2; &xxe;</p></main></body></html>\n')


def _file(path: str) -> tuple[str, bytes]:
    full = DATA / path
    return full.name, full.read_bytes()


BAD_FILES: list[tuple[str, Any, int, str, str]] = [
    ("encrypted PDF", lambda: _file("pdf/krypteret.pdf"), 422, "encrypted", "er beskyttet med adgangskode"),
    ("scanned PDF", lambda: _file("pdf/scannet.pdf"), 422, "no-text-layer",
     "har intet tekstlag; den ser ud til at være scannet. Tekstgenkendelse (OCR) er ikke tilgængelig"),
    ("truncated PDF", lambda: _file("pdf/afkortet.pdf"), 422, "corrupt", "er beskadiget eller afkortet"),
    ("PDF header and garbage", lambda: _file("pdf/ugyldig.pdf"), 422, "corrupt", "er beskadiget eller afkortet"),
    ("truncated DOCX", lambda: _file("docx/bad/truncated.docx"), 422, "corrupt", "er beskadiget eller afkortet"),
    ("DOCX with a damaged part", lambda: _file("docx/bad/damaged-part.docx"), 422, "corrupt", "er beskadiget"),
    ("DOCX zip bomb", lambda: _file("docx/bad/zip-bomb.docx"), 422, "zip-bomb", "(en zip-bombe)"),
    ("DOCX billion laughs", lambda: _file("docx/bad/billion-laughs.docx"), 422, "xml-entities",
     "XML-entitetserklæringer"),
    ("DOCX external entity", lambda: _file("docx/bad/xxe.docx"), 422, "xml-entities", "XML-entitetserklæringer"),
    ("HTML with entities", lambda: ("politik.html", HTML_ENTITIES), 422, "xml-entities", "XML-entitetserklæringer"),
    ("spreadsheet", lambda: _file("docx/bad/budget.xlsx"), 415, "unsupported-format",
     "er ikke i et format, Strategigraf kan læse"),
    ("executable named .docx", lambda: _file("docx/bad/renamed-executable.docx"), 415, "unsupported-format",
     "er ikke i et format, Strategigraf kan læse"),
    ("empty file", lambda: ("tom.txt", b""), 422, "empty", "er tom"),
    ("over the size limit", lambda: ("stor.txt", "Et langt dokument om bostøtte.\n".encode() * (MAX_UPLOAD // 20)),
     413, "too-large", "er for stor. Grænsen er 2,0 MB"),
]


def test_every_read_error_reason_has_a_danish_message() -> None:
    from ingest.errors import REASONS
    from service.upload import READ_REASONS

    assert set(REASONS) <= set(READ_REASONS)
    assert set(REASONS) - {"missing", "too-large", "empty"} <= {case[3] for case in BAD_FILES}


@pytest.mark.parametrize(("case", "make", "status", "reason", "words"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_bad_file_gets_one_danish_error_and_changes_nothing(upload_app: App, case: str,
                                                              make: Any, status: int, reason: str,
                                                              words: str) -> None:
    client, corpus, build = upload_app
    name, data = make()
    before, uploads, live = corpus_fingerprint(corpus), staged(build), client.get("/health").json()["build_id"]
    response = post_file(client, name, data)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["reason"] == reason
    assert f"»{name}«" in problem["detail"] and words in problem["detail"]
    assert corpus_fingerprint(corpus) == before
    assert staged(build) == uploads  # the staged copy is gone too
    assert client.get("/health").json()["build_id"] == live


def test_a_body_that_is_not_a_file_upload_is_refused(upload_app: App) -> None:
    client, _, _ = upload_app
    no_file = client.post("/admin/documents", headers=AUTH, data={"title": "Uden fil"})
    assert no_file.status_code in (415, 422)
    assert client.post("/admin/documents", headers={**AUTH, "Content-Type": "text/plain"},
                       content=b"hej").status_code == 415
    only_fields = client.post("/admin/documents", headers=AUTH, files={"title": (None, "Uden fil")})
    assert only_fields.status_code == 422 and only_fields.json()["reason"] == "no-file"
