"""Pure function behind /compare: how a municipality's strategy evolved from one document to another.

Themes carried over, new and dropped are computed by :func:`ingest.analyse.lineage.compare` from the
build's container scores; what a follow-up report says about the earlier document's goals comes from the
build's analysis (see ingest/analyse/lineage.py).

Two requests are answered with a Danish note instead of silently:

* **reversed years** (``from`` later than ``to``): the comparison is turned around and says so
  (``reversed``, ``notes``). "Carried over", "new" and "dropped" only mean something from the earlier
  document to the later, and the request has exactly one sensible reading; refusing it would only make
  the user pick the two documents again in the other order.
* **two municipalities**: answered, with a note that a municipality does not carry over another's themes, so
  "carried over" reads as a theme both have, "new" and "dropped" as themes only one of them has
  (``same_municipality`` false; the page changes its headings accordingly).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ingest.analyse import lineage
from ingest.analyse.overlap_detection import container_members
from ingest.records import DocumentRecord
from service.generation import Generation
from service.overlaps import (
    NodeRef,
    UnknownDocumentError,
    analysis_of,
    container_scores_of,
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


class ThemePartner(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    to_theme: NodeRef = Field(serialization_alias="to", description="A theme of the later document that carries "
                                                                     "the earlier theme over")
    score: float = Field(description="Container overlap score of the two themes, 0-1")
    matches: list[MatchedPair] = Field(description="The aligned statements behind it, best first (at most 5)")


class CarriedTheme(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    from_theme: NodeRef = Field(serialization_alias="from", description="Theme of the earlier document, listed once")
    score: float = Field(description="Its best container overlap score with a later theme, 0-1")
    partners: list[ThemePartner] = Field(description="The later themes that carry it over, best first")


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
    reports: list[ReportingGoal] = Field(description="The report's goals that report on it, best first; each report "
                                                     "goal (and its activities) is listed under one earlier goal only, "
                                                     "the one it matches best")


class FollowUp(BaseModel):
    report: DocumentRef = Field(description="The follow-up report")
    goals: list[FollowedGoal] = Field(description="Each goal of the followed-up document")


class CompareResponse(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    from_document: DocumentRef = Field(serialization_alias="from", description="The earlier document")
    to_document: DocumentRef = Field(serialization_alias="to", description="The later document")
    reversed: bool = Field(description="True when the request named the later document as from: the comparison was "
                                       "turned around to run from the earlier to the later document (see notes)")
    same_municipality: bool = Field(description="Whether both documents are of one municipality; across municipalities "
                                                "carried_over means themes both have, new and dropped themes only one "
                                                "has (see notes)")
    notes: list[str] = Field(description="What the reader should know about this comparison, in Danish (reversed "
                                         "years, two municipalities); empty when there is nothing to say")
    theme_level_from: str | None = Field(description="Node type of the earlier document's themes, e.g. Bearing")
    theme_level_to: str | None = Field(description="Node type of the later document's themes, e.g. Track")
    carried_over: list[CarriedTheme] = Field(description="Themes of the earlier document carried over, each once with "
                                                         "the later themes that carry it over")
    new: list[NodeRef] = Field(description="Themes of the later document that carry over none of the earlier")
    dropped: list[NodeRef] = Field(description="Themes of the earlier document no later theme carries over")
    follow_ups: list[FollowUp] = Field(description="Follow-up reports on the earlier document: which of its goals "
                                                   "they report on and with what status")


def comparison_notes(requested_from: DocumentRecord, requested_to: DocumentRecord) -> tuple[bool, list[str]]:
    """Whether the request runs backwards in time, and the Danish notes a reader needs."""
    notes: list[str] = []
    backwards = requested_from.year > requested_to.year
    if backwards:
        notes.append(f"Sammenligningen går baglæns i tid: du valgte {requested_from.year} som »fra« og "
                     f"{requested_to.year} som »til«. Den vises fra det tidligere til det senere dokument, "
                     f"{requested_to.year} → {requested_from.year}, så »videreført«, »nyt« og »ikke ført videre« "
                     f"følger tiden.")
    if requested_from.municipality != requested_to.municipality:
        earlier, later = (requested_to, requested_from) if backwards else (requested_from, requested_to)
        notes.append(f"To forskellige kommuner: {earlier.municipality_name} og {later.municipality_name}. En kommune "
                     f"fører ikke en anden kommunes temaer videre, så her er »videreført« et tema, begge har, "
                     f"»nyt« et tema kun {later.municipality_name} har, og »ikke ført videre« et tema kun "
                     f"{earlier.municipality_name} har. Alle matchende tekststykker står på siden Overlap.")
    return backwards, notes


def compare_documents(gen: Generation, from_doc: str, to_doc: str) -> CompareResponse:
    """Compare two documents, from the earlier to the later (a reversed request is turned around, and two
    municipalities are compared as well; both with a note)."""
    for doc in (from_doc, to_doc):
        if doc not in gen.documents:
            raise UnknownDocumentError(doc)
    if from_doc == to_doc:
        raise CompareError(f"from and to are the same document ({from_doc}); choose two different documents")
    backwards, notes = comparison_notes(gen.documents[from_doc], gen.documents[to_doc])
    if backwards:
        from_doc, to_doc = to_doc, from_doc
    analysis = analysis_of(gen)
    threshold = float(analysis["parameters"]["overlaps"]["container_threshold"])
    scores = {k: v[0] for k, v in container_scores_of(gen).items()}
    result = lineage.compare(gen.nodes, from_doc, to_doc, partners_of(gen), scores, threshold,
                             container_members(gen.nodes))
    nodes = gen.nodes
    grouped: dict[int, list[lineage.ThemeLink]] = {}
    for link in result.carried_over:
        grouped.setdefault(link.earlier, []).append(link)
    carried = []
    for earlier, links in grouped.items():
        links.sort(key=lambda link: (-link.score, link.later))
        carried.append(CarriedTheme(
            from_theme=node_ref(gen, nodes[earlier]), score=links[0].score,
            partners=[ThemePartner(
                to_theme=node_ref(gen, nodes[link.later]), score=link.score,
                matches=[MatchedPair(from_node=node_ref(gen, nodes[x]), to_node=node_ref(gen, nodes[y]), score=s)
                         for x, y, s in link.matches[:MAX_MATCHES]],
            ) for link in links],
        ))
    earlier_doc, later_doc = gen.documents[from_doc], gen.documents[to_doc]
    return CompareResponse(
        from_document=document_ref(gen, from_doc), to_document=document_ref(gen, to_doc), reversed=backwards,
        same_municipality=earlier_doc.municipality == later_doc.municipality, notes=notes,
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
