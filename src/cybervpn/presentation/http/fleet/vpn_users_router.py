"""/users: staff manage VPN users in the panel."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response, status

from cybervpn.application.identity.authenticate import Caller
from cybervpn.domain.fleet.vpn_user import (
    NewVpnUser,
    VpnUserAction,
    VpnUserChanges,
    VpnUserFilter,
    VpnUserStatus,
)
from cybervpn.domain.identity.roles import Permission
from cybervpn.presentation.http.bodies import domain_values, patch_values
from cybervpn.presentation.http.bounds import INT32_MAX, TELEGRAM_ID_MAX
from cybervpn.presentation.http.dependencies import OriginDep, PageDep, require
from cybervpn.presentation.http.fleet.schemas import (
    BulkRequest,
    BulkResponse,
    CreateVpnUserRequest,
    ExtendRequest,
    UpdateVpnUserRequest,
    VpnUserPage,
    VpnUserResponse,
)
from cybervpn.presentation.http.fleet.use_cases import (
    ApplyBulkVpnUserActionDep,
    ApplyVpnUserActionDep,
    CreateVpnUserDep,
    DeleteVpnUserDep,
    GetVpnUserDep,
    ListVpnUsersDep,
    UpdateVpnUserDep,
)

router = APIRouter(prefix="/users", tags=["vpn-users"])
Reader = Annotated[Caller, require(Permission.FLEET_READ)]
Manager = Annotated[Caller, require(Permission.VPN_USERS_MANAGE)]


@router.get("", summary="List VPN users")
async def list_vpn_users(
    _caller: Reader,
    lister: ListVpnUsersDep,
    page: PageDep,
    status_filter: Annotated[VpnUserStatus | None, Query(alias="status")] = None,
    username: Annotated[str | None, Query(max_length=36)] = None,
    email: Annotated[str | None, Query(max_length=320)] = None,
    telegram_id: Annotated[int | None, Query(gt=0, le=TELEGRAM_ID_MAX)] = None,
) -> VpnUserPage:
    user_filter = VpnUserFilter(
        status=status_filter, username=username, email=email, telegram_id=telegram_id
    )
    result = await lister.execute(user_filter, page)
    return VpnUserPage(
        items=[VpnUserResponse.model_validate(u) for u in result.items],
        total=result.total,
        limit=result.limit,
        offset=result.offset,
    )


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a VPN user")
async def create_vpn_user(
    body: CreateVpnUserRequest,
    caller: Manager,
    origin: OriginDep,
    create: CreateVpnUserDep,
) -> VpnUserResponse:
    user = await create.execute(
        actor=caller.account, user=NewVpnUser(**domain_values(body)), origin=origin
    )
    return VpnUserResponse.model_validate(user)


@router.post("/bulk/{action}", summary="Apply an action to many VPN users")
async def bulk_vpn_user_action(
    action: VpnUserAction,
    body: BulkRequest,
    caller: Manager,
    origin: OriginDep,
    bulk: ApplyBulkVpnUserActionDep,
) -> BulkResponse:
    count = await bulk.execute(
        actor=caller.account,
        user_ids=body.ids,
        action=action,
        days=body.days,
        origin=origin,
    )
    return BulkResponse(action=action.value, count=count)


@router.get("/{user_id}", summary="Read a VPN user")
async def get_vpn_user(
    user_id: Annotated[int, Path(gt=0, le=INT32_MAX)],
    _caller: Reader,
    reader: GetVpnUserDep,
) -> VpnUserResponse:
    return VpnUserResponse.model_validate(await reader.execute(user_id))


@router.patch("/{user_id}", summary="Change a VPN user")
async def update_vpn_user(
    user_id: Annotated[int, Path(gt=0, le=INT32_MAX)],
    body: UpdateVpnUserRequest,
    caller: Manager,
    origin: OriginDep,
    update: UpdateVpnUserDep,
) -> VpnUserResponse:
    values = patch_values(
        body, nullable={"device_limit", "telegram_id", "email", "description", "tag"}
    )
    changes = VpnUserChanges(fields_set=frozenset(values), **values)
    user = await update.execute(
        actor=caller.account, user_id=user_id, changes=changes, origin=origin
    )
    return VpnUserResponse.model_validate(user)


@router.delete(
    "/{user_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a VPN user"
)
async def delete_vpn_user(
    user_id: Annotated[int, Path(gt=0, le=INT32_MAX)],
    caller: Manager,
    origin: OriginDep,
    delete: DeleteVpnUserDep,
) -> Response:
    await delete.execute(actor=caller.account, user_id=user_id, origin=origin)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{user_id}/extend", summary="Extend a VPN user's expiry")
async def extend_vpn_user(
    user_id: Annotated[int, Path(gt=0, le=INT32_MAX)],
    body: ExtendRequest,
    caller: Manager,
    origin: OriginDep,
    apply: ApplyVpnUserActionDep,
) -> VpnUserResponse:
    """Adds days from the later of now and the current expiry."""
    user = await apply.execute(
        actor=caller.account,
        user_id=user_id,
        action=VpnUserAction.EXTEND,
        days=body.days,
        origin=origin,
    )
    return VpnUserResponse.model_validate(user)


SimpleAction = Literal["enable", "disable", "revoke", "reset-traffic"]


@router.post(
    "/{user_id}/{action}", summary="Enable, disable, revoke or reset a VPN user"
)
async def vpn_user_action(
    user_id: Annotated[int, Path(gt=0, le=INT32_MAX)],
    action: SimpleAction,
    caller: Manager,
    origin: OriginDep,
    apply: ApplyVpnUserActionDep,
) -> VpnUserResponse:
    """enable, disable, revoke (new subscription link and credentials; the old link
    stops working) or reset-traffic."""
    user = await apply.execute(
        actor=caller.account,
        user_id=user_id,
        action=VpnUserAction(action),
        days=None,
        origin=origin,
    )
    return VpnUserResponse.model_validate(user)
