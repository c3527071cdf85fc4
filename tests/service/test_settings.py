"""The service's settings: the build's plus the service's own, from the same variables and .env file."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from ingest.config import BuildSettings
from service.settings import ServiceSettings, get_settings

ROOT = Path(__file__).resolve().parents[2]


pytestmark = pytest.mark.usefixtures("no_settings_env")


def test_service_settings_extend_the_build_settings() -> None:
    s = ServiceSettings()
    assert isinstance(s, BuildSettings)
    assert set(BuildSettings.model_fields) < set(ServiceSettings.model_fields)
    assert (s.host, s.port, s.admin_token, s.cors_origins) == ("127.0.0.1", 8000, None, [])
    assert (s.max_body_bytes, s.max_upload_bytes) == (1_000_000, 50 * 1024 * 1024)
    assert (s.sparql_timeout_s, s.sparql_max_rows, s.max_sparql_chars, s.max_query_chars) == (10.0, 10_000,
                                                                                            20_000, 1_000)


def test_environment_sets_build_and_service_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRATEGIGRAF_BUILD_DIR", "/srv/builds")
    monkeypatch.setenv("STRATEGIGRAF_PORT", "8106")
    monkeypatch.setenv("STRATEGIGRAF_CORS_ORIGINS", '["https://example.dk"]')
    monkeypatch.setenv("STRATEGIGRAF_ADMIN_TOKEN", "hemmelig")
    s = ServiceSettings()
    assert (s.build_dir, s.port, s.cors_origins, s.admin_token) == (Path("/srv/builds"), 8106,
                                                                   ["https://example.dk"], "hemmelig")


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("STRATEGIGRAF_SPARQL_TIMEOUT_S=2.5\nSTRATEGIGRAF_INDEX_KIND=flat\n",
                                   encoding="utf-8")
    s = ServiceSettings()
    assert (s.sparql_timeout_s, s.index_kind) == (2.5, "flat")


@pytest.mark.parametrize(("name", "value"), [("port", 0), ("sparql_timeout_s", 0), ("sparql_timeout_s", 301),
                                             ("max_body_bytes", 0), ("index_kind", "ivf")])
def test_out_of_range_values_are_refused(name: str, value: object) -> None:
    with pytest.raises(ValidationError, match=name):
        ServiceSettings(**{name: value})


def test_get_settings_reads_once(monkeypatch: pytest.MonkeyPatch) -> None:
    get_settings.cache_clear()
    try:
        monkeypatch.setenv("STRATEGIGRAF_PORT", "8106")
        first = get_settings()
        monkeypatch.setenv("STRATEGIGRAF_PORT", "8107")
        assert get_settings() is first
        assert first.port == 8106
    finally:
        get_settings.cache_clear()


def test_env_example_names_every_setting() -> None:
    """.env.example documents every variable the service reads (and no unknown one)."""
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    named = {line.lstrip("# ").split("=", 1)[0] for line in text.splitlines() if "=" in line}
    expected = {"STRATEGIGRAF_" + field.upper() for field in ServiceSettings.model_fields}
    assert expected == {name for name in named if name.startswith("STRATEGIGRAF_")}


def test_every_field_is_described() -> None:
    assert all(field.description for field in ServiceSettings.model_fields.values())
