"""/config-profiles, /inbounds (read), /squads and /hosts: how traffic is routed."""

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Response, status

from cybervpn.application.identity.authenticate import Caller
from cybervpn.domain.fleet.routing import (
    HostChanges,
    NewHost,
    NewSquad,
    SquadChanges,
    SquadMembership,
)
from cybervpn.domain.identity.roles import Permission
from cybervpn.presentation.http.bodies import domain_values, patch_values
from cybervpn.presentation.http.dependencies import OriginDep, require
from cybervpn.presentation.http.fleet.routing_schemas import (
    ConfigProfileResponse,
    CreateHostRequest,
    CreateSquadRequest,
    HostResponse,
    InboundUsageResponse,
    SquadMembersRequest,
    SquadResponse,
    UpdateHostRequest,
    UpdateSquadRequest,
)
from cybervpn.presentation.http.fleet.use_cases import (
    ManageHostsDep,
    ManageSquadsDep,
    RoutingCatalogDep,
)
from cybervpn.presentation.http.pagination import ListResponse

router = APIRouter(tags=["routing"])
Reader = Annotated[Caller, require(Permission.FLEET_READ)]
RoutingManager = Annotated[Caller, require(Permission.SERVERS_MANAGE)]
MembersManager = Annotated[Caller, require(Permission.VPN_USERS_MANAGE)]
NO_CONTENT = status.HTTP_204_NO_CONTENT


# --- config profiles and inbounds ---------------------------------------------


@router.get("/config-profiles", summary="List config profiles")
async def list_config_profiles(
    _caller: Reader,
    catalog: RoutingCatalogDep,
) -> ListResponse[ConfigProfileResponse]:
    return ListResponse[ConfigProfileResponse].of(await catalog.config_profiles())


@router.get("/config-profiles/{profile_uuid}", summary="Read a config profile")
async def get_config_profile(
    profile_uuid: UUID,
    _caller: Reader,
    catalog: RoutingCatalogDep,
) -> ConfigProfileResponse:
    profile = await catalog.config_profile(profile_uuid)
    return ConfigProfileResponse.model_validate(profile)


@router.get("/inbounds", summary="List inbounds and their use")
async def list_inbounds(
    _caller: Reader, catalog: RoutingCatalogDep
) -> ListResponse[InboundUsageResponse]:
    return ListResponse[InboundUsageResponse].of(await catalog.inbounds())


# --- internal squads ----------------------------------------------------------


@router.get("/squads", summary="List internal squads")
async def list_squads(
    _caller: Reader, catalog: RoutingCatalogDep
) -> ListResponse[SquadResponse]:
    return ListResponse[SquadResponse].of(await catalog.squads())


@router.post(
    "/squads", status_code=status.HTTP_201_CREATED, summary="Create an internal squad"
)
async def create_squad(
    body: CreateSquadRequest,
    caller: RoutingManager,
    origin: OriginDep,
    squads: ManageSquadsDep,
) -> SquadResponse:
    squad = await squads.create(
        actor=caller.account,
        squad=NewSquad(name=body.name, inbound_uuids=tuple(body.inbound_uuids)),
        origin=origin,
    )
    return SquadResponse.model_validate(squad)


@router.get("/squads/{squad_uuid}", summary="Read an internal squad")
async def get_squad(
    squad_uuid: UUID,
    _caller: Reader,
    catalog: RoutingCatalogDep,
) -> SquadResponse:
    return SquadResponse.model_validate(await catalog.squad(squad_uuid))


@router.patch("/squads/{squad_uuid}", summary="Change an internal squad")
async def update_squad(
    squad_uuid: UUID,
    body: UpdateSquadRequest,
    caller: RoutingManager,
    origin: OriginDep,
    squads: ManageSquadsDep,
) -> SquadResponse:
    values = patch_values(body, nullable=())
    squad = await squads.update(
        actor=caller.account,
        squad_uuid=squad_uuid,
        changes=SquadChanges(fields_set=frozenset(values), **values),
        origin=origin,
    )
    return SquadResponse.model_validate(squad)


@router.delete(
    "/squads/{squad_uuid}", status_code=NO_CONTENT, summary="Delete an internal squad"
)
async def delete_squad(
    squad_uuid: UUID, caller: RoutingManager, origin: OriginDep, squads: ManageSquadsDep
) -> Response:
    await squads.delete(actor=caller.account, squad_uuid=squad_uuid, origin=origin)
    return Response(status_code=NO_CONTENT)


@router.post(
    "/squads/{squad_uuid}/members/{change}",
    summary="Add VPN users to a squad or remove them",
)
async def change_squad_members(
    squad_uuid: UUID,
    change: Literal["add", "remove"],
    body: SquadMembersRequest,
    caller: MembersManager,
    origin: OriginDep,
    squads: ManageSquadsDep,
) -> SquadResponse:
    """Add or remove VPN users. The panel applies it in the background, so
    `members_count` may lag for a moment."""
    squad = await squads.change_members(
        actor=caller.account,
        squad_uuid=squad_uuid,
        user_ids=body.user_ids,
        change=SquadMembership(change),
        origin=origin,
    )
    return SquadResponse.model_validate(squad)


# --- hosts --------------------------------------------------------------------


@router.get("/hosts", summary="List hosts")
async def list_hosts(
    _caller: Reader, catalog: RoutingCatalogDep
) -> ListResponse[HostResponse]:
    return ListResponse[HostResponse].of(await catalog.hosts())


@router.post("/hosts", status_code=status.HTTP_201_CREATED, summary="Create a host")
async def create_host(
    body: CreateHostRequest,
    caller: RoutingManager,
    origin: OriginDep,
    hosts: ManageHostsDep,
) -> HostResponse:
    values = domain_values(body)
    host = await hosts.create(
        actor=caller.account,
        host=NewHost(**values),
        origin=origin,
    )
    return HostResponse.model_validate(host)


@router.get("/hosts/{host_uuid}", summary="Read a host")
async def get_host(
    host_uuid: UUID, _caller: Reader, catalog: RoutingCatalogDep
) -> HostResponse:
    return HostResponse.model_validate(await catalog.host(host_uuid))


@router.patch("/hosts/{host_uuid}", summary="Change a host")
async def update_host(
    host_uuid: UUID,
    body: UpdateHostRequest,
    caller: RoutingManager,
    origin: OriginDep,
    hosts: ManageHostsDep,
) -> HostResponse:
    values = patch_values(body, nullable={"sni", "host", "path"})
    host = await hosts.update(
        actor=caller.account,
        host_uuid=host_uuid,
        changes=HostChanges(fields_set=frozenset(values), **values),
        origin=origin,
    )
    return HostResponse.model_validate(host)


@router.delete("/hosts/{host_uuid}", status_code=NO_CONTENT, summary="Delete a host")
async def delete_host(
    host_uuid: UUID, caller: RoutingManager, origin: OriginDep, hosts: ManageHostsDep
) -> Response:
    await hosts.delete(actor=caller.account, host_uuid=host_uuid, origin=origin)
    return Response(status_code=NO_CONTENT)
