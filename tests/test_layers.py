"""Imports run one way: ontology ← ingest ← service (the command line is service/cli.py, on top), and no two
modules of the three packages import each other, directly or round a circle.

The import graph is read from the source (ast), module to module. Which imports count:

* every import a module runs when it is imported: the top level, including ``if`` and ``try`` blocks. A
  circle of these can fail at start-up with a half-initialised module; none is allowed;
* imports inside functions too: deferring an import is the usual way to hide a circle (the one cut between
  service/deps.py, service/rebuild.py and the SPARQL route ran through one). Only the deferred imports in
  :data:`DEFERRED` may close a circle, each with its reason;
* not those under ``if TYPE_CHECKING:``: they never run and name types only.

A package's ``__init__`` counts as the module of the package; importing ``a.b`` is not counted as importing
``a`` too (a package that re-exports its modules would otherwise always be in a circle with them).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BELOW = {"ontology": set(), "ingest": {"ontology"}, "service": {"ontology", "ingest"}}

DEFERRED = {
    ("ingest.read.detect", reader): "the dispatcher loads each reader (and its libraries) only for a file of its kind"
    for reader in ("ingest.read.pdf", "ingest.read.docx", "ingest.read.html", "ingest.read.text")
}
"""Imports inside functions allowed to close a circle: (importing module, imported module) → why."""


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & set(BELOW)


@pytest.mark.parametrize("package", sorted(BELOW))
def test_no_module_imports_a_layer_above_its_own(package: str) -> None:
    upward = {str(p.relative_to(ROOT)): sorted(found)
              for p in sorted((ROOT / package).rglob("*.py"))
              if (found := _imported_packages(p) - BELOW[package] - {package})}
    assert not upward, upward


# ------------------------------------------------------------------------------------------------------
# Import circles
# ------------------------------------------------------------------------------------------------------


def _modules() -> dict[str, Path]:
    """Dotted module name → file, for every module of the three packages."""
    out: dict[str, Path] = {}
    for package in BELOW:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[tuple[str, bool]]:
    """(imported module of the three packages, whether the import is inside a function) for module ``name``."""

    def known(dotted: str) -> str | None:
        while dotted and dotted not in modules:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[tuple[str, bool]] = set()

    def visit(node: ast.AST, deferred: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for rest in child.orelse:
                    visit(rest, deferred)
                continue
            if isinstance(child, ast.Import):
                found.update((m, deferred) for alias in child.names if (m := known(alias.name)))
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parts = package.split(".")
                    parts = parts[:len(parts) - (child.level - 1)]
                    base = ".".join([*parts, base] if base else parts)
                for alias in child.names:  # ``from a import b`` imports module a.b when there is one
                    target = f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else known(base)
                    if target:
                        found.add((target, deferred))
            visit(child, deferred or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return {(m, d) for m, d in found if m != name}


def import_graph(*, deferred: bool) -> dict[str, set[str]]:
    """Module → the modules it imports; with ``deferred``, imports inside functions too (less :data:`DEFERRED`)."""
    modules = _modules()
    return {name: {m for m, inside in _imports(name, path, modules)
                   if not inside or (deferred and (name, m) not in DEFERRED)}
            for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:  # recursion depth is bounded by the longest import chain
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return sorted(found)


def test_circles_are_found() -> None:
    """The detector itself: the circle this test was written against, and a clean chain."""
    assert circles({"service.deps": {"service.rebuild"}, "service.rebuild": {"service.routes.sparql_api"},
                    "service.routes.sparql_api": {"service.deps"}, "service.app": {"service.deps"}}) == [
        ["service.deps", "service.rebuild", "service.routes.sparql_api"]]
    assert circles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_the_import_graph_is_read_from_the_source() -> None:
    graph = import_graph(deferred=True)
    assert "service.sparql.errors" in graph["service.sparql.guard"]  # from a.b import name
    assert "service.state" in graph["service.rebuild"]
    assert "service.deps" not in graph["service.rebuild"]


def test_no_circle_among_imports_made_at_import_time() -> None:
    assert circles(import_graph(deferred=False)) == []


def test_no_circle_through_deferred_imports() -> None:
    assert circles(import_graph(deferred=True)) == [], f"only these deferred imports may close one: {DEFERRED}"
