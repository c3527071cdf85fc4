"""``python -m ingest.analyse [BUILD_DIR] [LABELS]``: container scores of a build against judged container pairs
(default tests/data/eval/own_overlaps.json; see docs/overlaps.md). A command on top of the analyse stage, kept out
of the stage's modules because it reads a finished build (ingest.build imports the stage)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from ingest.analyse.overlap_detection import JUDGEMENTS, judge_container_pairs, judged_figures
from ingest.build import current_generation, load_records


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ingest.analyse [BUILD_DIR] [LABELS]``: the judged container pairs of LABELS
    (default tests/data/eval/own_overlaps.json) against the current generation of BUILD_DIR (default build/)."""
    args = list(sys.argv[1:] if argv is None else argv)
    build_dir = Path(args[0]) if args else Path("build")
    labels_file = Path(args[1]) if len(args) > 1 else Path("tests/data/eval/own_overlaps.json")
    generation = current_generation(build_dir)
    if generation is None:
        print(f"no current generation in {build_dir}", file=sys.stderr)
        return 2
    _, nodes = load_records(generation)
    analysis = json.loads((generation / "analysis.json").read_text(encoding="utf-8"))
    labels = json.loads(labels_file.read_text(encoding="utf-8"))["pairs"]
    judged = judge_container_pairs(nodes, labels, analysis["container_scores"], analysis["overlaps"])
    name = {n.id: (n.label or n.text) for n in nodes}
    order = {j: k for k, j in enumerate(JUDGEMENTS)}
    for p in sorted(judged, key=lambda p: (order[p.judgement], -p.score)):
        print(f"{p.judgement:8} {p.score:.3f} {p.listed or '-':8} {name[p.a][:40]:40} | {name[p.b][:40]}")
    print(json.dumps(judged_figures(judged), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
