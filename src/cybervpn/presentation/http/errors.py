"""One mapping from errors to HTTP responses, applied at the edge.

Messages are generic and fixed per error kind: no ids, SQL, stack traces or internal
names ever reach a client. The log keeps the details, with the request id.
"""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from cybervpn.application.common.errors import (
    ServiceBusyError,
    StorageUnavailableError,
)
from cybervpn.domain.billing.payment import PaymentProviderUnavailableError
from cybervpn.domain.common.errors import (
    AuthenticationError,
    BusinessRuleError,
    ConflictError,
    DomainError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
)
from cybervpn.domain.fleet.errors import PanelUnavailableError
from cybervpn.domain.identity.errors import OAuthProviderUnavailableError
from cybervpn.domain.webhooks.delivery import WebhookRejectedError

STATUS_BY_ERROR: dict[type[DomainError], int] = {
    PanelUnavailableError: 503,
    PaymentProviderUnavailableError: 503,
    OAuthProviderUnavailableError: 503,
    WebhookRejectedError: 401,
    AuthenticationError: 401,
    PaymentRequiredError: 402,
    PermissionDeniedError: 403,
    NotFoundError: 404,
    ConflictError: 409,
    BusinessRuleError: 422,
    DomainError: 400,
}

CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    402: "payment_required",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "body_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    503: "service_unavailable",
}


def error_body(detail: str, code: str) -> dict[str, str]:
    return {"detail": detail, "code": code}


def body_too_large_response() -> JSONResponse:
    return JSONResponse(error_body("Request body too large", "body_too_large"), 413)


STORAGE_UNAVAILABLE = (
    "storage_unavailable",
    "Storage is unavailable, try again shortly",
)
SERVICE_BUSY = ("service_busy", "Service is busy, try again shortly")
VALIDATION_FAILED = "validation_failed"


def status_of(kind: type[DomainError]) -> int:
    for base in kind.__mro__:
        if base in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[base]
    return 400


def status_for(error: DomainError) -> int:
    return status_of(type(error))


async def _domain_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainError)  # noqa: S101 - registered for DomainError only
    status = status_for(error)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(error_body(str(error), error.code), status, headers=headers)


async def _service_busy(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ServiceBusyError)  # noqa: S101 - registered for it only
    code, detail = (
        STORAGE_UNAVAILABLE
        if isinstance(error, StorageUnavailableError)
        else SERVICE_BUSY
    )
    body = error_body(detail, code)
    return JSONResponse(
        body,
        503,
        headers={"Retry-After": str(error.retry_after_seconds)},
    )


async def _http_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)  # noqa: S101
    code = CODE_BY_STATUS.get(error.status_code, "http_error")
    return JSONResponse(
        error_body(str(error.detail), code), error.status_code, headers=error.headers
    )


async def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    # FastAPI's list shape, without the "input" and "ctx" members: they would echo
    # what was sent, passwords included.
    assert isinstance(error, RequestValidationError)  # noqa: S101
    detail: list[dict[str, Any]] = [
        {"loc": list(item["loc"]), "msg": item["msg"], "type": item["type"]}
        for item in error.errors()
    ]
    return JSONResponse({"detail": detail, "code": VALIDATION_FAILED}, 422)


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(ServiceBusyError, _service_busy)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
