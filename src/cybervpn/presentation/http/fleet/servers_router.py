"""/servers: staff manage the panel's nodes."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Response, status

from cybervpn.application.identity.authenticate import Caller
from cybervpn.domain.fleet.geolocation import Geolocation
from cybervpn.domain.fleet.server import (
    NewServer,
    ServerAction,
    ServerChanges,
)
from cybervpn.domain.identity.roles import Permission
from cybervpn.presentation.http.bodies import domain_values, patch_values
from cybervpn.presentation.http.dependencies import OriginDep, require
from cybervpn.presentation.http.fleet.schemas import (
    CreateServerRequest,
    FleetStatsResponse,
    GeolocationBody,
    ServerResponse,
    UpdateServerRequest,
)
from cybervpn.presentation.http.fleet.use_cases import (
    ApplyServerActionDep,
    CreateServerDep,
    DeleteServerDep,
    GetFleetStatsDep,
    GetServerDep,
    ListServersDep,
    SetServerGeolocationDep,
    UpdateServerDep,
)
from cybervpn.presentation.http.pagination import ListResponse

router = APIRouter(prefix="/servers", tags=["servers"])
Reader = Annotated[Caller, require(Permission.FLEET_READ)]
Manager = Annotated[Caller, require(Permission.SERVERS_MANAGE)]


@router.get("", summary="List servers")
async def list_servers(
    _caller: Reader,
    lister: ListServersDep,
) -> ListResponse[ServerResponse]:
    return ListResponse[ServerResponse].of(await lister.execute())


@router.get("/stats", summary="Counts of servers by state")
async def server_stats(_caller: Reader, reader: GetFleetStatsDep) -> FleetStatsResponse:
    return FleetStatsResponse.model_validate(await reader.execute())


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a server")
async def create_server(
    body: CreateServerRequest,
    caller: Manager,
    origin: OriginDep,
    create: CreateServerDep,
) -> ServerResponse:
    server = await create.execute(
        actor=caller.account, server=NewServer(**domain_values(body)), origin=origin
    )
    return ServerResponse.model_validate(server)


@router.get("/{server_uuid}", summary="Read a server")
async def get_server(
    server_uuid: UUID,
    _caller: Reader,
    reader: GetServerDep,
) -> ServerResponse:
    server = await reader.execute(server_uuid)
    return ServerResponse.model_validate(server)


@router.put("/{server_uuid}/geolocation", summary="Set a server's map position")
async def set_server_geolocation(
    server_uuid: UUID,
    body: GeolocationBody,
    caller: Manager,
    origin: OriginDep,
    set_location: SetServerGeolocationDep,
) -> ServerResponse:
    """Our own map position of a server, merged into every server response."""
    server = await set_location.execute(
        actor=caller.account,
        server_uuid=server_uuid,
        location=Geolocation(**domain_values(body)),
        origin=origin,
    )
    return ServerResponse.model_validate(server)


@router.patch("/{server_uuid}", summary="Change a server")
async def update_server(
    server_uuid: UUID,
    body: UpdateServerRequest,
    caller: Manager,
    origin: OriginDep,
    update: UpdateServerDep,
) -> ServerResponse:
    values = patch_values(body, nullable=())
    server = await update.execute(
        actor=caller.account,
        server_uuid=server_uuid,
        changes=ServerChanges(fields_set=frozenset(values), **values),
        origin=origin,
    )
    return ServerResponse.model_validate(server)


@router.delete(
    "/{server_uuid}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a server"
)
async def delete_server(
    server_uuid: UUID,
    caller: Manager,
    origin: OriginDep,
    delete: DeleteServerDep,
) -> Response:
    await delete.execute(actor=caller.account, server_uuid=server_uuid, origin=origin)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{server_uuid}/{action}", summary="Enable, disable or restart a server")
async def server_action(
    server_uuid: UUID,
    action: ServerAction,
    caller: Manager,
    origin: OriginDep,
    apply: ApplyServerActionDep,
) -> ServerResponse:
    """enable, disable or restart (a restart happens on the panel's side)."""
    server = await apply.execute(
        actor=caller.account, server_uuid=server_uuid, action=action, origin=origin
    )
    return ServerResponse.model_validate(server)
