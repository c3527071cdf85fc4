"""service/pages/error_pages.py: a problem as a Danish page on the site's layout, its technical detail folded away,
the way on linked, and the security headers (which problems get which wording: tests/service/test_problems.py and
test_problem_messages.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.testclient import TestClient

from service.pages import views
from service.pages.error_pages import render_error_page
from service.problem_messages import Wording


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = FastAPI()
    app.include_router(views.router)  # the layout links the static files by route name

    @app.get("/fejl/{status}")
    def error(request: Request, status: int, technical: str | None = None) -> Response:
        return render_error_page(request, status, Wording(title="Ugyldige oplysninger",
                                                          detail="Fra-året må ikke ligge efter til-året.",
                                                          technical=technical))

    with TestClient(app) as test_client:
        yield test_client


def test_the_page_has_the_status_and_the_danish_title_and_detail(client: TestClient) -> None:
    page = client.get("/fejl/422")
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "<h1>Ugyldige oplysninger</h1>" in page.text
    assert "Fra-året må ikke ligge efter til-året." in page.text
    assert 'href="/hjaelp"' in page.text and 'href="/dokumenter"' in page.text
    assert "Teknisk besked" not in page.text  # nothing to fold away
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_a_technical_message_is_folded_and_marked_english(client: TestClient) -> None:
    page = client.get("/fejl/400", params={"technical": "error at 1:5: expected <WHERE>"})
    assert "<summary>Teknisk besked</summary>" in page.text
    assert '<code lang="en">error at 1:5: expected &lt;WHERE&gt;</code>' in page.text


def test_a_server_error_says_to_try_again(client: TestClient) -> None:
    assert "Fejlkode 503" in client.get("/fejl/503").text
    assert "Fejlkode" not in client.get("/fejl/404").text
