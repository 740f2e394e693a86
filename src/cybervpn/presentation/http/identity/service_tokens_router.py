"""/admin/service-tokens: the credentials of our own services (the Telegram bot).
A super admin's alone: a token acts for any customer it names."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from cybervpn.application.identity.authenticate import Caller
from cybervpn.domain.identity.roles import Permission
from cybervpn.domain.identity.service_token import ServiceScope
from cybervpn.presentation.http.dependencies import OriginDep, PageDep, require
from cybervpn.presentation.http.identity.use_cases import (
    CreateServiceTokenDep,
    ListServiceTokensDep,
    RevokeServiceTokenDep,
)
from cybervpn.presentation.http.pagination import PageResponse
from cybervpn.presentation.http.request_body import StrictBody

router = APIRouter(prefix="/admin/service-tokens", tags=["service-tokens"])
TokenManager = Annotated[Caller, require(Permission.SERVICE_TOKENS_MANAGE)]


class ServiceTokenCreate(StrictBody):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    scopes: Annotated[list[ServiceScope], Field(min_length=1, max_length=8)]
    expires_at: AwareDatetime | None = None


class ServiceTokenResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    name: str
    scopes: list[ServiceScope]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class CreatedServiceToken(BaseModel):
    id: UUID
    name: str
    scopes: list[ServiceScope]
    expires_at: datetime | None
    token: str = Field(description="Shown this once; only its digest is kept.")


@router.post("", status_code=status.HTTP_201_CREATED, summary="Make a service token")
async def create_service_token(
    body: ServiceTokenCreate,
    caller: TokenManager,
    origin: OriginDep,
    create: CreateServiceTokenDep,
) -> CreatedServiceToken:
    made = await create.execute(
        actor=caller.account,
        name=body.name,
        scopes=frozenset(body.scopes),
        expires_at=body.expires_at,
        origin=origin,
    )
    return CreatedServiceToken(
        id=made.token.id,
        name=made.token.name,
        scopes=sorted(made.token.scopes),
        expires_at=made.token.expires_at,
        token=made.secret,
    )


@router.get("", summary="List service tokens (never their secrets)")
async def list_service_tokens(
    _caller: TokenManager, tokens: ListServiceTokensDep, page: PageDep
) -> PageResponse[ServiceTokenResponse]:
    items, total = await tokens.execute(limit=page.limit, offset=page.offset)
    return PageResponse[ServiceTokenResponse].of(items, total, page)


@router.delete(
    "/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke a service token and the sessions it started",
)
async def revoke_service_token(
    token_id: UUID,
    caller: TokenManager,
    origin: OriginDep,
    revoke: RevokeServiceTokenDep,
) -> None:
    await revoke.execute(actor=caller.account, token_id=token_id, origin=origin)
