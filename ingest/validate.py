"""SHACL validation of a built graph against ontology/shapes.ttl; a non-conforming graph is refused."""

from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ingest.errors import ValidationError
from ontology import SG, SH, SHAPES_FILE, resource_path


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    message: str
    shape: str | None
    where: str | None
    """``file:line`` of the focus node's source span, when the node has one."""

    def __str__(self) -> str:
        loc = f" ({self.where})" if self.where else ""
        path = f" {self.path}" if self.path else ""
        return f"{self.focus}{loc}:{path} {self.message} [shape {self.shape}]"


def load_shapes() -> Graph:
    return Graph().parse(resource_path(SHAPES_FILE), format="turtle")


def _where(data: Graph, focus: URIRef) -> str | None:
    span = data.value(focus, SG.sourceSpan)
    if span is None:
        return None
    file, line = data.value(span, SG.sourceFile), data.value(span, SG.startLine)
    return f"{file}:{line}" if file is not None else None


def find_violations(data: Graph, shapes: Graph | None = None) -> list[Violation]:
    """Every SHACL violation of ``data``, each naming the focus node, its source line and the rule."""
    conforms, report, _ = shacl_validate(data, shacl_graph=shapes or load_shapes(), inference="none",
                                         advanced=False, allow_warnings=True)
    if conforms:
        return []
    assert isinstance(report, Graph)
    out: list[Violation] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        if severity is not None and severity != SH.Violation:
            continue
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        msg = report.value(result, SH.resultMessage)
        shape = report.value(result, SH.sourceShape)
        out.append(Violation(
            focus=str(focus), path=data.namespace_manager.normalizeUri(path) if isinstance(path, URIRef) else None,
            message=str(msg) if msg is not None else "constraint violated",
            shape=str(shape) if shape is not None else None,
            where=_where(data, focus) if isinstance(focus, URIRef) else None,
        ))
    out.sort(key=lambda v: (v.focus, v.path or "", v.message))
    return out


def validate_graph(data: Graph, shapes: Graph | None = None, show: int = 10) -> None:
    """Raise ``ValidationError`` naming the offending nodes and rules when ``data`` does not conform."""
    violations = find_violations(data, shapes)
    if violations:
        lines = "\n  ".join(str(v) for v in violations[:show])
        more = f"\n  … and {len(violations) - show} more" if len(violations) > show else ""
        raise ValidationError(
            f"graph does not conform to {SHAPES_FILE}: {len(violations)} violation(s)\n  {lines}{more}"
        )
