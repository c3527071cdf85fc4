"""Pure function behind /compare: how a municipality's strategy evolved from one document to another.

Themes carried over, new and dropped are computed by :func:`ingest.analyse.lineage.compare` from the
build's alignments; what a follow-up report says about the earlier document's goals comes from the
build's analysis (see ingest/analyse/lineage.py).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ingest.analyse import lineage
from ingest.analyse.overlap_detection import container_members
from service.generation import Generation
from service.overlaps import (
    NodeRef,
    UnknownDocumentError,
    analysis_of,
    document_ref,
    node_ref,
    partners_of,
)
from service.schemas import DocumentRef

MAX_MATCHES = 5


class CompareError(ValueError):
    """Two documents that cannot be compared (HTTP 422); the message says why."""


class MatchedPair(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    from_node: NodeRef = Field(serialization_alias="from", description="Node of the earlier document")
    to_node: NodeRef = Field(serialization_alias="to", description="Node of the later document")
    score: float = Field(description="Alignment score, 0-1")


class CarriedTheme(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    from_theme: NodeRef = Field(serialization_alias="from", description="Theme of the earlier document")
    to_theme: NodeRef = Field(serialization_alias="to", description="Theme of the later document that carries it over")
    score: float = Field(description="Container overlap score of the two themes, 0-1")
    matches: list[MatchedPair] = Field(description="The aligned statements behind it, best first (at most 5)")


class ReportedActivity(BaseModel):
    activity: NodeRef = Field(description="An activity of the report's goal")
    status: NodeRef | None = Field(description="The reported status of the activity")
    status_class: str = Field(description="gennemført, i gang, fravalgt or uafklaret (read from the status text)")


class ReportingGoal(BaseModel):
    goal: NodeRef = Field(description="The report's goal that reports on the earlier goal")
    score: float = Field(description="How well the report's goal matches the earlier goal, 0-1")
    activities: list[ReportedActivity] = Field(description="Its activities with their status")


class FollowedGoal(BaseModel):
    goal: NodeRef = Field(description="A goal of the followed-up document")
    reported: bool = Field(description="Whether the report reports on it")
    reports: list[ReportingGoal] = Field(description="The report's goals that report on it, best first")


class FollowUp(BaseModel):
    report: DocumentRef = Field(description="The follow-up report")
    goals: list[FollowedGoal] = Field(description="Each goal of the followed-up document")


class CompareResponse(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    from_document: DocumentRef = Field(serialization_alias="from", description="The earlier document")
    to_document: DocumentRef = Field(serialization_alias="to", description="The later document")
    theme_level_from: str | None = Field(description="Node type of the earlier document's themes, e.g. Bearing")
    theme_level_to: str | None = Field(description="Node type of the later document's themes, e.g. Track")
    carried_over: list[CarriedTheme] = Field(description="Themes carried over, with their matched nodes")
    new: list[NodeRef] = Field(description="Themes of the later document that carry over none of the earlier")
    dropped: list[NodeRef] = Field(description="Themes of the earlier document no later theme carries over")
    follow_ups: list[FollowUp] = Field(description="Follow-up reports on the earlier document: which of its goals "
                                                   "they report on and with what status")


def compare_documents(gen: Generation, from_doc: str, to_doc: str) -> CompareResponse:
    """Compare two documents of the same municipality (``from_doc`` the earlier)."""
    for doc in (from_doc, to_doc):
        if doc not in gen.documents:
            raise UnknownDocumentError(doc)
    if from_doc == to_doc:
        raise CompareError("from and to must be two different documents")
    earlier, later = gen.documents[from_doc], gen.documents[to_doc]
    if earlier.municipality != later.municipality:
        raise CompareError(f"{from_doc} is a document of {earlier.municipality_name} and {to_doc} of "
                           f"{later.municipality_name}: /compare follows a strategy within one municipality; "
                           f"use /overlaps?a={from_doc}&b={to_doc} to compare across municipalities")
    analysis = analysis_of(gen)
    threshold = float(analysis["parameters"]["overlaps"]["container_threshold"])
    partners = partners_of(gen)
    result = lineage.compare(gen.nodes, from_doc, to_doc, partners, threshold, container_members(gen.nodes))
    nodes = gen.nodes
    carried = [CarriedTheme(
        from_theme=node_ref(gen, nodes[link.earlier]), to_theme=node_ref(gen, nodes[link.later]), score=link.score,
        matches=[MatchedPair(from_node=node_ref(gen, nodes[x]), to_node=node_ref(gen, nodes[y]), score=s)
                 for x, y, s in link.matches[:MAX_MATCHES]],
    ) for link in result.carried_over]
    return CompareResponse(
        from_document=document_ref(gen, from_doc), to_document=document_ref(gen, to_doc),
        theme_level_from=result.level_earlier, theme_level_to=result.level_later, carried_over=carried,
        new=[node_ref(gen, nodes[i]) for i in result.new], dropped=[node_ref(gen, nodes[i]) for i in result.dropped],
        follow_ups=_follow_ups(gen, from_doc),
    )


def _ref(gen: Generation, iri: str | None) -> NodeRef | None:
    node = gen.node(iri) if iri else None
    return node_ref(gen, node) if node is not None else None


def _follow_ups(gen: Generation, followed: str) -> list[FollowUp]:
    out: list[FollowUp] = []
    for item in analysis_of(gen).get("follow_ups", []):
        if item["followed"] != followed or item["report"] not in gen.documents:
            continue
        goals: list[FollowedGoal] = []
        for g in item["goals"]:
            goal = _ref(gen, g["goal"])
            if goal is None:
                continue
            reports: list[ReportingGoal] = []
            for r in g["reports"]:
                report_goal = _ref(gen, r["goal"])
                if report_goal is None:
                    continue
                activities = []
                for a in r["activities"]:
                    activity = _ref(gen, a["activity"])
                    if activity is not None:
                        activities.append(ReportedActivity(activity=activity, status=_ref(gen, a["status"]),
                                                           status_class=a["status_class"]))
                reports.append(ReportingGoal(goal=report_goal, score=r["score"], activities=activities))
            goals.append(FollowedGoal(goal=goal, reported=bool(reports), reports=reports))
        out.append(FollowUp(report=document_ref(gen, item["report"]), goals=goals))
    return out
