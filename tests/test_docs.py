"""The README and the docs say what the code has: every endpoint of the app and every command of the command line
is listed in the README (and nothing listed that is gone), every exit code documented, and every file or module
path the docs name exists."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from ingest import errors
from service.app import create_app
from service.cli import app as cli_app
from service.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))

UNLISTED = {
    "/docs/oauth2-redirect": "FastAPI's own helper page of /docs",
    "/sparql/": "the trailing-slash alias of /sparql (the README says so in the /sparql row)",
}
"""Routes the README need not list, with why."""
ROW = re.compile(r"^\| ([A-Z][A-Z, ]*) \| `([^`]+)` \|", re.M)


def _routes(routes: Iterable[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) of every route, through included routers (FastAPI includes them lazily)."""
    for route in routes:
        if hasattr(route, "original_router"):
            yield from _routes(route.original_router.routes, prefix + route.include_context.prefix)
            continue
        path = re.sub(r"\{(\w+):path\}", r"{\1}", prefix + route.path)
        for method in sorted(set(getattr(route, "methods", None) or ()) - {"HEAD"}):
            yield method, path


def app_routes() -> set[tuple[str, str]]:
    return {(m, p) for m, p in _routes(create_app(ServiceSettings()).routes) if p not in UNLISTED}


def readme_routes() -> set[tuple[str, str]]:
    """(method, path) of every row of the README's endpoint tables: ``| GET, POST | `/sparql` | … |``."""
    return {(method.strip(), path) for methods, path in ROW.findall(README.read_text(encoding="utf-8"))
            for method in methods.split(",")}


def test_the_routes_are_read_through_included_routers() -> None:
    routes = app_routes()
    assert ("GET", "/search") in routes and ("POST", "/sparql") in routes and ("GET", "/nodes/{node_path}") in routes
    assert len(routes) > 30


def test_the_readme_lists_every_endpoint() -> None:
    missing = sorted(app_routes() - readme_routes())
    assert not missing, f"endpoints the README does not list: {missing}"


def test_the_readme_lists_no_endpoint_the_app_lacks() -> None:
    stale = sorted(readme_routes() - app_routes())
    assert not stale, f"the README lists endpoints the app does not have: {stale}"


def _commands() -> dict[str, set[str]]:
    """Command name → its option names, from the Typer app."""
    group = typer.main.get_command(cli_app)
    return {name: {opt for p in cmd.params for opt in p.opts if opt.startswith("-")}
            for name, cmd in group.commands.items()}  # type: ignore[attr-defined]


def _readme_command_lines() -> list[str]:
    return [line for line in README.read_text(encoding="utf-8").splitlines()
            if line.startswith(".venv/bin/strategigraf ")]


def test_the_readme_shows_every_command() -> None:
    shown = {line.split()[1] for line in _readme_command_lines()}
    assert set(_commands()) == shown, f"not shown: {sorted(set(_commands()) - shown)}; " \
                                      f"no such command: {sorted(shown - set(_commands()))}"


def test_every_option_the_readme_shows_is_an_option_of_its_command() -> None:
    commands = _commands()
    wrong = []
    for line in _readme_command_lines():
        name, code = line.split()[1], line.split("#", 1)[0]
        wrong += [f"{name} {opt}" for opt in re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", code)
                  if opt not in commands[name]]
    assert not wrong, wrong


def test_the_readme_documents_every_exit_code() -> None:
    text = README.read_text(encoding="utf-8")
    paragraph = text[text.index("Exit codes:"):].split("\n\n", 1)[0]
    documented = {int(n) for n in re.findall(r"(?<![\w.])(\d+) [a-zA-Z]", paragraph)}
    codes = {cls.exit_code for cls in vars(errors).values()
             if isinstance(cls, type) and issubclass(cls, errors.IngestError)}
    assert codes | {0, 130} == documented


PATH = re.compile(r"(?<![\w./-])((?:ontology|ingest|service|tests|benchmarks|docs|corpora)/[\w./-]*\w)")
"""A path under one of the project's folders, as the docs write it (``service/state.py``, ``tests/data/eval/``)."""
DOTTED = re.compile(r"`((?:ontology|ingest|service)(?:\.\w+)+)`")


def _named_paths(text: str) -> set[str]:
    """The paths ``text`` names, less patterns (``test_<module>.py``, ``yasgui.min.{js,css}``, ``*.ttl``, ``…``)."""
    return {m.group(1).rstrip(".") for m in PATH.finditer(text)
            if text[m.end():m.end() + 2].lstrip(".")[:1] not in ("<", "{", "*", "…")
            and not m.group(1).endswith(("_", "-"))}


@pytest.mark.parametrize("doc", [README, *DOCS], ids=lambda p: p.name)
def test_every_path_a_doc_names_exists(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    missing = sorted(p for p in _named_paths(text) if not (ROOT / p).exists()
                     and not (ROOT / p.split("::")[0]).exists())
    assert not missing, f"{doc.name} names paths that do not exist: {missing}"


@pytest.mark.parametrize("doc", [README, ROOT / "docs" / "architecture.md"], ids=lambda p: p.name)
def test_every_module_a_doc_names_by_its_dotted_name_exists(doc: Path) -> None:
    missing = []
    for dotted in DOTTED.findall(doc.read_text(encoding="utf-8")):
        parts = dotted.split(".")
        candidates = [ROOT.joinpath(*parts[:i]) for i in range(len(parts), 0, -1)]
        if not any(c.with_suffix(".py").is_file() or (c / "__init__.py").is_file() for c in candidates[:2]):
            missing.append(dotted)
    assert not missing, missing
