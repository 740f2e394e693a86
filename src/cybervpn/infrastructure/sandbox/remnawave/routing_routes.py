"""The sandbox panel's config-profile, internal-squad and host endpoints."""

from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from cybervpn.infrastructure.sandbox.remnawave import requests as body
from cybervpn.infrastructure.sandbox.remnawave.envelope import ACCEPTED, NO_CONTENT, ok
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState


def routing_routers(state: PanelState) -> list[APIRouter]:
    return [_profiles(state), _squads(state), _hosts(state)]


def _profiles(state: PanelState) -> APIRouter:
    router = APIRouter(prefix="/api/config-profiles")

    @router.get("")
    async def list_profiles() -> JSONResponse:
        profiles = [state.profile_json(p) for p in state.profiles.values()]
        return ok({"total": len(profiles), "configProfiles": profiles})

    @router.get("/inbounds")
    async def list_inbounds() -> JSONResponse:
        inbounds = state.inbounds_json()
        return ok({"total": len(inbounds), "inbounds": inbounds})

    @router.get("/{profile_uuid}")
    async def get_profile(profile_uuid: str) -> JSONResponse:
        return ok(state.profile_json(state.profile(profile_uuid)))

    return router


def _squads(state: PanelState) -> APIRouter:
    router = APIRouter(prefix="/api/internal-squads")

    @router.get("")
    async def list_squads() -> JSONResponse:
        squads = [state.squad_json(s) for s in state.squads.values()]
        return ok({"total": len(squads), "internalSquads": squads})

    @router.post("")
    async def create_squad(data: body.CreateSquad) -> JSONResponse:
        squad = state.create_squad(data.name, [str(i) for i in data.inbounds])
        return ok(state.squad_json(squad), 201)

    @router.patch("")
    async def update_squad(data: body.UpdateSquad) -> JSONResponse:
        inbounds = None if data.inbounds is None else [str(i) for i in data.inbounds]
        squad = state.update_squad(state.squad(str(data.uuid)), data.name, inbounds)
        return ok(state.squad_json(squad))

    @router.get("/{squad_uuid}")
    async def get_squad(squad_uuid: str) -> JSONResponse:
        return ok(state.squad_json(state.squad(squad_uuid)))

    @router.delete("/{squad_uuid}", status_code=NO_CONTENT)
    async def delete_squad(squad_uuid: str) -> Response:
        state.delete_squad(state.squad(squad_uuid))
        return Response(status_code=NO_CONTENT)

    @router.post("/{squad_uuid}/bulk-actions/add-many-users", status_code=ACCEPTED)
    async def add_members(squad_uuid: str, data: body.SquadMembers) -> Response:
        state.change_members(state.squad(squad_uuid), data.user_ids, add=True)
        return Response(status_code=ACCEPTED)

    @router.delete("/{squad_uuid}/bulk-actions/remove-many-users", status_code=ACCEPTED)
    async def remove_members(squad_uuid: str, data: body.SquadMembers) -> Response:
        state.change_members(state.squad(squad_uuid), data.user_ids, add=False)
        return Response(status_code=ACCEPTED)

    return router


def _host_values(data: body.CreateHost | body.UpdateHost) -> dict[str, Any]:
    values = data.model_dump(exclude_unset=True, exclude={"uuid", "inbound"})
    if data.inbound is not None:
        values["profile_uuid"] = str(data.inbound.config_profile_uuid)
        values["inbound_uuid"] = str(data.inbound.config_profile_inbound_uuid)
    return values


def _hosts(state: PanelState) -> APIRouter:
    router = APIRouter(prefix="/api/hosts")

    @router.get("")
    async def list_hosts() -> JSONResponse:
        return ok([state.host_json(h) for h in state.hosts.values()])

    @router.post("")
    async def create_host(data: body.CreateHost) -> JSONResponse:
        host = state.create_host(_host_values(data))
        return ok(state.host_json(host), 201)

    @router.patch("")
    async def update_host(data: body.UpdateHost) -> JSONResponse:
        host = state.update_host(state.host(str(data.uuid)), _host_values(data))
        return ok(state.host_json(host))

    @router.get("/{host_uuid}")
    async def get_host(host_uuid: str) -> JSONResponse:
        return ok(state.host_json(state.host(host_uuid)))

    @router.delete("/{host_uuid}", status_code=NO_CONTENT)
    async def delete_host(host_uuid: str) -> Response:
        state.delete_host(state.host(host_uuid))
        return Response(status_code=NO_CONTENT)

    return router
