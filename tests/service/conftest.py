"""Fixtures of the service's tests beyond the session's (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

ADMIN_TOKEN = "s3cret-token-for-tests"


@pytest.fixture
def admin_app(scratch_corpus: Path, tmp_path: Path, build_dir: Path) -> Iterator[tuple[TestClient, Path, Path]]:
    """The app with an admin token over its own build of a writable copy of corpora/ (sharing the session's
    caches): (client, corpus folder, build folder). A rebuild or a changed corpus touches nothing shared."""
    from ingest.build import BuildOptions, run_build
    from service.app import create_app
    from service.settings import ServiceSettings

    build = tmp_path / "build"
    run_build(BuildOptions(corpora_dir=scratch_corpus, build_dir=build, cache_dir=build_dir / "cache"))
    settings = ServiceSettings(build_dir=build, corpora_dir=scratch_corpus, cache_dir=build_dir / "cache",
                               admin_token=ADMIN_TOKEN)
    with TestClient(create_app(settings)) as client:
        yield client, scratch_corpus, build
