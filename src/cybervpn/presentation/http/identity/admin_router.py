"""/admin/accounts: staff management of accounts and roles."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status

from cybervpn.application.identity.authenticate import Caller
from cybervpn.domain.identity.repositories import AccountFilter
from cybervpn.domain.identity.roles import Permission, Role
from cybervpn.presentation.http.dependencies import OriginDep, PageDep, require
from cybervpn.presentation.http.identity.schemas import (
    AccountPage,
    AccountResponse,
    CreateAccountRequest,
    UpdateAccountRequest,
)
from cybervpn.presentation.http.identity.use_cases import (
    CreateAccountDep,
    ListAccountsDep,
    UpdateAccountDep,
)

router = APIRouter(prefix="/admin/accounts", tags=["accounts"])


@router.get("", summary="List accounts")
async def list_accounts(
    _caller: Annotated[Caller, require(Permission.ACCOUNTS_READ)],
    page: PageDep,
    list_use_case: ListAccountsDep,
    role: Role | None = None,
    is_active: bool | None = None,
    q: Annotated[
        str | None, Query(max_length=100, description="Text in the e-mail")
    ] = None,
) -> AccountPage:
    result = await list_use_case.execute(
        AccountFilter(role=role, is_active=is_active, text=q), page
    )
    return AccountPage(
        items=[AccountResponse.model_validate(a) for a in result.items],
        total=result.total,
        limit=result.limit,
        offset=result.offset,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a staff or customer account",
)
async def create_account(
    body: CreateAccountRequest,
    caller: Annotated[Caller, require(Permission.ACCOUNTS_MANAGE)],
    origin: OriginDep,
    create: CreateAccountDep,
) -> AccountResponse:
    account = await create.execute(
        actor=caller.account,
        email=body.email,
        password=body.password,
        role=body.role,
        is_active=body.is_active,
        origin=origin,
    )
    return AccountResponse.model_validate(account)


@router.patch("/{account_id}", summary="Change an account's role or active state")
async def update_account(
    account_id: UUID,
    body: UpdateAccountRequest,
    caller: Annotated[Caller, require(Permission.ACCOUNTS_MANAGE)],
    origin: OriginDep,
    update: UpdateAccountDep,
) -> AccountResponse:
    account = await update.execute(
        actor=caller.account,
        account_id=account_id,
        role=body.role,
        is_active=body.is_active,
        origin=origin,
    )
    return AccountResponse.model_validate(account)
