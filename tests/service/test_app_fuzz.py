"""Fuzz the whole HTTP API from its own OpenAPI schema (schemathesis) against a real uvicorn server:
no 500s, and every response matches its documented schema."""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks as sc
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.app import create_app
from service.settings import ServiceSettings

# The schema is the app's own, generated without starting it; requests go to the live server fixture.
schema = schemathesis.openapi.from_dict(create_app(ServiceSettings()).openapi())

CHECKS = [sc.not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@schema.parametrize()
@settings(max_examples=int(os.environ.get("STRATEGIGRAF_FUZZ_EXAMPLES", "25")), deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_api_conforms_to_its_schema(case, live_server: str) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate(base_url=live_server, checks=CHECKS, timeout=30)
