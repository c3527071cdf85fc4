"""Tests mirror the source tree one to one.

The rule, for the three packages ontology/, ingest/ and service/:

* every module has a test module at the mirrored path: ``ingest/a/b.py`` → ``tests/ingest/a/test_b.py``;
* a second (third …) test module on one module names an aspect after the module's name:
  ``tests/service/test_search_filters.py`` is about ``service/search.py``, its filters;
* a package whose ``__init__.py`` holds logic (a function or a class) is a module named after the package, tested
  inside the mirrored folder: ``ingest/analyse/__init__.py`` → ``tests/ingest/analyse/test_analyse.py``; an
  ``__init__.py`` that only imports, re-exports or declares constants needs no test module;
* a ``__main__.py`` that holds logic is the module ``main``: ``ingest/analyse/__main__.py`` →
  ``tests/ingest/analyse/test_main.py``;
* the ontology's Turtle files are modules too (they hold the classes, the shapes and the topics the code reads):
  ``ontology/shapes.ttl`` → ``tests/ontology/test_shapes.py``;
* pure data (``ingest/data/``, ``service/queries/``, ``*.toml``, templates, static files) has no test module of
  its own; the module that reads it tests it.

Every test module (``test_*.py``) is named after a module by that rule, except the browser tests of the running
service in ``tests/e2e/`` (named after what a user does) and the repository-wide tests of :data:`REPOSITORY_TESTS`.
Test modules of ``tests/benchmarks/`` are named after a module of ``benchmarks/`` (not every benchmark needs one).
Helpers beside the tests (``servers.py``, ``strategies.py``, ``support.py`` …) are not named ``test_*``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
PACKAGES = ("ontology", "ingest", "service")
"""The packages whose every module has a test module."""
NAMED_ONLY = ("benchmarks",)
"""Packages whose test modules must be named after one of their modules, without every module needing one."""
DATA_FILES = {"ontology": "*.ttl"}
"""Data files that count as modules, by package."""
UNMIRRORED = ("e2e", "data")
"""Folders of tests/ outside the rule: browser tests of the running service, and test data."""
REPOSITORY_TESTS = {
    "test_layers.py": "imports run one way and in no circle, over all three packages",
    "test_layout.py": "this rule",
    "test_docs.py": "README and docs/architecture.md name what the code has",
}
"""Test modules at the top of tests/ about the repository as a whole → what they check."""


def _has_logic(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for node in tree.body)


def source_modules(package: str) -> dict[Path, set[str]]:
    """Folder of ``package`` (relative to the root) → the module names in it that need a test module."""
    out: dict[Path, set[str]] = {}
    root = ROOT / package
    for path in sorted(root.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        folder = path.parent.relative_to(ROOT)
        if path.name == "__init__.py":
            name = path.parent.name
        elif path.name == "__main__.py":
            name = "main"
        else:
            name = path.stem
        if path.name in ("__init__.py", "__main__.py") and not _has_logic(path):
            continue
        out.setdefault(folder, set()).add(name)
    if pattern := DATA_FILES.get(package):
        for path in sorted(root.rglob(pattern)):
            out.setdefault(path.parent.relative_to(ROOT), set()).add(path.stem)
    return out


def module_of(test_name: str, modules: set[str]) -> str | None:
    """The module a test module called ``test_name`` (without ``.py``) is about, or None: the longest module name
    that equals the part after ``test_`` or is followed there by ``_<aspect>``."""
    if not test_name.startswith("test_"):
        return None
    rest = test_name.removeprefix("test_")
    named = [m for m in modules if rest == m or rest.startswith(m + "_")]
    return max(named, key=len) if named else None


def test_modules() -> list[Path]:
    """Every test module under tests/ that the rule covers (relative to tests/)."""
    found = []
    for path in sorted(TESTS.rglob("test_*.py")):
        rel = path.relative_to(TESTS)
        if rel.parts[0] in UNMIRRORED or "__pycache__" in rel.parts:
            continue
        found.append(rel)
    return found


test_modules.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def _mirrored_modules(rel: Path) -> set[str]:
    """The module names a test module at ``tests/<rel>`` may be named after."""
    folder = rel.parent
    package = folder.parts[0] if folder.parts else ""
    if package in PACKAGES:
        return source_modules(package).get(folder, set())
    if package in NAMED_ONLY:
        return {p.stem for p in (ROOT / folder).glob("*.py") if not p.name.startswith("__")}
    return set()


def test_every_module_has_a_test_module_at_the_mirrored_path() -> None:
    tested = {(rel.parent, module_of(rel.stem, _mirrored_modules(rel))) for rel in test_modules()}
    missing = sorted(f"{folder / name} → tests/{folder}/test_{name}.py"
                     for package in PACKAGES
                     for folder, names in source_modules(package).items()
                     for name in names
                     if (folder, name) not in tested)
    assert not missing, "modules without a test module:\n" + "\n".join(missing)


def test_every_module_has_its_main_test_module() -> None:
    """An aspect (``test_search_filters.py``) comes beside ``test_search.py``, not instead of it."""
    present = {rel.with_suffix("") for rel in test_modules()}
    aspects_only = sorted(f"tests/{folder}/test_{name}.py"
                          for package in PACKAGES
                          for folder, names in source_modules(package).items()
                          for name in names
                          if folder / f"test_{name}" not in present
                          and any(p.parent == folder and module_of(p.name, names) == name for p in present))
    assert not aspects_only, "aspects without the main test module:\n" + "\n".join(aspects_only)


def test_every_test_module_is_named_after_a_module() -> None:
    stray = []
    for rel in test_modules():
        if len(rel.parts) == 1:
            if rel.name not in REPOSITORY_TESTS:
                stray.append(f"tests/{rel}: not a repository-wide test (REPOSITORY_TESTS)")
            continue
        if module_of(rel.stem, _mirrored_modules(rel)) is None:
            folder = rel.parent
            stray.append(f"tests/{rel}: no module {folder}/{rel.stem.removeprefix('test_')}.py "
                         f"(nor one its name starts with)")
    assert not stray, "test modules named after no module:\n" + "\n".join(stray)


@pytest.mark.parametrize(("test_name", "modules", "expected"), [
    ("test_search", {"search", "search_api"}, "search"),
    ("test_search_filters", {"search"}, "search"),
    ("test_overlap_detection", {"overlap", "overlap_detection"}, "overlap_detection"),
    ("test_overlap_detection_pairs", {"overlap", "overlap_detection"}, "overlap_detection"),
    ("test_searching", {"search"}, None),
    ("test_fuzz", {"app", "search"}, None),
    ("conftest", {"conftest"}, None),
])
def test_a_test_module_is_matched_to_the_longest_module_its_name_starts_with(
        test_name: str, modules: set[str], expected: str | None) -> None:
    assert module_of(test_name, modules) == expected


def test_the_rule_sees_packages_with_logic_data_files_and_skips_bare_inits() -> None:
    ingest = source_modules("ingest")
    assert "analyse" in ingest[Path("ingest/analyse")]  # __init__.py with run_analysis
    assert "main" in ingest[Path("ingest/analyse")]  # __main__.py with main()
    assert "index" not in ingest.get(Path("ingest/index"), set())  # an __init__.py of one docstring
    assert {"shapes", "strategigraf", "topics"} <= source_modules("ontology")[Path("ontology")]
