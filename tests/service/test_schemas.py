"""service/schemas.py: the API's response models, each field described (it becomes the OpenAPI docs) and the
search response's defaults and allowed values."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from service import schemas
from service.schemas import Interpretation, Mode, SearchResponse

MODELS = [obj for obj in vars(schemas).values()
          if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == schemas.__name__]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_is_described(model: type[BaseModel]) -> None:
    undescribed = [name for name, f in model.model_fields.items() if not (f.description or "").strip()]
    assert not undescribed, f"{model.__name__}: {undescribed}"


def test_a_literal_search_answers_without_an_interpretation_and_as_a_good_match() -> None:
    response = SearchResponse(query="netværk", mode=Mode.hybrid, results=[])
    assert response.interpreted is None and response.match == "good"
    assert response.model_dump(mode="json")["mode"] == "hybrid"


def test_match_takes_only_good_weak_or_none() -> None:
    assert SearchResponse(query="x", mode="keyword", results=[], match="none").match == "none"  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="match"):
        SearchResponse(query="x", mode=Mode.keyword, results=[], match="perfect")  # type: ignore[arg-type]


def test_the_modes_are_the_three_retrievals() -> None:
    assert [m.value for m in Mode] == ["hybrid", "semantic", "keyword"]
    with pytest.raises(ValidationError):
        SearchResponse(query="x", mode="fuzzy", results=[])  # type: ignore[arg-type]


def test_an_interpretation_needs_its_terms_and_starts_with_no_filters() -> None:
    understood = Interpretation(terms="netværk")
    assert understood.types == [] and understood.notes == [] and understood.municipality is None
    with pytest.raises(ValidationError, match="terms"):
        Interpretation()  # type: ignore[call-arg]
