"""/servers: staff manage the panel's nodes."""

from collections.abc import Sequence
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response, status

from cybervpn.application.fleet.apply_server_action import ApplyServerAction
from cybervpn.application.fleet.create_server import CreateServer
from cybervpn.application.fleet.delete_server import DeleteServer
from cybervpn.application.fleet.get_fleet_stats import GetFleetStats
from cybervpn.application.fleet.get_server import GetServer
from cybervpn.application.fleet.list_servers import ListServers
from cybervpn.application.fleet.server_geolocations import SetServerGeolocation
from cybervpn.application.fleet.update_server import UpdateServer
from cybervpn.application.identity.authenticate import Caller
from cybervpn.domain.fleet.geolocation import Geolocation
from cybervpn.domain.fleet.server import (
    NewServer,
    Server,
    ServerAction,
    ServerChanges,
)
from cybervpn.domain.identity.roles import Permission
from cybervpn.presentation.http.bodies import domain_values
from cybervpn.presentation.http.dependencies import OriginDep, UowDep, require
from cybervpn.presentation.http.fleet import use_cases
from cybervpn.presentation.http.fleet.schemas import (
    CreateServerRequest,
    FleetStatsResponse,
    GeolocationBody,
    ServerResponse,
    UpdateServerRequest,
)
from cybervpn.presentation.http.fleet.use_cases import PanelDep

router = APIRouter(prefix="/servers", tags=["fleet: servers"])
Reader = Annotated[Caller, require(Permission.FLEET_READ)]
Manager = Annotated[Caller, require(Permission.SERVERS_MANAGE)]
ActionDep = Annotated[ApplyServerAction, Depends(use_cases.get_server_action)]


def _responses(servers: Sequence[Server]) -> list[ServerResponse]:
    return [ServerResponse.model_validate(s) for s in servers]


@router.get("")
async def list_servers(
    _caller: Reader, panel: PanelDep, uow: UowDep
) -> list[ServerResponse]:
    return _responses(await ListServers(panel=panel, uow=uow).execute())


@router.get("/stats")
async def server_stats(_caller: Reader, panel: PanelDep) -> FleetStatsResponse:
    return FleetStatsResponse.model_validate(await GetFleetStats(panel).execute())


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_server(
    body: CreateServerRequest,
    caller: Manager,
    origin: OriginDep,
    create: Annotated[CreateServer, Depends(use_cases.get_create_server)],
) -> ServerResponse:
    server = await create.execute(
        actor=caller.account, server=NewServer(**domain_values(body)), origin=origin
    )
    return ServerResponse.model_validate(server)


@router.get("/{server_uuid}")
async def get_server(
    server_uuid: UUID, _caller: Reader, panel: PanelDep, uow: UowDep
) -> ServerResponse:
    server = await GetServer(panel=panel, uow=uow).execute(server_uuid)
    return ServerResponse.model_validate(server)


@router.put("/{server_uuid}/geolocation")
async def set_server_geolocation(
    server_uuid: UUID,
    body: GeolocationBody,
    caller: Manager,
    origin: OriginDep,
    set_location: Annotated[
        SetServerGeolocation, Depends(use_cases.get_set_server_geolocation)
    ],
) -> ServerResponse:
    """Our own map position of a server, merged into every server response."""
    server = await set_location.execute(
        actor=caller.account,
        server_uuid=server_uuid,
        location=Geolocation(**domain_values(body)),
        origin=origin,
    )
    return ServerResponse.model_validate(server)


@router.patch("/{server_uuid}")
async def update_server(
    server_uuid: UUID,
    body: UpdateServerRequest,
    caller: Manager,
    origin: OriginDep,
    update: Annotated[UpdateServer, Depends(use_cases.get_update_server)],
) -> ServerResponse:
    values = domain_values(body, only_sent=True)
    server = await update.execute(
        actor=caller.account,
        server_uuid=server_uuid,
        changes=ServerChanges(fields_set=frozenset(values), **values),
        origin=origin,
    )
    return ServerResponse.model_validate(server)


@router.delete("/{server_uuid}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_server(
    server_uuid: UUID,
    caller: Manager,
    origin: OriginDep,
    delete: Annotated[DeleteServer, Depends(use_cases.get_delete_server)],
) -> Response:
    await delete.execute(actor=caller.account, server_uuid=server_uuid, origin=origin)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{server_uuid}/{action}")
async def server_action(
    server_uuid: UUID,
    action: ServerAction,
    caller: Manager,
    origin: OriginDep,
    apply: ActionDep,
) -> ServerResponse:
    """enable, disable or restart (a restart happens on the panel's side)."""
    server = await apply.execute(
        actor=caller.account, server_uuid=server_uuid, action=action, origin=origin
    )
    return ServerResponse.model_validate(server)
