"""Reading source texts for node pages, cached, and only files the build itself names.

A generation stores the text every node's offsets point into (``sources/<document id>.txt``: the decoded file,
or the text extracted from a PDF, Word file or web page). Older generations without that folder fall back to
decoding the corpus file, which works for text files only.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from service.browse import read_source_text
from service.generation import Generation
from service.settings import ServiceSettings


@lru_cache(maxsize=64)
def _cached(generation: str, stored: str | None, corpora_dir: str, file: str, sha: str) -> str | None:
    try:
        if stored is not None:
            path = Path(generation) / stored
            if path.is_file():
                return path.read_text(encoding="utf-8")
        return read_source_text(Path(corpora_dir), file)
    except (OSError, PermissionError, ValueError):
        return None


def source_text_for(settings: ServiceSettings, gen: Generation, file: str) -> str | None:
    """Source text of a file named in the build's manifest (None when it is not, or unreadable)."""
    for entry in gen.manifest.get("corpora", {}).values():
        if entry["file"] == file:
            stored = entry.get("text")
            if stored is not None and (".." in Path(stored).parts or Path(stored).is_absolute()):
                return None
            return _cached(str(gen.path), stored, str(settings.corpora_dir), file, entry["sha256"])
    return None
