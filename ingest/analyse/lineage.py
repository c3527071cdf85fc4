"""Evolution within a municipality: which themes of an earlier document carry over into a later one,
which are new and which were dropped, and what a follow-up report says about the goals it follows up.

Themes
    A document's themes are its nodes at its *theme level* - the first of :data:`THEME_LEVELS` it has
    (Slagelse 2024-2030: its 8 tracks; Faxe: its 13 principles; Slagelse 2019: its 5 bearings;
    Slagelse 2014 and the 2015 follow-up: their focus areas) - plus its visions.
Carried over
    A later theme carries over an earlier one when their container score (content, coverage and topics:
    :func:`ingest.analyse.overlap_detection.container_scores`) reaches ``container_threshold``; an earlier
    theme no later theme carries over was dropped, a later theme that carries over none is new. An earlier
    theme carried into several later themes is one theme carried over, with several partners. The build
    materialises ``later sg:carriesOver earlier`` for every pair of documents of one municipality except
    follow-up reports (which sg:followsUp instead).
Follow-up
    For a report that follows up a document, each goal of the report is matched with the followed-up
    document's goal it scores best with (container score, restricted to goals under themes the report
    theme sg:followsUp when the graph has such links), so each reported goal - and each of its activities
    with its reported status, classified by :func:`classify_status` - is shown under one earlier goal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, URIRef

from ingest.analyse.overlap_detection import container_members
from ingest.records import DocumentRecord, NodeRecord
from ontology import SG

THEME_LEVELS = ("Track", "Principle", "Bearing", "FocusArea", "Goal")
FOLLOW_UP_KIND = "follow-up-report"

STATUS_DROPPED = "fravalgt"
STATUS_DONE = "gennemført"
STATUS_ONGOING = "i gang"
STATUS_UNCLEAR = "uafklaret"
#: Danish phrases that mark a reported status, checked in this order (the first class found wins).
STATUS_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (STATUS_DROPPED, ("fravalgt", "ikke muligt", "ikke lykkedes", "opgivet", "droppet", "udskudt", "er stoppet")),
    (STATUS_DONE, ("realiseret", "implementeret", "er styrket", "er etableret", "er der etableret", "udarbejdet",
                   "er uddannet", "har sikret", "sat i system", "deltager aktivt", "har udviklet", "udviklet projektet",
                   "er gennemført", "afsluttet", "danner i dag")),
    (STATUS_ONGOING, ("i gang med", "arbejder løbende", "arbejdes på", "under udvikling", "er søgt", "søgt midler",
                      "planlagt", "forventes")),
)


def classify_status(text: str) -> str:
    """gennemført, i gang, fravalgt or uafklaret, from the wording of a status report."""
    low = " ".join(text.lower().split())
    for status, cues in STATUS_CUES:
        if any(cue in low for cue in cues):
            return status
    return STATUS_UNCLEAR


@dataclass(frozen=True)
class NodeIndex:
    """Lookups every comparison needs, computed once per analysis (a national corpus compares thousands of
    document pairs; scanning every node for each would make lineage quadratic)."""

    by_doc: dict[str, list[int]]
    """document id → positions of its nodes, in node order"""
    position: dict[str, int]
    members: dict[int, list[int]]
    """container → its unit nodes (:func:`ingest.analyse.overlap_detection.container_members`)"""

    @classmethod
    def of(cls, nodes: Sequence[NodeRecord]) -> NodeIndex:
        by_doc: dict[str, list[int]] = {}
        for i, n in enumerate(nodes):
            by_doc.setdefault(n.doc, []).append(i)
        return cls(by_doc=by_doc, position={n.id: i for i, n in enumerate(nodes)}, members=container_members(nodes))

    def in_doc(self, doc: str) -> list[int]:
        return self.by_doc.get(doc, [])


def _in_doc(nodes: Sequence[NodeRecord], doc: str, index: NodeIndex | None) -> list[int]:
    return index.in_doc(doc) if index is not None else [i for i, n in enumerate(nodes) if n.doc == doc]


def theme_level(nodes: Sequence[NodeRecord], doc: str, index: NodeIndex | None = None) -> str | None:
    """The node type that holds the document's themes (see the module docstring)."""
    present = {nodes[i].type for i in _in_doc(nodes, doc, index)}
    return next((t for t in THEME_LEVELS if t in present), None)


def themes(nodes: Sequence[NodeRecord], doc: str, level: str | None = None, index: NodeIndex | None = None) -> list[int]:
    """Positions of the document's theme nodes (its visions first, then the theme level), in order."""
    level = level or theme_level(nodes, doc, index)
    own = _in_doc(nodes, doc, index)
    return [i for i in own if nodes[i].type == "Vision"] + [i for i in own if nodes[i].type == level]


@dataclass
class ThemeLink:
    """An earlier theme carried over into a later one, with the unit pairs that explain it."""

    earlier: int
    later: int
    score: float
    matches: list[tuple[int, int, float]]
    """(earlier unit node, later unit node, alignment score), best first."""


@dataclass
class Comparison:
    earlier: str
    later: str
    carried_over: list[ThemeLink]
    new: list[int]
    dropped: list[int]
    level_earlier: str | None
    level_later: str | None


def compare(nodes: Sequence[NodeRecord], earlier: str, later: str, partners: Mapping[int, Mapping[int, float]],
            scores: Mapping[tuple[int, int], float], threshold: float, members: Mapping[int, list[int]] | None = None,
            index: NodeIndex | None = None) -> Comparison:
    """Themes carried over from ``earlier`` into ``later``, new in ``later``, dropped from ``earlier``.

    ``scores`` holds the container scores in either order (:func:`ingest.analyse.overlap_detection.pair_scores`);
    ``partners`` the alignments that explain a link (:func:`ingest.analyse.overlap_detection.partner_map`)."""
    if members is None:
        members = index.members if index is not None else container_members(nodes)
    before, after = themes(nodes, earlier, index=index), themes(nodes, later, index=index)
    links: list[ThemeLink] = []
    for a in before:
        for b in after:
            if a not in members or b not in members:
                continue
            score = scores.get((a, b), 0.0)
            if score < threshold:
                continue
            mb = set(members[b])
            matches = sorted(((x, y, s) for x in members[a] for y, s in partners.get(x, {}).items() if y in mb),
                             key=lambda m: (-m[2], m[0], m[1]))
            links.append(ThemeLink(earlier=a, later=b, score=score, matches=matches))
    links.sort(key=lambda link: (before.index(link.earlier), -link.score))
    carried_before = {link.earlier for link in links}
    carried_after = {link.later for link in links}
    return Comparison(earlier=earlier, later=later, carried_over=links,
                      new=[b for b in after if b not in carried_after],
                      dropped=[a for a in before if a not in carried_before],
                      level_earlier=theme_level(nodes, earlier, index), level_later=theme_level(nodes, later, index))


def carries_over_pairs(documents: Sequence[DocumentRecord], nodes: Sequence[NodeRecord],
                       partners: Mapping[int, Mapping[int, float]], scores: Mapping[tuple[int, int], float],
                       threshold: float, index: NodeIndex | None = None) -> list[tuple[int, int, float]]:
    """(later theme, earlier theme, score) for every pair of same-municipality documents, later year
    first; follow-up reports left out. Only documents of one municipality are paired (O(documents per
    municipality²), not of the corpus)."""
    index = index or NodeIndex.of(nodes)
    by_municipality: dict[str, list[DocumentRecord]] = {}
    for d in documents:
        if d.kind != FOLLOW_UP_KIND:
            by_municipality.setdefault(d.municipality, []).append(d)
    out: list[tuple[int, int, float]] = []
    for docs in by_municipality.values():
        for early, late in ((e, lt) for e in docs for lt in docs if e.year < lt.year):
            result = compare(nodes, early.id, late.id, partners, scores, threshold, index=index)
            out.extend((link.later, link.earlier, link.score) for link in result.carried_over)
    return out


def carries_over_triples(graph: Graph, nodes: Sequence[NodeRecord], pairs: Iterable[tuple[int, int, float]]) -> int:
    n = 0
    for later, earlier, _ in pairs:
        graph.add((URIRef(nodes[later].id), SG.carriesOver, URIRef(nodes[earlier].id)))
        n += 1
    return n


# --------------------------------------------------------------------------- follow-up reports
@dataclass
class ReportedGoal:
    goal: int
    """The report's goal (position)."""
    score: float
    activities: list[tuple[int, int | None, str]] = field(default_factory=list)
    """(activity, its status report or None, status class)."""


@dataclass
class GoalFollowUp:
    goal: int
    """The followed-up document's goal."""
    reports: list[ReportedGoal]


def follow_up(nodes: Sequence[NodeRecord], followed: str, report: str, scores: Mapping[tuple[int, int], float],
              threshold: float, graph: Graph | None = None, index: NodeIndex | None = None) -> list[GoalFollowUp]:
    """Each goal of ``followed`` with the goals of ``report`` that report on it and their statuses; a report
    goal is listed under the one goal of ``followed`` it scores best with (``scores``: container scores in
    either order), so each of its activities appears once."""
    index = index or NodeIndex.of(nodes)
    members, position = index.members, index.position
    theme_links: dict[int, set[int]] = {}
    if graph is not None:
        for s, o in graph.subject_objects(SG.followsUp):
            ps, po = position.get(str(s)), position.get(str(o))
            if ps is not None and po is not None and nodes[ps].doc == report and nodes[po].doc == followed:
                theme_links.setdefault(po, set()).add(ps)
    goals = [i for i in index.in_doc(followed) if nodes[i].type == "Goal"]
    report_goals = [i for i in index.in_doc(report) if nodes[i].type == "Goal"]
    best: dict[int, tuple[float, int]] = {}
    """report goal → (score, followed goal) of its best match"""
    for g in goals:
        allowed = set(report_goals)
        linked = set().union(*(theme_links.get(position[a.id], set()) for a in nodes[g].ancestors[1:]
                               if a.id in position)) if theme_links else set()
        if linked:
            allowed = {rg for rg in report_goals if any(position.get(a.id) in linked for a in nodes[rg].ancestors[1:])}
        for rg in sorted(allowed):
            if g not in members or rg not in members:
                continue
            score = scores.get((g, rg), 0.0)
            if score >= threshold and score > best.get(rg, (0.0, -1))[0]:
                best[rg] = (score, g)
    out: list[GoalFollowUp] = []
    for g in goals:
        reports = [ReportedGoal(goal=rg, score=score, activities=_activities(nodes, rg, position))
                   for rg, (score, chosen) in sorted(best.items()) if chosen == g]
        reports.sort(key=lambda r: -r.score)
        out.append(GoalFollowUp(goal=g, reports=reports))
    return out


def _activities(nodes: Sequence[NodeRecord], goal: int, position: Mapping[str, int]) -> list[tuple[int, int | None, str]]:
    out: list[tuple[int, int | None, str]] = []
    for child in nodes[goal].children:
        i = position.get(child)
        if i is None or nodes[i].type != "Activity":
            continue
        status = next((position[s] for s in nodes[i].links.get("hasStatus", []) if s in position), None)
        label = classify_status(nodes[status].text) if status is not None else STATUS_UNCLEAR
        out.append((i, status, label))
    return out


def follow_up_payload(nodes: Sequence[NodeRecord], items: Sequence[GoalFollowUp]) -> list[dict[str, Any]]:
    """JSON of a follow-up analysis (node IRIs instead of positions)."""
    return [{
        "goal": nodes[item.goal].id,
        "reports": [{
            "goal": nodes[r.goal].id, "score": r.score,
            "activities": [{"activity": nodes[a].id, "status": nodes[s].id if s is not None else None,
                            "status_class": label} for a, s, label in r.activities],
        } for r in item.reports],
    } for item in items]

