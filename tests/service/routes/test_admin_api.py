"""service/routes/admin_api.py: the admin endpoints are off without a token, and a bearer token is checked in
constant time before anything runs (what a rebuild does: tests/service/test_rebuild.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.generation import Generation
from service.problems import Problem
from service.routes.admin_api import require_token
from service.settings import ServiceSettings
from service.state import ServiceState
from tests.service.conftest import ADMIN_TOKEN


def test_admin_is_disabled_without_a_configured_token(client: TestClient) -> None:
    for method, path in (("post", "/admin/rebuild"), ("get", "/admin/rebuild")):
        response = client.request(method, path, headers={"Authorization": "Bearer anything"})
        assert response.status_code == 404, path
        assert "disabled" in response.json()["detail"]


def test_wrong_or_missing_token_is_401(admin_app: tuple[TestClient, Path, Path]) -> None:
    client, _, _ = admin_app
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {ADMIN_TOKEN}"}):
        for method in ("post", "get"):
            response = client.request(method, "/admin/rebuild", headers=headers)
            assert response.status_code == 401
            assert response.headers["www-authenticate"].startswith("Bearer")
    status = client.get("/admin/rebuild", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert status.status_code == 200 and status.json()["state"] == "idle"


@pytest.mark.parametrize("given", [None, "", "Bearer", f"Bearer {ADMIN_TOKEN}x", f"Bearer {ADMIN_TOKEN[:-1]}",
                                   f"Token {ADMIN_TOKEN}", ADMIN_TOKEN])
def test_only_the_exact_bearer_token_passes(settings: ServiceSettings, generation: Generation,
                                            given: str | None) -> None:
    state = ServiceState(settings=settings.model_copy(update={"admin_token": ADMIN_TOKEN}),
                         embedder=generation.embedder)
    with pytest.raises(Problem) as caught:
        require_token(state, given)
    assert caught.value.status == 401
    require_token(state, f"Bearer {ADMIN_TOKEN}")
    require_token(state, f"bearer   {ADMIN_TOKEN} ")  # the scheme is case-insensitive, spaces around are trimmed
