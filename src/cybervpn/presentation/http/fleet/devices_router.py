"""/users/{id}/devices and /devices/stats: staff see and free VPN users' devices."""

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from cybervpn.application.identity.authenticate import Caller
from cybervpn.domain.identity.roles import Permission
from cybervpn.presentation.http.bounds import INT32_MAX
from cybervpn.presentation.http.dependencies import OriginDep, require
from cybervpn.presentation.http.fleet.device_schemas import (
    DeviceStatsResponse,
    StaffDeviceResponse,
)
from cybervpn.presentation.http.fleet.use_cases import (
    GetDeviceStatsDep,
    ListVpnUserDevicesDep,
    RemoveVpnUserDevicesDep,
)
from cybervpn.presentation.http.pagination import ListResponse

router = APIRouter(tags=["vpn-users"])
Reader = Annotated[Caller, require(Permission.FLEET_READ)]
Manager = Annotated[Caller, require(Permission.VPN_USERS_MANAGE)]
UserId = Annotated[int, Path(gt=0, le=INT32_MAX)]
Hwid = Annotated[str, Path(min_length=1, max_length=255)]


@router.get("/users/{user_id}/devices", summary="A VPN user's devices")
async def list_vpn_user_devices(
    user_id: UserId, _caller: Reader, lister: ListVpnUserDevicesDep
) -> ListResponse[StaffDeviceResponse]:
    return ListResponse[StaffDeviceResponse].of(await lister.execute(user_id))


@router.delete(
    "/users/{user_id}/devices/{hwid}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove one device of a VPN user",
)
async def remove_vpn_user_device(
    user_id: UserId,
    hwid: Hwid,
    caller: Manager,
    origin: OriginDep,
    remove: RemoveVpnUserDevicesDep,
) -> Response:
    """Frees a slot of the user's device limit; 404 `device_not_found` for a
    device the user does not have."""
    await remove.one(actor=caller.account, user_id=user_id, hwid=hwid, origin=origin)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/users/{user_id}/devices",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove every device of a VPN user",
)
async def remove_vpn_user_devices(
    user_id: UserId, caller: Manager, origin: OriginDep, remove: RemoveVpnUserDevicesDep
) -> Response:
    await remove.all(actor=caller.account, user_id=user_id, origin=origin)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/devices/stats", summary="Devices across the fleet")
async def device_stats(
    _caller: Reader, stats: GetDeviceStatsDep
) -> DeviceStatsResponse:
    return DeviceStatsResponse.of(await stats.execute())
