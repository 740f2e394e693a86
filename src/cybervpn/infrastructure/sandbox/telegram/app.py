"""The sandbox Bot API over HTTP: `POST /bot{token}/{method}` with a JSON body,
answered with Telegram's `{ok, result}` envelope and error shape."""

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from cybervpn.infrastructure.sandbox.telegram.state import BotApiRefusal, BotApiState


def _error(status: int, description: str) -> JSONResponse:
    return JSONResponse(
        {"ok": False, "error_code": status, "description": description},
        status_code=status,
    )


def create_sandbox_bot_api(state: BotApiState, *, token: str) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    methods: dict[str, Callable[[dict[str, Any]], Any]] = {
        "createInvoiceLink": state.create_invoice_link,
        "answerPreCheckoutQuery": state.answer_pre_checkout,
        "refundStarPayment": state.refund,
        "editUserStarSubscription": state.edit_subscription,
        "getStarTransactions": state.transactions,
        "sendMessage": state.send_message,
    }

    @app.middleware("http")
    async def envelope(
        request: Request, call_next: Callable[[Request], Awaitable[Any]]
    ) -> Any:
        if state.outage:
            return _error(502, "Bad Gateway")
        return await call_next(request)

    @app.post("/bot{given}/{method}")
    async def call(given: str, method: str, request: Request) -> JSONResponse:
        if given != token:
            return _error(401, "Unauthorized")
        handler = methods.get(method)
        if handler is None:
            return _error(404, "Not Found: method not found")
        if method in state.failing_methods:
            return _error(502, "Bad Gateway")
        try:
            params = await request.json()
        except ValueError:
            return _error(400, "Bad Request: the body is not JSON")
        if not isinstance(params, dict):
            return _error(400, "Bad Request: the body is not an object")
        try:
            result = handler(params)
        except BotApiRefusal as refusal:
            return _error(refusal.status, refusal.description)
        return JSONResponse({"ok": True, "result": result})

    return app
