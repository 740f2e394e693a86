"""The sandbox Crypto Pay HTTP API: the methods our client calls, with the same
token header, `{ok, result}` envelope and error shape."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from cybervpn.infrastructure.sandbox.cryptobot.state import (
    CryptoPayError,
    CryptoPayState,
)


def _ok(result: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def _error(status: int, name: str) -> JSONResponse:
    return JSONResponse(
        {"ok": False, "error": {"code": status, "name": name}}, status_code=status
    )


async def _params(request: Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query_params)
    if request.method == "POST" and await request.body():
        body = await request.json()
        if isinstance(body, dict):
            params |= body
    return params


def create_sandbox_cryptopay(state: CryptoPayState, *, token: str) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.middleware("http")
    async def app_token(request: Request, call_next: Any) -> Any:
        if state.outage:
            return _error(503, "SERVICE_UNAVAILABLE")
        if request.headers.get("crypto-pay-api-token") != token:
            return _error(401, "UNAUTHORIZED")
        try:
            return await call_next(request)
        except CryptoPayError as error:
            return _error(error.status, error.name)

    @app.api_route("/api/getMe", methods=["GET", "POST"])
    async def get_me() -> JSONResponse:
        return _ok(
            {
                "app_id": 1,
                "name": "CyberVPN sandbox",
                "payment_processing_bot_username": "CryptoTestnetBot",
            }
        )

    @app.api_route("/api/createInvoice", methods=["GET", "POST"])
    async def create_invoice(request: Request) -> JSONResponse:
        invoice = state.create_invoice(await _params(request))
        return _ok(state.invoice_json(invoice))

    @app.api_route("/api/getInvoices", methods=["GET", "POST"])
    async def get_invoices(request: Request) -> JSONResponse:
        params = await _params(request)
        raw_ids = str(params.get("invoice_ids") or "")
        ids = [int(i) for i in raw_ids.split(",") if i.strip().isdigit()]
        invoices = state.find(ids) if ids else list(state.invoices.values())
        status = params.get("status")
        if status:
            invoices = [i for i in invoices if i.status == status]
        return _ok({"items": [state.invoice_json(i) for i in invoices]})

    return app
