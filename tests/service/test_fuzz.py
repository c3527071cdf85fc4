"""Fuzz the whole HTTP API from its own OpenAPI schema (schemathesis) against a real uvicorn server:
no 500s, and every response matches its documented schema."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from schemathesis import checks as sc

schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate(checks=[sc.not_a_server_error, status_code_conformance, content_type_conformance,
                                   response_schema_conformance], timeout=30)
