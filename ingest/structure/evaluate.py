"""Evaluation of the structure reader against hand-labelled documents with answer keys.

A folder (by default ``tests/data/structure-eval``) holds documents in any supported format and, beside each, an
answer key ``<name>.key.toml`` written by a person reading the document::

    file = "aarhus-handicappolitik-2023.pdf"      # the document, relative to the key
    format = "pdf"                                # the format a reader should detect (reported, not scored)
    title = "Handicappolitik 2023-2027"

    [metadata]                                    # what the document says about itself
    municipality = "aarhus"                       # municipality key (slug of the name without "Kommune")
    municipality_code = "751"
    year = 2023
    kind = "policy"                               # strategy | policy | political-bearings | strategy-proposal | follow-up-report

    [counts]                                      # expected number of nodes per class (any class may appear)
    Statement = 0
    Goal = 10
    Activity = 13

    [[container]]                                 # one table per expected container, in document order
    class = "FocusArea"
    label = "Bolig og hjem"

Scoring: containers are compared as a *set* of (class, label) pairs — the label whitespace-normalised, otherwise
exact — so a heading the reader produces twice (from a contents page, a summary table) counts once, and a right
label under the wrong class is both a miss and a false find. Precision and recall are given per document and
micro-averaged over all documents. Node counts per class are compared with the key's ``[counts]`` as relative
error ``|found - expected| / expected`` (when nothing is expected, the error is the number found). Metadata is
checked against :func:`ingest.metadata.infer_metadata` where that is available.

The evaluation only reads files; :func:`evaluate_structure` returns a :class:`StructureReport` that renders as
Markdown (:meth:`StructureReport.to_markdown`) or JSON (:meth:`StructureReport.to_json`).
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import ManifestError
from ingest.model import NodeKind, ParsedDocument, normalize_ws
from ontology.node_types import HEADED_ELEMENTS

if TYPE_CHECKING:
    from ingest.read.blocks import ReadDocument

EVALUATED_CLASSES: frozenset[str] = HEADED_ELEMENTS | {NodeKind.MOTTO.value}
"""Classes whose nodes are scored by (class, label): the containers, and Motto."""

KEY_SUFFIX = ".key.toml"
DEFAULT_DIRECTORY = Path("tests/data/structure-eval")

Container = tuple[str, str]
"""(class local name, whitespace-normalised label)."""


class AnswerKeyError(ManifestError):
    """An answer key is missing or malformed (the message names the key file and the field)."""


# ------------------------------------------------------------------------------------------------------------
# Answer keys
# ------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerKey:
    """What a person reading the document expects the structure reader to find."""

    name: str
    """The key's file name without ``.key.toml``."""
    path: Path
    document: Path
    format: str | None
    title: str | None
    containers: frozenset[Container]
    counts: Mapping[str, int]
    metadata: Mapping[str, str]
    municipality_aliases: frozenset[str] = frozenset()
    """Values accepted for the municipality: the key, the code and the name, lower-cased."""


def load_key(path: Path) -> AnswerKey:
    """Read and check one answer key; errors name the key file and what is wrong."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AnswerKeyError(f"answer key cannot be read: {exc}", file=path) from exc
    file = raw.get("file")
    if not isinstance(file, str) or not file:
        raise AnswerKeyError("answer key has no `file` naming its document", file=path)
    containers: set[Container] = set()
    for i, entry in enumerate(raw.get("container", []), start=1):
        cls, label = (entry.get("class"), entry.get("label")) if isinstance(entry, dict) else (None, None)
        if cls not in EVALUATED_CLASSES or not isinstance(label, str) or not label.strip():
            raise AnswerKeyError(f"container {i} needs a class out of {sorted(EVALUATED_CLASSES)} and a label, "
                                 f"got class={cls!r} label={label!r}", file=path)
        containers.add((cls, normalize_ws(label)))
    counts: dict[str, int] = {}
    for cls, n in raw.get("counts", {}).items():
        if cls not in {k.value for k in NodeKind} or not isinstance(n, int) or n < 0:
            raise AnswerKeyError(f"counts.{cls} must name an ontology class and be a count ≥ 0, got {n!r}",
                                 file=path)
        counts[cls] = n
    meta_raw = raw.get("metadata", {})
    metadata = {k: str(v) for k, v in meta_raw.items()}
    if isinstance(raw.get("title"), str):
        metadata.setdefault("title", raw["title"])
    aliases = {str(meta_raw[k]).lower() for k in ("municipality", "municipality_code", "municipality_name")
               if k in meta_raw}
    return AnswerKey(
        name=path.name.removesuffix(KEY_SUFFIX), path=path, document=path.parent / file,
        format=raw.get("format"), title=raw.get("title"), containers=frozenset(containers), counts=counts,
        metadata=metadata, municipality_aliases=frozenset(aliases),
    )


def load_keys(directory: Path) -> list[AnswerKey]:
    """Every answer key of ``directory``, by file name."""
    if not directory.is_dir():
        raise AnswerKeyError("not a folder of labelled documents", file=directory)
    return [load_key(p) for p in sorted(directory.glob(f"*{KEY_SUFFIX}"))]


# ------------------------------------------------------------------------------------------------------------
# Scoring (pure)
# ------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContainerScore:
    """Precision and recall of (class, label) pairs."""

    expected: int
    found: int
    matched: int
    missed: list[Container] = field(default_factory=list)
    """Expected but not found, in sorted order."""
    extra: list[Container] = field(default_factory=list)
    """Found but not expected, in sorted order."""

    @property
    def precision(self) -> float:
        """Share of found containers that are expected (1.0 when nothing was expected or found)."""
        if self.found == 0:
            return 1.0 if self.expected == 0 else 0.0
        return self.matched / self.found

    @property
    def recall(self) -> float:
        """Share of expected containers that were found (1.0 when nothing was expected)."""
        if self.expected == 0:
            return 1.0
        return self.matched / self.expected


def containers_of(parsed: ParsedDocument) -> set[Container]:
    """The (class, label) pairs of a recognised tree; a node without a label is known by its text."""
    out: set[Container] = set()
    for node in parsed.all_nodes():
        if node.kind.value in EVALUATED_CLASSES:
            out.add((node.kind.value, normalize_ws(node.label if node.label else node.text)))
    return out


def score_containers(expected: Iterable[Container], found: Iterable[Container]) -> ContainerScore:
    """Compare two sets of (class, label) pairs; duplicates on either side count once."""
    exp = {(c, normalize_ws(label)) for c, label in expected}
    got = {(c, normalize_ws(label)) for c, label in found}
    return ContainerScore(expected=len(exp), found=len(got), matched=len(exp & got),
                          missed=sorted(exp - got), extra=sorted(got - exp))


def micro_average(scores: Iterable[ContainerScore]) -> ContainerScore:
    """The pooled score: matched, found and expected summed over documents (misses and extras not kept)."""
    total = ContainerScore(0, 0, 0)
    for s in scores:
        total = ContainerScore(total.expected + s.expected, total.found + s.found, total.matched + s.matched)
    return total


@dataclass(frozen=True)
class CountScore:
    """Nodes of one class: expected by the key and found by the reader."""

    cls: str
    expected: int
    found: int

    @property
    def relative_error(self) -> float:
        """``|found - expected| / expected``; when nothing is expected, the number found."""
        diff = abs(self.found - self.expected)
        return diff / self.expected if self.expected else float(diff)


def count_nodes(parsed: ParsedDocument) -> Counter[str]:
    """Nodes per class (local name) in a recognised tree."""
    return Counter(node.kind.value for node in parsed.all_nodes())


def score_counts(expected: Mapping[str, int], found: Mapping[str, int]) -> list[CountScore]:
    """One :class:`CountScore` per class the key counts, in the key's order."""
    return [CountScore(cls, n, found.get(cls, 0)) for cls, n in expected.items()]


def total_counts(per_document: Iterable[list[CountScore]]) -> list[CountScore]:
    """Counts per class summed over documents (classes in order of first appearance)."""
    expected: dict[str, int] = {}
    found: dict[str, int] = {}
    for scores in per_document:
        for s in scores:
            expected[s.cls] = expected.get(s.cls, 0) + s.expected
            found[s.cls] = found.get(s.cls, 0) + s.found
    return [CountScore(cls, expected[cls], found[cls]) for cls in expected]


@dataclass(frozen=True)
class MetadataCheck:
    """One metadata field: the key's value, the inferred value (``None`` when not inferred), and whether they agree."""

    field: str
    expected: str
    found: str | None

    @property
    def ok(self) -> bool:
        return self.found is not None and self.found.lower() == normalize_ws(self.expected).lower()


def check_metadata(key: AnswerKey, inferred: Mapping[str, object]) -> list[MetadataCheck]:
    """Compare title, municipality, year and kind of the key with inferred values (any of the municipality's
    key, code or name counts as right; titles are compared with whitespace normalised)."""
    checks: list[MetadataCheck] = []
    for name in ("title", "municipality", "year", "kind"):
        if name not in key.metadata:
            continue
        expected = key.metadata[name]
        value = inferred.get(name)
        found = None if value is None else normalize_ws(str(value))
        if name == "municipality" and found is not None and found.lower() in key.municipality_aliases:
            found = expected
        checks.append(MetadataCheck(name, expected, found))
    return checks


# ------------------------------------------------------------------------------------------------------------
# The report
# ------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentResult:
    """How the reader did on one labelled document."""

    name: str
    file: str
    expected_format: str | None
    detected_format: str | None
    containers: ContainerScore
    counts: list[CountScore]
    metadata: list[MetadataCheck]
    error: str | None = None
    """Why the document could not be read or recognised (it then scores as finding nothing)."""

    @property
    def max_count_error(self) -> float:
        return max((c.relative_error for c in self.counts), default=0.0)


@dataclass(frozen=True)
class StructureReport:
    """Per-document and overall figures of one evaluation run."""

    directory: str
    documents: list[DocumentResult]

    @property
    def containers(self) -> ContainerScore:
        """Micro-averaged container score over all documents."""
        return micro_average(d.containers for d in self.documents)

    @property
    def counts(self) -> list[CountScore]:
        """Node counts per class summed over all documents."""
        return total_counts(d.counts for d in self.documents)

    @property
    def max_count_error(self) -> float:
        """The largest relative count error of any class in any document."""
        return max((d.max_count_error for d in self.documents), default=0.0)

    def meets(self, *, precision: float = 0.95, recall: float = 0.95, count_error: float = 0.05) -> bool:
        """Whether the overall precision and recall reach the thresholds and every document's counts are within
        ``count_error``."""
        c = self.containers
        return c.precision >= precision and c.recall >= recall and self.max_count_error <= count_error

    def as_dict(self) -> dict[str, object]:
        def score(s: ContainerScore) -> dict[str, object]:
            return {"expected": s.expected, "found": s.found, "matched": s.matched,
                    "precision": round(s.precision, 4), "recall": round(s.recall, 4),
                    "missed": [list(c) for c in s.missed], "extra": [list(c) for c in s.extra]}

        def counts(cs: list[CountScore]) -> dict[str, object]:
            return {c.cls: {"expected": c.expected, "found": c.found,
                            "relative_error": round(c.relative_error, 4)} for c in cs}

        overall = score(self.containers)
        del overall["missed"], overall["extra"]
        return {
            "directory": self.directory,
            "overall": {"containers": overall, "counts": counts(self.counts),
                        "max_count_error": round(self.max_count_error, 4), "meets_thresholds": self.meets()},
            "documents": [
                {"name": d.name, "file": d.file, "expected_format": d.expected_format,
                 "detected_format": d.detected_format, "error": d.error, "containers": score(d.containers),
                 "counts": counts(d.counts), "metadata": [asdict(m) | {"ok": m.ok} for m in d.metadata]}
                for d in self.documents
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=1)

    def to_markdown(self) -> str:
        classes = [c.cls for c in self.counts]
        lines = [f"# Structure evaluation: {self.directory}", "",
                 "| document | format | containers (matched/expected/found) | precision | recall | "
                 + " | ".join(f"{c} (found/key)" for c in classes) + " | metadata |",
                 "|---|---|---|---|---|" + "---|" * len(classes) + "---|"]
        for d in self.documents:
            by_cls = {c.cls: c for c in d.counts}
            cells = [f"{by_cls[c].found}/{by_cls[c].expected}" + _err(by_cls[c]) if c in by_cls else "–"
                     for c in classes]
            fmt = d.detected_format or "?"
            if d.expected_format and d.detected_format != d.expected_format:
                fmt += f" (key: {d.expected_format})"
            meta = ", ".join(f"{m.field} {'✓' if m.ok else '✗ ' + (m.found or '–')}" for m in d.metadata)
            c = d.containers
            lines.append(f"| {d.name} | {fmt} | {c.matched}/{c.expected}/{c.found} | {c.precision:.3f} | "
                         f"{c.recall:.3f} | " + " | ".join(cells) + f" | {meta or '–'} |")
        o = self.containers
        totals = [f"{c.found}/{c.expected}" + _err(c) for c in self.counts]
        lines.append(f"| **overall (micro)** | | {o.matched}/{o.expected}/{o.found} | **{o.precision:.3f}** | "
                     f"**{o.recall:.3f}** | " + " | ".join(totals) + " | |")
        lines += ["", f"Largest relative count error in any document: {self.max_count_error:.1%}. "
                  f"Thresholds (precision and recall ≥ 0.95, counts within 5 %): "
                  f"{'met' if self.meets() else 'not met'}."]
        for d in self.documents:
            if not (d.error or d.containers.missed or d.containers.extra):
                continue
            lines += ["", f"## {d.name}"]
            if d.error:
                lines.append(f"- error: {d.error}")
            if d.containers.found == 0 and d.containers.expected:
                lines.append(f"- found no container: all {d.containers.expected} expected ones missed")
                continue
            lines += [f"- missed {cls}: {label}" for cls, label in d.containers.missed]
            lines += [f"- extra {cls}: {label}" for cls, label in d.containers.extra]
        return "\n".join(lines) + "\n"


def _err(c: CountScore) -> str:
    return "" if c.found == c.expected else f" ({c.found - c.expected:+d})"


# ------------------------------------------------------------------------------------------------------------
# Running the reader
# ------------------------------------------------------------------------------------------------------------


def score_document(key: AnswerKey, parsed: ParsedDocument | None, *, detected_format: str | None = None,
                   inferred: Mapping[str, object] | None = None, error: str | None = None) -> DocumentResult:
    """Score one recognised tree (``None`` when reading failed) against its key."""
    found = containers_of(parsed) if parsed is not None else set()
    counts = count_nodes(parsed) if parsed is not None else Counter()
    return DocumentResult(
        name=key.name, file=key.document.name, expected_format=key.format, detected_format=detected_format,
        containers=score_containers(key.containers, found), counts=score_counts(key.counts, counts),
        metadata=check_metadata(key, inferred or {}), error=error,
    )


def _run_reader(key: AnswerKey) -> DocumentResult:
    """Read and recognise one document and score it; a failure is recorded in the result, not raised, so one
    broken document does not hide the figures of the others. Format detection and metadata are still reported
    when only the recogniser fails."""
    # Imported here: the readers and the recogniser are separate packages the evaluation only drives.
    try:
        from ingest.read.detect import read_file
    except ImportError as exc:
        return score_document(key, None, error=f"format readers not available: {exc}")
    try:
        doc = read_file(key.document)
    except Exception as exc:  # noqa: BLE001 — any failure of the reader is a finding of the evaluation
        return score_document(key, None, error=f"{type(exc).__name__}: {exc}")
    try:
        from ingest.structure.recognise import recognise
    except ImportError as exc:
        return score_document(key, None, detected_format=doc.format, inferred=_infer(doc, None, key),
                              error=f"structure recogniser not available: {exc}")
    try:
        parsed = recognise(doc, file=key.document.name)
    except Exception as exc:  # noqa: BLE001
        return score_document(key, None, detected_format=doc.format, inferred=_infer(doc, None, key),
                              error=f"{type(exc).__name__}: {exc}")
    return score_document(key, parsed, detected_format=doc.format, inferred=_infer(doc, parsed, key))


def _infer(doc: ReadDocument, parsed: ParsedDocument | None, key: AnswerKey) -> dict[str, object]:
    """Municipality, year and kind as the metadata inference reads them (empty when it is not available)."""
    try:
        from ingest.metadata import infer_metadata
    except ImportError:
        return {}
    try:
        meta = infer_metadata(doc, parsed, file_name=key.document.name)
    except Exception:  # noqa: BLE001 — a failed inference shows as "not inferred" in the report
        return {}
    return {"title": meta.title.value, "municipality": meta.municipality.value, "year": meta.year.value,
            "kind": meta.kind.value}


def evaluate_structure(directory: Path = DEFAULT_DIRECTORY) -> StructureReport:
    """Read every labelled document of ``directory`` with the structure reader and score it against its key."""
    keys = load_keys(directory)
    if not keys:
        raise AnswerKeyError(f"no answer keys (*{KEY_SUFFIX}) in this folder", file=directory)
    for key in keys:
        if not key.document.is_file():
            raise AnswerKeyError(f"the document {key.document.name} it labels does not exist", file=key.path)
    return StructureReport(directory=str(directory), documents=[_run_reader(k) for k in keys])
