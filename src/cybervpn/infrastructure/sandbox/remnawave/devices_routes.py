"""The sandbox panel's HWID device endpoints (`/api/hwid/devices`)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from cybervpn.infrastructure.sandbox.remnawave import requests as body
from cybervpn.infrastructure.sandbox.remnawave.envelope import ok
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState


def devices_router(state: PanelState) -> APIRouter:
    router = APIRouter(prefix="/api/hwid/devices")

    @router.post("")
    async def create_device(data: body.CreateDevice) -> JSONResponse:
        user = state.user(data.user_id)
        values = data.model_dump(exclude={"user_id"}, exclude_none=True)
        return ok(state.devices_json(state.add_device(user, values)))

    @router.get("/stats")
    async def stats() -> JSONResponse:
        return ok(state.device_stats_json())

    @router.post("/delete")
    async def delete_device(data: body.DeleteDevice) -> JSONResponse:
        user = state.user(data.user_id)
        return ok(state.devices_json(state.delete_device(user, data.hwid)))

    @router.post("/delete-all")
    async def delete_all(data: body.DeleteAllDevices) -> JSONResponse:
        user = state.user(data.user_id)
        return ok(state.devices_json(state.delete_all_devices(user)))

    @router.get("/{user_id}")
    async def user_devices(user_id: int) -> JSONResponse:
        user = state.user(user_id)
        return ok(state.devices_json(state.devices.get(user.id, [])))

    return router
