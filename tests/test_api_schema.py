"""Schemathesis against the API's own OpenAPI document, in-process (no network)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from spikecontent.api import create_api
from spikecontent.api.routes import ROUTES
from spikecontent.schemas.openapi import OPERATIONS
from tests.conftest import CONTENT, REPO

APP = create_api(CONTENT, REPO / "exporters")
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_own_contract(case: schemathesis.Case) -> None:
    # A page token is opaque: the document gives its shape, and only the server knows
    # which of that shape it made (others are a 400, tests/test_api_sync.py); every
    # other check holds for a request that sends one.
    opaque = "page_token" in (case.query or {})
    case.call_and_validate(excluded_checks=[positive_data_acceptance] if opaque else None)


def test_every_route_is_described_once_in_its_order() -> None:
    # The routes live in api/routes.py and the document's words for them in
    # schemas/openapi.py: a route without words (or words without a route) fails here,
    # not as a 500 from /openapi.json.
    assert list(OPERATIONS) == [route.name for route in ROUTES]
