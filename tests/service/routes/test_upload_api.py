"""service/routes/upload_api.py over HTTP without an admin token: the upload page and every upload endpoint answer
404 (what an upload does, through the app with a token on its own build: tests/service/test_upload.py)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_upload_is_disabled_without_an_admin_token(client: TestClient) -> None:
    assert client.get("/admin/dokumenter").status_code == 404
    assert "slået fra" in client.get("/admin/dokumenter").text
    response = client.post("/admin/documents", headers={"Authorization": "Bearer x"},
                           files={"file": ("a.txt", b"Tekst", "text/plain")})
    assert response.status_code == 404


def test_status_and_commit_are_404_without_a_token_too(client: TestClient) -> None:
    upload_id = "0" * 32
    assert client.get(f"/admin/documents/{upload_id}").status_code == 404
    assert client.post(f"/admin/documents/{upload_id}/commit", json={}).status_code == 404
