"""The bad web-page fixtures of tests/ingest/read/test_html.py, and the page variant it derives.

Run from the repository root: ``.venv/bin/python tests/data/read/html/make_fixtures.py``.

``handicappolitik-holbaek.html`` is written by hand, as Holbæk Kommune's site would serve it (cookie banner,
skip link, menu, breadcrumbs, share and print toolbar, sidebar, feedback box, footer, scripts). From it the
test derives in memory (:func:`without_main`) the same page without ``<main>``/``<article>`` (plain ``div``s), so
the reader has to find the densest content container itself, in Windows-1252 with a ``<meta http-equiv>``
charset. Written to ``bad/``:

- ``bad/xxe.xhtml``: an XHTML page declaring an external entity (``file:///etc/passwd``) and using it;
- ``bad/billion-laughs.html``: nested entity declarations (entity expansion) in the DOCTYPE.
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent


def without_main(page: str) -> bytes:
    """The page as an older CMS would serve it: no landmarks, Windows-1252."""
    page = re.sub(r"<main\b[^>]*>", '<div class="wrapper">', page).replace("</main>", "</div>")
    page = re.sub(r"<article\b[^>]*>", '<div class="col-md-8">', page).replace("</article>", "</div>")
    page = page.replace('<meta charset="utf-8">',
                        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">')
    return page.replace("FN’s", "FN's").encode("cp1252")


def xxe() -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!DOCTYPE html [\n  <!ENTITY adgang SYSTEM "file:///etc/passwd">\n]>\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" lang="da"><head><title>Psykiatripolitik</title></head>\n'
            '<body><main><h1>Psykiatripolitik</h1><p>&adgang;</p></main></body></html>\n')


def billion_laughs() -> str:
    entities = ['  <!ENTITY ha "ha">']
    for i in range(1, 10):
        prev = "&ha;" if i == 1 else f"&ha{i - 1};"
        entities.append(f'  <!ENTITY ha{i} "{prev * 10}">')
    return ("<!DOCTYPE html [\n" + "\n".join(entities) + "\n]>\n"
            '<html lang="da"><head><title>Ældrepolitik</title></head>'
            "<body><main><h1>Ældrepolitik</h1><p>&ha9;</p></main></body></html>\n")


def main() -> None:
    bad = HERE / "bad"
    bad.mkdir(exist_ok=True)
    (bad / "xxe.xhtml").write_text(xxe(), encoding="utf-8")
    (bad / "billion-laughs.html").write_text(billion_laughs(), encoding="utf-8")


if __name__ == "__main__":
    main()
