"""Imports run one way: ontology ← ingest ← service (the command line is service/cli.py, on top)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BELOW = {"ontology": set(), "ingest": {"ontology"}, "service": {"ontology", "ingest"}}


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
