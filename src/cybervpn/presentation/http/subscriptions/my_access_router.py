"""/subscriptions/me/devices, /revoke and /qr: the customer's access on their own
terms. Each needs live access: 404 `no_subscription` without any, 402
`subscription_expired` once it ran out."""

import io
from typing import Annotated, Literal

import segno
from fastapi import APIRouter, Path, Query, Response, status
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from cybervpn.presentation.http.dependencies import CallerDep, OriginDep
from cybervpn.presentation.http.fleet.device_schemas import (
    DeviceResponse,
    MyDevicesResponse,
)
from cybervpn.presentation.http.subscriptions.use_cases import (
    GetMyLinkDep,
    ListMyDevicesDep,
    RemoveMyDeviceDep,
    RevokeMyLinkDep,
)

router = APIRouter(prefix="/subscriptions/me", tags=["subscriptions"])
QR_MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


class NewLinkResponse(BaseModel):
    subscription_url: str


@router.get("/devices", summary="The devices using the caller's VPN access")
async def my_devices(caller: CallerDep, lister: ListMyDevicesDep) -> MyDevicesResponse:
    """Each device takes one slot of `device_limit` (null: no limit)."""
    found = await lister.execute(caller.account.id)
    return MyDevicesResponse(
        items=[DeviceResponse.model_validate(d) for d in found.items],
        device_limit=found.device_limit,
    )


@router.delete(
    "/devices/{hwid}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Free a device slot",
)
async def remove_my_device(
    hwid: Annotated[str, Path(min_length=1, max_length=255)],
    caller: CallerDep,
    remove: RemoveMyDeviceDep,
) -> Response:
    """The device must connect again to use the access (and take a slot);
    404 `device_not_found` for a device that is not the caller's."""
    await remove.execute(caller.account.id, hwid)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/revoke", summary="Replace the subscription link")
async def revoke_my_link(
    caller: CallerDep, origin: OriginDep, revoke: RevokeMyLinkDep
) -> NewLinkResponse:
    """For a leaked link: the old one stops working at once, every device must
    import the new one."""
    url = await revoke.execute(caller.account.id, origin=origin)
    return NewLinkResponse(subscription_url=url)


@router.get(
    "/qr",
    summary="The subscription link as a QR code",
    response_class=Response,
    responses={
        200: {
            "content": {media: {} for media in QR_MEDIA_TYPES.values()},
            "description": "An SVG (default) or PNG image of the link",
        }
    },
)
async def my_link_qr(
    caller: CallerDep,
    link: GetMyLinkDep,
    image_format: Annotated[Literal["svg", "png"], Query(alias="format")] = "svg",
) -> Response:
    url = await link.execute(caller.account.id)
    image = await run_in_threadpool(_qr, url, image_format)
    return Response(
        image,
        media_type=QR_MEDIA_TYPES[image_format],
        headers={"Cache-Control": "no-store"},  # the link is a credential
    )


def _qr(url: str, image_format: str) -> bytes:
    code = segno.make(url, error="m")
    out = io.BytesIO()
    code.save(out, kind=image_format, scale=8, border=2)
    return out.getvalue()
