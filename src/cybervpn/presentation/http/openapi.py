"""The OpenAPI document as the API's contract.

FastAPI describes the routes and their 2xx bodies; this adds what clients need to
handle failure: one error body `{detail, code}` in components, and on every
operation each error status it can answer with the codes behind it (from
`error_catalog`, which reads them out of the code), with examples.
"""

from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from cybervpn.domain.common.errors import DomainError
from cybervpn.presentation.http.dependencies import get_caller
from cybervpn.presentation.http.error_catalog import route_errors
from cybervpn.presentation.http.errors import (
    SERVICE_BUSY,
    STORAGE_UNAVAILABLE,
    VALIDATION_FAILED,
    status_of,
)

DESCRIPTION = """\
Accounts, VPN access on a Remnawave panel, and payments through Crypto Pay.

Every error answers `{"detail": "...", "code": "..."}` with a stable `code`; a 422
from validation carries the list of problems in `detail` (each with `loc`, `msg`
and `type`) and the code `validation_failed`. Collections answer
`{"items": [...], "total": n}` (with `limit` and `offset` when paginated).
Authenticate with `Authorization: Bearer <access_token>` from `auth-login`.
"""

TAGS: list[dict[str, str]] = [
    {"name": "auth", "description": "Sign-up, login (with the 2FA step), tokens."},
    {"name": "two-factor", "description": "TOTP two-factor authentication."},
    {"name": "accounts", "description": "Staff manage accounts and roles."},
    {
        "name": "service-tokens",
        "description": "Credentials of our own services (the Telegram bot).",
    },
    {"name": "bot", "description": "The Telegram bot's calls, by service token."},
    {"name": "audit", "description": "The audit log of staff and security events."},
    {"name": "vpn-users", "description": "Staff manage the panel's VPN users."},
    {"name": "servers", "description": "Staff manage the panel's nodes."},
    {"name": "routing", "description": "Config profiles, inbounds, squads, hosts."},
    {"name": "panel-stats", "description": "The panel's system and bandwidth figures."},
    {"name": "live-feed", "description": "Staff live monitoring over WebSocket."},
    {"name": "plans", "description": "The plans on sale; staff manage them."},
    {"name": "subscriptions", "description": "A customer's VPN access and the trial."},
    {"name": "payments", "description": "Invoices, payments and their history."},
    {"name": "promo-codes", "description": "Promo codes: staff manage, customers use."},
    {"name": "referrals", "description": "A customer's referral code and rewards."},
    {
        "name": "webhooks",
        "description": "Signed callbacks from Crypto Pay and the panel.",
    },
    {"name": "jobs", "description": "Background work, notifications, webhook log."},
    {"name": "health", "description": "Liveness and readiness probes."},
    {"name": "sandbox", "description": "Development only: pay sandbox invoices."},
]

_SHARED = {
    400: [("bad_request", "There was an error parsing the body")],
    413: [("body_too_large", "Request body too large")],
    429: [("rate_limited", "Too many requests")],
    503: [STORAGE_UNAVAILABLE, SERVICE_BUSY],
}
_NO_DATABASE = {"/health"}
_SCHEMAS: dict[str, Any] = {
    "ErrorBody": {
        "type": "object",
        "required": ["detail", "code"],
        "properties": {
            "detail": {"type": "string", "description": "For people; may change."},
            "code": {"type": "string", "description": "For programs; stable."},
        },
        "example": {"detail": "Plan not found", "code": "plan_not_found"},
    },
    "ValidationIssue": {
        "type": "object",
        "required": ["loc", "msg", "type"],
        "properties": {
            "loc": {
                "type": "array",
                "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            },
            "msg": {"type": "string"},
            "type": {"type": "string"},
        },
    },
    "UnprocessableBody": {
        "type": "object",
        "required": ["detail", "code"],
        "properties": {
            "detail": {
                "anyOf": [
                    {"type": "string"},
                    {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/ValidationIssue"},
                    },
                ]
            },
            "code": {"type": "string"},
        },
    },
}


# The journeys clients (and the fuzzer's stateful phase) follow: each answer
# carries what the next call needs.
LINKS: dict[tuple[str, str], dict[str, dict[str, Any]]] = {
    ("auth-register", "201"): {
        "SignIn": {
            "operationId": "auth-login",
            "requestBody": {
                "email": "$request.body#/email",
                "password": "$request.body#/password",
            },
        }
    },
    ("plans-list-active-plans", "200"): {
        "BuyThePlan": {
            "operationId": "payments-create-crypto-invoice",
            "requestBody": {"plan_id": "$response.body#/items/0/id"},
        }
    },
    ("payments-create-crypto-invoice", "201"): {
        "ReadThePayment": {
            "operationId": "payments-get-payment",
            "parameters": {"payment_id": "$response.body#/payment_id"},
        },
        "PayInTheSandbox": {
            "operationId": "sandbox-pay-sandbox-invoice",
            "parameters": {"invoice_id": "$response.body#/invoice_id"},
        },
    },
    ("plans-create-plan", "201"): {
        "ChangeThePlan": {
            "operationId": "plans-update-plan",
            "parameters": {"plan_id": "$response.body#/id"},
        }
    },
    ("vpn-users-create-vpn-user", "201"): {
        "ReadTheVpnUser": {
            "operationId": "vpn-users-get-vpn-user",
            "parameters": {"user_id": "$response.body#/id"},
        }
    },
}


def operation_id(route: APIRoute) -> str:
    """`<tag>-<what it does>`, e.g. `auth-login`: short and stable. (Untagged
    routes are the docs pages, which are not in the document.)"""
    group = route.tags[0] if route.tags else "docs"
    return f"{group}-{route.name.replace('_', '-')}"


def api_routes(routes: Iterable[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # an included router
            yield from api_routes(route.original_router.routes)


def build_document(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title,
        version=app.version,
        description=DESCRIPTION,
        routes=app.routes,
        tags=TAGS,
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas.update(_SCHEMAS)
    operations = {
        operation["operationId"]: operation
        for methods in document["paths"].values()
        for operation in methods.values()
    }
    for (source, status), links in LINKS.items():
        if source in operations:
            operations[source]["responses"][status]["links"] = links
    shared: dict[str, Any] = document["components"].setdefault("responses", {})
    for route in api_routes(app.routes):
        operation = operations.get(operation_id(route))
        if operation is not None:
            _document_errors(route, operation, shared)
    app.openapi_schema = document
    return document


def _document_errors(
    route: APIRoute, operation: dict[str, Any], shared: dict[str, Any]
) -> None:
    by_status: dict[int, list[tuple[str, str]]] = {}
    for error in sorted(
        route_errors(route, caller=get_caller, permission_check="require."),
        key=lambda e: e.code,
    ):
        by_status.setdefault(status_of(error), []).append(_code(error))
    by_status.setdefault(422, []).insert(0, (VALIDATION_FAILED, "Invalid request"))
    if route.body_field is not None or (route.methods or set()) & {
        "POST",
        "PUT",
        "PATCH",
    }:
        # Bytes that are not JSON text (invalid UTF-8) are a 400, before any
        # validation; too many of them a 413 (a DELETE with a body too).
        by_status[400] = [*by_status.get(400, []), *_SHARED[400]]
        by_status[413] = list(_SHARED[413])
    if route.path not in _NO_DATABASE:
        by_status[429] = list(_SHARED[429])
        by_status[503] = [*by_status.get(503, []), *_SHARED[503]]
    responses = operation.setdefault("responses", {})
    responses.pop("422", None)  # FastAPI's own, replaced by the real shape
    for status in sorted(by_status):
        if str(status) in responses:
            continue
        codes = list(dict.fromkeys(by_status[status]))
        # One definition per set of codes, in components, referred to from every
        # operation that shares it.
        name = f"{status}-" + "-".join(code for code, _ in codes)
        shared.setdefault(name, _response(status, codes))
        responses[str(status)] = {"$ref": f"#/components/responses/{name}"}


def _code(error: type[DomainError]) -> tuple[str, str]:
    return error.code, error.default_message


def _response(status: int, unique: list[tuple[str, str]]) -> dict[str, Any]:
    schema = "UnprocessableBody" if status == 422 else "ErrorBody"
    examples = {
        code: {
            "summary": message,
            "value": {
                "detail": (
                    [
                        {
                            "loc": ["body", "email"],
                            "msg": "Field required",
                            "type": "missing",
                        }
                    ]
                    if code == VALIDATION_FAILED
                    else message
                ),
                "code": code,
            },
        }
        for code, message in unique
    }
    return {
        "description": "; ".join(f"`{code}`: {message}" for code, message in unique),
        "content": {
            "application/json": {
                "schema": {"$ref": f"#/components/schemas/{schema}"},
                "examples": examples,
            }
        },
    }
