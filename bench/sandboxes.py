"""The sandbox panel and sandbox Crypto Pay as real HTTP servers, for benchmarks:
the api and the worker then share one panel, over the network, as in production.

    python bench/sandboxes.py PANEL_PORT CRYPTOPAY_PORT TOKEN
"""

import asyncio
import sys

import uvicorn

from cybervpn.infrastructure.sandbox.cryptobot.app import create_sandbox_cryptopay
from cybervpn.infrastructure.sandbox.cryptobot.state import CryptoPayState
from cybervpn.infrastructure.sandbox.remnawave.app import create_sandbox_panel
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState


async def main(panel_port: int, cryptopay_port: int, token: str) -> None:
    panel = create_sandbox_panel(PanelState(), token=token)
    cryptopay = create_sandbox_cryptopay(CryptoPayState(), token=token)
    servers = [
        uvicorn.Server(
            uvicorn.Config(app, port=port, log_level="warning", access_log=False)
        )
        for app, port in ((panel, panel_port), (cryptopay, cryptopay_port))
    ]
    await asyncio.gather(*(server.serve() for server in servers))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]))
