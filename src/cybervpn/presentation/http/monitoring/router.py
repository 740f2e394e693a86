"""The staff live monitoring feed: a ticket, then a WebSocket.

On connect the socket sends every node's status, then each panel event as it is
accepted, and the node status again every NODE_STATUS_SECONDS (read through the
panel cache, so many open sockets cost the panel one request per cache period).
"""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, WebSocket, status

from cybervpn.application.fleet.ports import ServerPanel
from cybervpn.application.identity.authenticate import Caller
from cybervpn.domain.common.errors import PermissionDeniedError
from cybervpn.domain.fleet.errors import PanelUnavailableError
from cybervpn.domain.identity.errors import InvalidTokenError
from cybervpn.domain.identity.roles import Permission
from cybervpn.presentation.http.dependencies import ContainerDep, require
from cybervpn.presentation.http.monitoring.schemas import (
    NodeStatus,
    NodeStatusMessage,
    TicketResponse,
)
from cybervpn.presentation.http.monitoring.use_cases import (
    IssueMonitoringTicketDep,
    RedeemMonitoringTicketDep,
)

router = APIRouter(prefix="/ws", tags=["live-feed"])
Reader = Annotated[Caller, require(Permission.FLEET_READ)]
NODE_STATUS_SECONDS = 15.0


@router.post(
    "/ticket",
    status_code=status.HTTP_201_CREATED,
    summary="Get a ticket that opens the live feed",
)
async def issue_ticket(
    caller: Reader, issue: IssueMonitoringTicketDep
) -> TicketResponse:
    issued = await issue.execute(caller)
    return TicketResponse(ticket=issued.ticket, expires_in=issued.expires_in)


@router.websocket("/monitoring")
async def monitoring_feed(
    websocket: WebSocket,
    ticket: Annotated[str, Query(max_length=128)],
    redeem: RedeemMonitoringTicketDep,
    c: ContainerDep,
) -> None:
    try:
        await redeem.execute(ticket)
    except (InvalidTokenError, PermissionDeniedError):
        # Closing before accepting answers the handshake with HTTP 403.
        await websocket.close(code=status.WS_1008_POLICY_VIOLATION)
        return
    await websocket.accept()
    async with c.live_feed.subscription() as events:
        await _stream(websocket, c.vpn_panel.panel.servers, events)


async def _stream(
    websocket: WebSocket, panel: ServerPanel, events: AsyncIterator[dict[str, Any]]
) -> None:
    tasks = [
        asyncio.create_task(_forward_events(websocket, events)),
        asyncio.create_task(_send_node_status(websocket, panel)),
        asyncio.create_task(_until_disconnect(websocket)),
    ]
    try:
        # Whichever ends first (the client leaves, or a send fails) ends them all.
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task


async def _forward_events(
    websocket: WebSocket, events: AsyncIterator[dict[str, Any]]
) -> None:
    async for event in events:
        await websocket.send_text(json.dumps(event, default=str))


async def _send_node_status(websocket: WebSocket, panel: ServerPanel) -> None:
    while True:
        message = await _node_status(panel)
        await websocket.send_text(message.model_dump_json())
        await asyncio.sleep(NODE_STATUS_SECONDS)


async def _node_status(panel: ServerPanel) -> NodeStatusMessage:
    try:
        servers = await panel.list_servers()
    except PanelUnavailableError:
        return NodeStatusMessage(nodes=None, detail="VPN panel unavailable")
    return NodeStatusMessage(nodes=[NodeStatus.model_validate(s) for s in servers])


async def _until_disconnect(websocket: WebSocket) -> None:
    # The feed is one way; whatever the client sends is read only to notice it leave.
    while (await websocket.receive())["type"] != "websocket.disconnect":
        pass
