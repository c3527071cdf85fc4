"""Reading source texts for node pages, cached, and only files the build itself names."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ingest.config import Settings
from service.browse import read_source_text
from service.generation import Generation


@lru_cache(maxsize=64)
def _cached(corpora_dir: str, file: str, sha: str) -> str | None:
    try:
        return read_source_text(Path(corpora_dir), file)
    except (OSError, PermissionError, ValueError):
        return None


def source_text_for(settings: Settings, gen: Generation, file: str) -> str | None:
    """Decoded source text of a file named in the build's manifest (None when it is not, or unreadable)."""
    known = {c["file"]: c["sha256"] for c in gen.manifest.get("corpora", {}).values()}
    if file not in known:
        return None
    return _cached(str(settings.corpora_dir), file, known[file])
