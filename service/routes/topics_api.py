"""GET /topics and /topics/{id} (the work is in service/topics.py)."""

from __future__ import annotations

from fastapi import APIRouter

from service.deps import GenerationDep
from service.overlaps import AnalysisMissingError
from service.problems import Problem, not_found
from service.routes.overlaps_api import ANALYSIS_MISSING
from service.topics import TopicDetail, TopicsResponse, UnknownTopicError, list_topics, topic_detail

router = APIRouter(tags=["topics"])


@router.get("/topics", response_model=TopicsResponse,
            summary="Every topic with its node counts per municipality and per document",
            responses={503: ANALYSIS_MISSING})
def topics_route(gen: GenerationDep) -> TopicsResponse:
    try:
        return list_topics(gen)
    except AnalysisMissingError as exc:
        raise Problem(503, "Analysis missing", str(exc), kind="analysis-missing") from exc


@router.get("/topics/{topic_id}", response_model=TopicDetail,
            summary="Which tracks, principles and statements cover a topic, grouped by municipality",
            responses={503: ANALYSIS_MISSING})
def topic_route(topic_id: str, gen: GenerationDep) -> TopicDetail:
    """``topic_id`` is the topic's id (e.g. netvaerk-og-paaroerende) or its Danish or English label."""
    try:
        return topic_detail(gen, topic_id)
    except UnknownTopicError as exc:
        raise not_found("topic", topic_id) from exc
    except AnalysisMissingError as exc:
        raise Problem(503, "Analysis missing", str(exc), kind="analysis-missing") from exc
