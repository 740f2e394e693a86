"""The outside world of the topology test, as one separate process: the sandbox
Remnawave panel, the sandbox Crypto Pay API and a minimal Telegram Bot API, each on
its own port (PANEL, CRYPTOPAY, TELEGRAM), plus control routes the test uses to
pay an invoice, slow the panel down and read what the panel holds.

    python -m tests.topology.outside_services PANEL CRYPTOPAY TELEGRAM TOKEN
"""

import asyncio
import sys
from typing import Any

import uvicorn
from fastapi import FastAPI, Request

from cybervpn.infrastructure.sandbox.cryptobot.app import create_sandbox_cryptopay
from cybervpn.infrastructure.sandbox.cryptobot.state import CryptoPayState
from cybervpn.infrastructure.sandbox.remnawave.app import create_sandbox_panel
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState


def panel_app(state: PanelState, token: str) -> FastAPI:
    panel = create_sandbox_panel(state, token=token)
    control = FastAPI()
    delay = {"seconds": 0.0}

    @control.post("/control/latency")
    async def latency(seconds: float) -> dict[str, float]:
        delay["seconds"] = seconds
        return delay

    @control.get("/control/users")
    async def users() -> list[dict[str, Any]]:
        return [
            {"username": u.username, "expire_at": u.expire_at.isoformat()}
            for u in state.users.values()
        ]

    one_at_a_time = asyncio.Lock()

    @control.middleware("http")
    async def slow_panel(request: Request, call_next: Any) -> Any:
        """A slow panel that serves one request at a time: a backlog drains
        steadily instead of all at once, so the test can stop it half-way."""
        if delay["seconds"] and not request.url.path.startswith("/control"):
            async with one_at_a_time:
                await asyncio.sleep(delay["seconds"])
        return await call_next(request)

    control.mount("/", panel)
    return control


def cryptopay_app(state: CryptoPayState, token: str) -> FastAPI:
    api = create_sandbox_cryptopay(state, token=token)
    control = FastAPI()

    @control.post("/control/pay/{invoice_id}")
    async def pay(invoice_id: int) -> dict[str, Any]:
        """Marks the invoice paid and returns the `invoice_paid` update Crypto Pay
        would send (the test signs and delivers it)."""
        return state.paid_update(state.pay(invoice_id))

    control.mount("/", api)
    return control


def telegram_app() -> FastAPI:
    bot = FastAPI()

    @bot.post("/bot{token}/{method}")
    async def call(token: str, method: str) -> dict[str, Any]:
        return {"ok": True, "result": {"message_id": 1}}

    return bot


async def serve(ports: list[int], token: str) -> None:
    apps = [
        panel_app(PanelState(), token),
        cryptopay_app(CryptoPayState(), token),
        telegram_app(),
    ]
    servers = [
        uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        )
        for app, port in zip(apps, ports, strict=True)
    ]
    await asyncio.gather(*(server.serve() for server in servers))


if __name__ == "__main__":
    *port_args, secret = sys.argv[1:]
    asyncio.run(serve([int(port) for port in port_args], secret))
