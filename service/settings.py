"""The service's settings: the build's (the service rebuilds and adds documents) plus where it listens, who may
administer it, and the limits it enforces; read from STRATEGIGRAF_* environment variables or a .env file."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field

from ingest.config import BuildSettings


class ServiceSettings(BuildSettings):
    """Build settings plus the service's own; each field documents itself in .env.example."""

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
    embed_lanes: int | None = Field(None, ge=1, description="Threads that embed queries side by side under load, "
                                    "each with a single-threaded instance of the model; default one per core, 1: "
                                    "every query on one thread with the model's whole thread team")
    max_body_bytes: int = Field(1_000_000, ge=1, description="Largest accepted request body, bytes")
    max_upload_bytes: int = Field(50 * 1024 * 1024, ge=1, description="Largest original file accepted by "
                                  "the upload (POST /admin/documents), bytes")


@lru_cache(maxsize=1)
def get_settings() -> ServiceSettings:
    """The process's settings, read once."""
    return ServiceSettings()
