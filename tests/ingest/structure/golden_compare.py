"""Compare the recogniser's tree of each bundled text with the golden structure of the old layout parsers.

Run ``.venv/bin/python tests/ingest/structure/golden_compare.py [doc-id ...] [-v]`` for the mismatch counts;
tests/ingest/structure/test_recognise_five_texts.py asserts them. A node matches when a node with the same key exists
with the same kind and label; text, segments and parent are counted separately.
"""

from __future__ import annotations

import json
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.model import Node  # noqa: E402
from ingest.read.text import read_text_document  # noqa: E402
from ingest.structure.recognise import recognise  # noqa: E402

GOLDEN = ROOT / "tests" / "data" / "golden-structure.json"
CORPORA = ROOT / "corpora"


@dataclass
class Comparison:
    """Mismatches of one document against the golden structure."""

    doc: str
    missing: list[str] = field(default_factory=list)
    """Golden keys the recogniser did not produce."""
    extra: list[str] = field(default_factory=list)
    """Keys the recogniser produced that the golden lacks."""
    kind_or_label: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    parent: list[str] = field(default_factory=list)
    attrs: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    """Parents whose children (or the document's top-level nodes) come in another order."""
    themes_equal: bool = True

    @property
    def node_mismatches(self) -> int:
        """Nodes missing, extra, or of another kind or label (the structure, without text and spans)."""
        return len(self.missing) + len(self.extra) + len(self.kind_or_label)

    def summary(self) -> str:
        return (f"{self.doc}: node mismatches {self.node_mismatches} (missing {len(self.missing)}, "
                f"extra {len(self.extra)}, kind/label {len(self.kind_or_label)}); text {len(self.text)}, "
                f"segments {len(self.segments)}, parent {len(self.parent)}, attrs {len(self.attrs)}, "
                f"links {len(self.links)}, order {len(self.order)}, themes equal {self.themes_equal}")


def _flatten_golden(nodes: list[dict], parent: str | None, out: dict[str, tuple[dict, str | None]]) -> None:
    for n in nodes:
        out[n["key"]] = (n, parent)
        _flatten_golden(n["children"], n["key"], out)


def _flatten(nodes: list[Node], parent: str | None, out: dict[str, tuple[Node, str | None]]) -> None:
    for n in nodes:
        out[n.key] = (n, parent)
        _flatten(n.children, n.key, out)


def document_files() -> dict[str, str]:
    with (CORPORA / "manifest.toml").open("rb") as fh:
        manifest = tomllib.load(fh)
    return {d["id"]: d["file"] for d in manifest["document"]}


def read_source_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def compare(doc_id: str) -> Comparison:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))[doc_id]
    file = document_files()[doc_id]
    text = read_source_text(CORPORA / file)
    parsed = recognise(read_text_document(text), file=file)
    want: dict[str, tuple[dict, str | None]] = {}
    _flatten_golden(golden["nodes"], None, want)
    got: dict[str, tuple[Node, str | None]] = {}
    _flatten(parsed.nodes, None, got)
    result = Comparison(doc=doc_id, themes_equal=sorted(golden["themes"]) == sorted(parsed.themes))
    for key, (g, gparent) in want.items():
        if key not in got:
            result.missing.append(key)
            continue
        n, nparent = got[key]
        if g["kind"] != str(n.kind) or g["label"] != n.label:
            result.kind_or_label.append(f"{key}: {g['kind']} {g['label']!r} != {n.kind} {n.label!r}")
        if g["text"] != n.text:
            result.text.append(f"{key}: {g['text'][:60]!r} != {n.text[:60]!r}")
        if [tuple(s) for s in g["segments"]] != [tuple(s) for s in n.segments]:
            result.segments.append(f"{key}: {g['segments'][:3]} != {n.segments[:3]}")
        if gparent != nparent:
            result.parent.append(f"{key}: {gparent} != {nparent}")
        if g["attrs"] != n.attrs:
            result.attrs.append(f"{key}: {g['attrs']} != {n.attrs}")
        if [tuple(x) for x in g["links"]] != [tuple(x) for x in n.links]:
            result.links.append(f"{key}: {g['links']} != {n.links}")
        if [c["key"] for c in g["children"]] != [c.key for c in n.children]:
            result.order.append(key)
    if [n["key"] for n in golden["nodes"]] != [n.key for n in parsed.nodes]:
        result.order.append("(document)")
    result.extra = [f"{k}: {n.kind} {n.label or n.text[:50]!r}" for k, (n, _) in got.items() if k not in want]
    return result


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    ids = [a for a in argv if not a.startswith("-")] or list(document_files())
    total = 0
    for doc_id in ids:
        result = compare(doc_id)
        total += result.node_mismatches
        print(result.summary())
        if verbose:
            for name in ("missing", "extra", "kind_or_label", "text", "segments", "parent", "attrs", "links", "order"):
                for line in getattr(result, name)[:40]:
                    print(f"  {name}: {line}")
    print(f"total node mismatches: {total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
