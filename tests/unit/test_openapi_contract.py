"""The OpenAPI document is the contract: committed, complete about errors, and in
step with the code."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute, APIWebSocketRoute
from pydantic import BaseModel
from starlette.routing import Mount, Route

from cybervpn.config import (
    AppSettings,
    CryptoBotSettings,
    Environment,
    HttpSettings,
    Settings,
)
from cybervpn.presentation.http.app import contract_document, create_app
from cybervpn.presentation.http.billing.schemas import (
    InvoiceCreate,
    InvoiceResponse,
    PaymentResponse,
)
from cybervpn.presentation.http.catalog.schemas import PlanCreate, PlanResponse
from cybervpn.presentation.http.openapi import TAGS
from cybervpn.presentation.http.subscriptions.schemas import SubscriptionResponse

pytestmark = pytest.mark.unit
COMMITTED = Path(__file__).parents[2] / "docs" / "openapi.json"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return contract_document()


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


def test_the_committed_document_is_the_codes(document: dict[str, Any]) -> None:
    committed = json.loads(COMMITTED.read_text())
    assert committed == document, (
        "docs/openapi.json is out of date: "
        "python3 -m uv run cybervpn openapi > docs/openapi.json"
    )


def test_operation_ids_are_short_stable_and_unique(document: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in _operations(document)]
    assert len(ids) == len(set(ids))
    for operation_id in ids:
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)+", operation_id), operation_id
    assert "auth-login" in ids and "payments-create-crypto-invoice" in ids


def test_every_tag_is_described_and_used(document: dict[str, Any]) -> None:
    described = {tag["name"] for tag in TAGS}
    used = {op["tags"][0] for _, _, op in _operations(document)}
    assert used <= described and all(tag["description"] for tag in TAGS)


def test_every_operation_documents_its_errors(document: dict[str, Any]) -> None:
    shared = document["components"]["responses"]
    for path, method, operation in _operations(document):
        responses = operation["responses"]
        assert "422" in responses, (method, path)
        for status, response in responses.items():
            if int(status) < 400 or path == "/ready":
                continue
            name = response["$ref"].rsplit("/", 1)[1]
            content = shared[name]["content"]["application/json"]
            assert content["schema"]["$ref"].endswith(
                ("/ErrorBody", "/UnprocessableBody")
            )
            assert all(e["value"]["code"] for e in content["examples"].values()), name


def test_an_authenticated_route_documents_401_and_a_staff_route_403(
    document: dict[str, Any],
) -> None:
    me = document["paths"]["/api/v1/auth/me"]["get"]["responses"]
    assert "401" in me and "403" not in me
    plans = document["paths"]["/api/v1/admin/plans"]["post"]["responses"]
    assert {"401", "403", "409", "413", "422", "429", "503"} <= plans.keys()
    codes = document["components"]["responses"][plans["409"]["$ref"].rsplit("/")[-1]]
    assert "plan_code_taken" in codes["description"]


def test_every_operation_has_a_summary_written_for_people(
    document: dict[str, Any],
) -> None:
    for _, _, operation in _operations(document):
        # FastAPI's own summary is the function name in title case.
        summary = operation["summary"]
        generated = operation["operationId"].split("-", 1)[1].replace("-", " ")
        assert summary != generated.title() or " " not in summary, summary
        assert summary[0].isupper() and not summary.endswith(".")


@pytest.mark.parametrize(
    "model",
    [
        PlanCreate,
        PlanResponse,
        InvoiceCreate,
        InvoiceResponse,
        PaymentResponse,
        SubscriptionResponse,
    ],
)
def test_the_money_plan_invoice_and_subscription_examples_are_valid(
    model: type[BaseModel],
) -> None:
    extra = model.model_config.get("json_schema_extra")
    assert isinstance(extra, dict)
    examples = extra["examples"]
    assert isinstance(examples, list) and examples
    for example in examples:
        model.model_validate(example)


def test_every_route_sits_on_the_app_itself() -> None:
    # A router included FastAPI's way is walked on every request (flat_routes.py).
    app = create_app(
        Settings(
            app=AppSettings(environment=Environment.DEVELOPMENT),
            cryptobot=CryptoBotSettings(token=None),
            http=HttpSettings(docs_enabled=True),
        )
    )
    kinds = {type(route) for route in app.router.routes}
    assert kinds <= {APIRoute, APIWebSocketRoute, Route, Mount}, kinds
    api = [r for r in app.router.routes if isinstance(r, APIRoute)]
    assert api[0].path == "/health"  # the probes are matched first
