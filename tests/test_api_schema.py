"""Schemathesis against the API's own OpenAPI document, in-process (no network)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from spikecontent.api import create_api
from tests.conftest import CONTENT, REPO

APP = create_api(CONTENT, REPO / "exporters")
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_own_contract(case: schemathesis.Case) -> None:
    case.call_and_validate()
