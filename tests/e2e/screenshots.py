"""Screenshots of every page of the site at a phone's width (390 px) and a laptop's (1280 px), for docs/web.md.

    .venv/bin/python -m tests.e2e.screenshots --out docs/screenshots

Builds the bundled corpora (corpora/) into ``--build`` (default build/screenshots, git-ignored; its embedding
cache is seeded from build/test-cache when that holds one, so nothing is embedded twice), starts a real server on
it with the one launcher (benchmarks/common.py), and opens every page of :func:`tests.e2e.site_pages.site_pages`
in Debian's headless Chromium as the browser tests do (tests/e2e/conftest.py), then the upload page on a second
server with an admin token (so the other pages look as they do without one). Each page is saved as
``<name>-390.png`` and ``<name>-1280.png``: the top 2,400 px of a long page (of the SPARQL editor's the bottom
2,400 px, where its results are), reduced to 256 colours with Pillow when it is installed (the PNGs live in the
repository). PNGs in ``--out`` that this run did not write are named on the way out; console errors and server
errors of a page are printed, and make the exit code 1.
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import serve
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.site_pages import SitePage, run_first_sparql_example, site_pages

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT / "corpora"
WIDTHS = (390, 1280)
HEIGHT = 900
"""Viewport height; the screenshot itself runs down the page."""
MAX_HEIGHT = 2400
"""Only the top of a long page: enough to show its layout, small enough to keep in the repository."""
COLOURS = 256
KEPT_EMBEDDINGS = ROOT / "build" / "test-cache" / "embeddings.sqlite"
"""The test suite's kept embedding cache (``make test-fast``), copied into a fresh build's cache when present."""
UPLOAD = SitePage("upload", "/admin/dokumenter")


@dataclass
class Shot:
    """One screenshot written, and what went wrong on the page while it was taken."""

    path: Path
    page_height: int
    top: int
    """Where on the page the screenshot starts (0 but for the SPARQL editor's results)."""
    problems: list[str] = field(default_factory=list)


def build(build_dir: Path) -> None:
    """Build corpora/ into ``build_dir`` (a new generation each run: the pages show the corpora as they are)."""
    from ingest.build import BuildOptions, run_build

    cache = build_dir / "cache"
    if KEPT_EMBEDDINGS.is_file() and not (cache / KEPT_EMBEDDINGS.name).is_file():
        cache.mkdir(parents=True, exist_ok=True)
        shutil.copy2(KEPT_EMBEDDINGS, cache / KEPT_EMBEDDINGS.name)
    started = time.perf_counter()
    result = run_build(BuildOptions(corpora_dir=CORPORA, build_dir=build_dir))
    print(f"built {result.build_id} in {time.perf_counter() - started:.0f} s", file=sys.stderr)


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright, with the browser tests' flags."""
    if not Path(CHROMIUM).is_file() and not shutil.which(CHROMIUM):
        raise SystemExit(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium, or set "
                         "STRATEGIGRAF_CHROMIUM to a Chromium binary")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which(CHROMIUM) or CHROMIUM, args=CHROMIUM_ARGS,
                                     headless=True)
        try:
            yield browser
        finally:
            browser.close()


def save_png(raw: bytes, path: Path) -> None:
    """Write the screenshot, in 256 colours (no dithering: flat colours and text stay crisp) if Pillow is there."""
    try:
        from PIL import Image
    except ImportError:
        path.write_bytes(raw)
        return
    import io

    image = Image.open(io.BytesIO(raw)).convert("RGB")
    image.quantize(COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)


def shoot(browser: Any, base: str, pages: Sequence[SitePage], width: int, out: Path) -> list[Shot]:
    """Open each page at ``width`` px in one Danish browser context and save ``<name>-<width>.png``."""
    context = browser.new_context(locale="da-DK", viewport={"width": width, "height": HEIGHT}, base_url=base)
    shots = []
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        problems: list[str] = []
        page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 500 else None)
        for site_page in pages:
            problems.clear()
            response = page.goto(site_page.path, wait_until="networkidle")
            status = response.status if response is not None else None
            if status != site_page.status:
                problems.append(f"status {status}, expected {site_page.status}")
            elif status >= 400:  # an error page on purpose: Chromium logs its status as a console error
                problems[:] = [p for p in problems if f"status of {status} " not in p]
            if site_page.sparql_results:
                run_first_sparql_example(page)
                page.wait_for_load_state("networkidle")
            height = int(page.evaluate("document.documentElement.scrollHeight"))
            # the SPARQL editor's results stand at the end of its page: its bottom 2,400 px
            top = max(0, height - MAX_HEIGHT) if site_page.sparql_results else 0
            raw = page.screenshot(full_page=True, clip={"x": 0, "y": top, "width": width,
                                                        "height": min(height, MAX_HEIGHT)})
            path = out / f"{site_page.name}-{width}.png"
            save_png(raw, path)
            shots.append(Shot(path, height, top, list(problems)))
    finally:
        context.close()
    return shots


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="folder for the PNGs")
    parser.add_argument("--build", type=Path, default=ROOT / "build" / "screenshots",
                        help="build folder for the bundled corpora (rebuilt; its cache kept between runs)")
    parser.add_argument("--no-build", action="store_true", help="serve --build as it is, without building first")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.no_build:
        build(args.build)
    token = secrets.token_urlsafe(16)
    shots: list[Shot] = []
    with chromium() as browser:
        with serve(args.build, env={"STRATEGIGRAF_SPARQL_TIMEOUT_S": "10"}) as server:
            pages = site_pages(server.base)
            for width in WIDTHS:
                shots += shoot(browser, server.base, pages, width, args.out)
        with serve(args.build, env={"STRATEGIGRAF_ADMIN_TOKEN": token}) as server:
            for width in WIDTHS:
                shots += shoot(browser, server.base, [UPLOAD], width, args.out)
    for shot in shots:
        kb = shot.path.stat().st_size / 1024
        part = "bottom" if shot.top else "top"
        cut = f", {part} {MAX_HEIGHT} of {shot.page_height} px" if shot.page_height > MAX_HEIGHT else ""
        print(f"{shot.path.relative_to(ROOT) if shot.path.is_relative_to(ROOT) else shot.path}  {kb:.0f} kB{cut}")
        for problem in shot.problems:
            print(f"  ! {problem}")
    written = {shot.path.name for shot in shots}
    total = sum(shot.path.stat().st_size for shot in shots)
    print(f"{len(shots)} screenshots, {total / 1024 / 1024:.2f} MB")
    for stale in sorted(p.name for p in args.out.glob("*.png") if p.name not in written):
        print(f"not written by this run (stale?): {args.out / stale}")
    return 1 if any(shot.problems for shot in shots) else 0


if __name__ == "__main__":
    sys.exit(main())
