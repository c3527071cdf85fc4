"""The example-query catalogue shipped in ``service/queries``: ``catalogue.toml`` lists each query's id,
Danish title and description; ``<id>.rq`` holds its text. Shown at /sparql/examples and /sparql-editor."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Example:
    """One example query: id (its file name), Danish title and description, and the query text."""

    id: str
    title: str
    description: str
    query: str


def load_catalogue() -> list[Example]:
    """The example queries listed in ``queries/catalogue.toml``, each read from ``<id>.rq``, in catalogue order."""
    root = resources.files("service").joinpath("queries")
    catalogue = tomllib.loads(root.joinpath("catalogue.toml").read_text(encoding="utf-8"))
    return [Example(id=entry["id"], title=entry["title"], description=entry["description"],
                    query=root.joinpath(f"{entry['id']}.rq").read_text(encoding="utf-8"))
            for entry in catalogue["query"]]


def as_dicts(examples: Iterable[Example]) -> list[dict[str, str]]:
    """The examples as JSON objects (GET /sparql/examples)."""
    return [{"id": e.id, "title": e.title, "description": e.description, "query": e.query} for e in examples]


@lru_cache(maxsize=1)
def catalogue() -> list[dict[str, str]]:
    """The catalogue as JSON objects, read once: what /sparql/examples and the /sparql-editor page show."""
    return as_dicts(load_catalogue())
