"""Measure Danish compound handling in the keyword index on the real corpora.

Compares the compound modes of :class:`ingest.index.lexical.LexicalIndex` ("none" = stems only, "split" =
vocabulary splitting with and without the unknown-first-part fallback and the query-time expansion to
index terms containing the query word as a part, "ngram" = character n-grams) on the paragraphs of
``corpora/*.txt``.

Relevance (independent of every mode): a paragraph is relevant to a one-word query when one of its
words contains the query's Snowball stem, or the query word itself when the stem is shorter than 5
letters ("netværk" is relevant to a paragraph with "netværksinddragelse" or "ambassadørnetværket";
"bolig", stem "bol", is looked for as "bolig"). The queries were chosen so that this substring test
has few accidental hits (the town names Viborg/Silkeborg are not, for "borger"). Reported per mode, macro-averaged over the queries:

* set precision / recall / F1 of everything returned (``search`` returns only scores > 0);
* P@10 and average precision (AP) of the ranking;
* terms in the index, bytes on disk, build time, mean query time.

Run:  .venv/bin/python benchmarks/compound_split.py [--repeat 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.index.lexical import LexicalIndex, stem, word_spans  # noqa: E402

QUERIES = [
    "netværk", "pårørende", "inddragelse", "bolig", "misbrug", "psykiatri", "frivillig", "handicap",
    "beskæftigelse", "rehabilitering", "sundhed", "kompetence", "samarbejde", "tilbud", "politik",
    "strategi", "området", "kvalitet", "udvalget", "borger",
]

MODES: list[tuple[str, dict[str, Any]]] = [
    ("none (stems only)", {"mode": "none"}),
    ("none + query-time part expansion", {"mode": "none", "expand": True}),
    ("split, known parts only", {"mode": "split", "unknown_head": False, "expand": False}),
    ("split + unknown first part", {"mode": "split", "unknown_head": True, "expand": False}),
    ("split + unknown first part + expansion (default)", {"mode": "split"}),
    ("ngram n=3", {"mode": "ngram", "ngram_n": 3}),
    ("ngram n=4", {"mode": "ngram", "ngram_n": 4}),
    ("ngram n=5", {"mode": "ngram", "ngram_n": 5}),
]


@dataclass
class Row:
    mode: str
    precision: float
    recall: float
    f1: float
    p_at_10: float
    ap: float
    returned: float
    terms: int
    disk_bytes: int
    build_ms: float
    query_ms: float


def paragraphs() -> list[str]:
    out: list[str] = []
    for f in sorted((ROOT / "corpora").glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        out.extend(p.strip() for p in re.split(r"\n\s*\n", text) if len(p.strip()) >= 20)
    return out


def relevant(query: str, docs: list[str]) -> set[int]:
    s = stem(query)
    if len(s) < 5:  # "bolig" stems to "bol", which would make "håndboldhold" relevant
        s = query
    return {i for i, d in enumerate(docs) if any(s in w for _, _, w in word_spans(d))}


def average_precision(ranked: list[int], rel: set[int]) -> float:
    hits, total = 0, 0.0
    for rank, doc in enumerate(ranked, start=1):
        if doc in rel:
            hits += 1
            total += hits / rank
    return total / len(rel) if rel else 0.0


def measure(docs: list[str], name: str, params: dict[str, Any], repeat: int) -> Row:
    build_times = []
    for _ in range(repeat):
        t = time.perf_counter()
        index = LexicalIndex.build(docs, **params)
        build_times.append(time.perf_counter() - t)
    with tempfile.TemporaryDirectory() as tmp:
        index.save(tmp)
        disk = sum(p.stat().st_size for p in Path(tmp).iterdir() if p.name != "lexical.json")
        meta = json.loads((Path(tmp) / "lexical.json").read_text(encoding="utf-8"))
        disk += len(json.dumps(meta["vocabulary"], ensure_ascii=False).encode())  # the splitter's share
    terms = len(index._bm25.vocab_dict) if index._bm25 is not None else 0
    precisions, recalls, f1s, p10s, aps, returned = [], [], [], [], [], []
    t = time.perf_counter()
    for _ in range(repeat):
        for q in QUERIES:
            index.search(q, k=len(docs))
    query_ms = (time.perf_counter() - t) / (repeat * len(QUERIES)) * 1000
    for q in QUERIES:
        rel = relevant(q, docs)
        ranked = [i for i, _ in index.search(q, k=len(docs))]
        got = set(ranked)
        tp = len(got & rel)
        p = tp / len(got) if got else 1.0
        r = tp / len(rel) if rel else 1.0
        precisions.append(p)
        recalls.append(r)
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
        top = ranked[:10]
        p10s.append(sum(1 for i in top if i in rel) / min(10, max(1, len(rel))))
        aps.append(average_precision(ranked, rel))
        returned.append(len(got))
    return Row(
        mode=name,
        precision=statistics.mean(precisions),
        recall=statistics.mean(recalls),
        f1=statistics.mean(f1s),
        p_at_10=statistics.mean(p10s),
        ap=statistics.mean(aps),
        returned=statistics.mean(returned),
        terms=terms,
        disk_bytes=disk,
        build_ms=statistics.median(build_times) * 1000,
        query_ms=query_ms,
    )


def compound_checks(docs: list[str]) -> list[str]:
    """Rank of the first paragraph containing a given compound, per mode, for the two brief examples."""
    lines = []
    for query, compound in (("netværk", "netværksinddragelse"), ("pårørende", "pårørendeinddragelse")):
        target = {i for i, d in enumerate(docs) if compound in d.lower()}
        for name, params in MODES:
            ranked = [i for i, _ in LexicalIndex.build(docs, **params).search(query, k=len(docs))]
            pos = next((r for r, i in enumerate(ranked, start=1) if i in target), None)
            lines.append(f"{query!r} -> paragraph with {compound!r}: {name}: rank {pos if pos else 'not found'}")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = ap.parse_args()
    docs = paragraphs()
    n_rel = statistics.mean(len(relevant(q, docs)) for q in QUERIES)
    print(f"{len(docs)} paragraphs, {sum(map(len, docs))} characters, {len(QUERIES)} queries, "
          f"{n_rel:.1f} relevant paragraphs per query on average\n")
    rows = [measure(docs, name, params, args.repeat) for name, params in MODES]
    header = "| mode | precision | recall | F1 | P@10 | AP | returned/query | terms | disk KiB | build ms | query ms |"
    print(header)
    print("|---" * (header.count("|") - 1) + "|")
    for r in rows:
        print(f"| {r.mode} | {r.precision:.3f} | {r.recall:.3f} | {r.f1:.3f} | {r.p_at_10:.3f} | {r.ap:.3f} | "
              f"{r.returned:.1f} | {r.terms} | {r.disk_bytes / 1024:.0f} | {r.build_ms:.0f} | {r.query_ms:.2f} |")
    print()
    for line in compound_checks(docs):
        print(line)
    print("\nQuery terms of the default mode: the stem, then the query-time expansions (index terms with the\n"
          "word as a part that the splitter did not split; split compounds match through their parts):")
    default = LexicalIndex.build(docs)
    for q in QUERIES:
        print(f"  {q}: {' '.join(default.query_terms(q))}")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
