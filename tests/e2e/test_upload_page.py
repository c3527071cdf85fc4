"""The upload page in a real browser (headless Chromium) against a real uvicorn server with an admin token.

A Word file made here with python-docx is uploaded through /admin/dokumenter: the preview shows what was
recognised, "Tilføj til grafen" adds it and shows the build's progress, and the link that follows opens the new
document's page. Refused files and a wrong token show one Danish message and leave the corpus untouched. The
server runs on a copy of corpora/ and its own build folder.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from playwright.sync_api import expect

from ingest.add import corpus_fingerprint
from ingest.build import BuildOptions, run_build
from tests import servers
from tests.e2e.conftest import PageLog

pytestmark = pytest.mark.e2e

TOKEN = "e2e-upload-token"
ROOT = Path(__file__).resolve().parents[2]
ENCRYPTED_PDF = ROOT / "tests" / "data" / "read" / "pdf" / "krypteret.pdf"


def paaroerende_docx(path: Path) -> Path:
    """A Rudersdal policy on working with relatives: a vision, then (on page 2) two principles with what they
    mean."""
    d = Document()
    d.core_properties.title = "Politik for samarbejde med pårørende 2025-2028"
    d.core_properties.author = "Rudersdal Kommune"
    d.add_heading("Politik for samarbejde med pårørende 2025-2028", level=0)
    d.add_paragraph("Rudersdal Kommune · Social- og Seniorudvalget · vedtaget juni 2025")
    d.add_heading("Vision", level=1)
    d.add_paragraph("Pårørende til voksne med handicap eller sindslidelse oplever, at de bliver hørt og "
                    "inddraget, når de ønsker det.")
    d.add_page_break()
    d.add_heading("Principper for samarbejdet", level=1)
    d.add_heading("Princip 1: Pårørende er en ressource", level=2)
    d.add_paragraph("Det betyder, at vi:")
    d.add_paragraph("spørger borgeren, hvem der skal inddrages, og hvordan", style="List Bullet")
    d.add_paragraph("inviterer pårørende til opfølgningsmøder, når borgeren ønsker det", style="List Bullet")
    d.add_heading("Princip 2: Pårørende har også brug for støtte", level=2)
    d.add_paragraph("Det betyder, at vi:")
    d.add_paragraph("tilbyder pårørendegrupper i Birkerød og Holte", style="List Bullet")
    d.add_paragraph("henviser til rådgivning hos pårørendekonsulenten", style="List Bullet")
    d.save(str(path))
    return path


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory: pytest.TempPathFactory, build_dir: Path) -> Iterator[tuple[str, Path]]:
    """A real server with an admin token on a writable copy of corpora/; yields its URL and the corpus."""
    root = tmp_path_factory.mktemp("upload-e2e")
    corpus = root / "corpora"
    shutil.copytree(ROOT / "corpora", corpus)
    build = root / "build"
    cache = build_dir / "cache"
    run_build(BuildOptions(corpora_dir=corpus, build_dir=build, cache_dir=cache))
    proc, base = servers.start(build, root / "server.log", {
        "STRATEGIGRAF_CORPORA_DIR": str(corpus), "STRATEGIGRAF_CACHE_DIR": str(cache),
        "STRATEGIGRAF_ADMIN_TOKEN": TOKEN})
    try:
        yield base, corpus
    finally:
        servers.stop(proc)


@pytest.fixture
def upload_page(browser: Any, admin_server: tuple[str, Path], page_log: PageLog) -> Iterator[Any]:
    """A fresh Danish page on the admin server, logging console errors and requests that leave it."""
    base, _ = admin_server
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900}, base_url=base)
    page = context.new_page()
    page.set_default_timeout(15_000)

    def on_console(msg: Any) -> None:
        if "Content Security Policy" in msg.text:
            page_log.csp_violations.append(msg.text)
        elif msg.type == "error":
            page_log.console_errors.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: page_log.console_errors.append(f"page error: {exc}"))
    page.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:", "about:"))
            else page_log.external_requests.append(r.url))
    page.on("response", lambda r: page_log.failed_requests.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    yield page
    context.close()


def expected_refusals(log: PageLog, *statuses: int) -> None:
    """Chromium logs every 4xx answer to fetch() as a console error; drop those the test provoked."""
    pattern = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")
    log.console_errors[:] = [e for e in log.console_errors
                             if not ((m := pattern.search(e)) and int(m.group(1)) in statuses)]


def test_upload_preview_commit_and_open_the_new_document(upload_page: Any, admin_server: tuple[str, Path],
                                                         page_log: PageLog, tmp_path: Path, shoot: Any,
                                                         axe: Any) -> None:
    page, (_, corpus) = upload_page, admin_server
    before = corpus_fingerprint(corpus)
    page.goto("/admin/dokumenter")
    assert page.locator("h1").inner_text() == "Tilføj dokument"
    axe(page, "upload-empty")

    # A wrong token, then a file that cannot be read: one Danish message each, nothing changes.
    docx = paaroerende_docx(tmp_path / "Pårørendepolitik.docx")
    page.set_input_files("#file", str(docx))
    page.get_by_label("Admin-token").fill("forkert")
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    alert = page.locator("#upload-error")
    alert.wait_for(state="visible")
    assert page.locator("#upload-error-text").inner_text() == "Admin-tokenet er forkert eller mangler."
    page.set_input_files("#file", str(ENCRYPTED_PDF))
    page.get_by_label("Admin-token").fill(TOKEN)
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    expect(page.locator("#upload-error-text")).to_have_text(
        "Filen »krypteret.pdf« er beskyttet med adgangskode. Fjern beskyttelsen, og upload den igen.")
    assert page.locator("#preview").is_hidden()
    shoot(page, "upload-refused")
    assert corpus_fingerprint(corpus) == before
    expected_refusals(page_log, 401, 422)

    # The preview: metadata with where it was read, the recognised tree; still nothing changed.
    page.set_input_files("#file", str(docx))
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    preview = page.locator("#preview")
    preview.wait_for(state="visible")
    assert page.locator("#upload-error").is_hidden()
    assert "»Pårørendepolitik.docx« · Word (.docx)" in page.locator("#preview-summary").inner_text()
    rows = {r.locator("th").inner_text(): r.locator("td").all_inner_texts()
            for r in page.locator("#preview-metadata tbody tr").all()}
    assert rows["Kommune"] == ["Rudersdal Kommune", "dokumentets egenskaber: »Rudersdal Kommune«"]
    assert rows["År"][0] == "2025" and rows["Type"][0] == "Politik"
    assert rows["Titel"] == ["Politik for samarbejde med pårørende 2025-2028", "dokumentets egenskaber"]
    assert "Princip: 2" in page.locator("#preview-counts").inner_text()
    tree = page.locator("#preview-tree").inner_text()
    assert "Pårørende er en ressource" in tree and "tilbyder pårørendegrupper i Birkerød og Holte" in tree
    shoot(page, "upload-preview")
    axe(page, "upload-preview")
    assert corpus_fingerprint(corpus) == before

    # Commit: progress, then the link to the new document, which opens its page.
    page.get_by_role("button", name="Tilføj til grafen").click()
    page.locator("#progress").wait_for(state="visible")
    assert page.locator("#progress-steps li").first.inner_text() == "Tilføjelsen er startet"
    link = page.locator("#done-link")
    link.wait_for(state="visible", timeout=300_000)
    steps = page.locator("#progress-steps li").all_inner_texts()
    assert "Bygger grafen" in steps and steps[-1] == "Dokumentet er tilføjet" and len(set(steps)) == len(steps)
    assert link.inner_text() == "Åbn »Politik for samarbejde med pårørende 2025-2028«"
    href = link.get_attribute("href")
    assert href is not None and re.fullmatch(r"/dokument/rudersdal-2025-[a-z0-9-]+", href)
    shoot(page, "upload-done")
    axe(page, "upload-done")
    link.click()
    page.wait_for_url(re.compile(re.escape(href) + "$"))
    assert page.locator("h1").inner_text().strip() == "Politik for samarbejde med pårørende 2025-2028"
    assert "Pårørende er en ressource" in page.locator("main").inner_text()
    # A statement's page shows the page of the Word file it stands on and opens the original.
    page.get_by_role("link", name="tilbyder pårørendegrupper i Birkerød og Holte").click()
    page.wait_for_url(re.compile(r"/node\?id="))
    cite = page.locator("p.cite").inner_text()
    assert cite.startswith("Rudersdal Kommune: Politik for samarbejde med pårørende 2025-2028 (2025), side 2."), cite
    # A Word file has no page anchor (only a PDF opens at its page); the link opens the original file.
    original = page.locator("p.cite").get_by_role("link", name="Åbn originalen")
    assert original.get_attribute("href") == "/documents/" + href.rsplit("/", 1)[1] + "/original"
    after = corpus_fingerprint(corpus)
    added = set(after) - set(before)
    assert len(added) == 1 and (corpus / added.pop()).read_bytes() == docx.read_bytes()
    assert after["manifest.toml"] != before["manifest.toml"]
    shoot(page, "upload-new-document")
    page_log.assert_clean()
