"""/auth/identities: the sign-ins (Telegram, GitHub, Google) linked to the caller's
account."""

from datetime import datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict

from cybervpn.domain.identity.identity import IdentityProvider, OAuthProvider
from cybervpn.presentation.http.dependencies import CallerDep, ContainerDep, OriginDep
from cybervpn.presentation.http.identity.oauth_schemas import (
    AuthorizationUrl,
    LinkAuthorizeRequest,
    OAuthCallback,
)
from cybervpn.presentation.http.identity.telegram_schemas import (
    MiniAppData,
    WidgetData,
)
from cybervpn.presentation.http.identity.use_cases import (
    LinkOAuthIdentityDep,
    LinkTelegramDep,
    ListIdentitiesDep,
    StartOAuthDep,
    UnlinkIdentityDep,
)

router = APIRouter(prefix="/auth/identities", tags=["auth"])


class IdentityResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    provider: IdentityProvider
    provider_user_id: str
    username: str | None
    email: str | None
    email_verified: bool
    linked_at: datetime
    last_used_at: datetime | None


@router.get("", summary="The sign-ins linked to the caller's account")
async def list_identities(
    caller: CallerDep, list_use_case: ListIdentitiesDep
) -> list[IdentityResponse]:
    identities = await list_use_case.execute(caller.account.id)
    return [IdentityResponse.model_validate(i) for i in identities]


@router.post(
    "/telegram",
    summary="Link Telegram to the caller's account",
)
async def link_telegram(
    body: MiniAppData | WidgetData,
    caller: CallerDep,
    container: ContainerDep,
    origin: OriginDep,
    link: LinkTelegramDep,
) -> IdentityResponse:
    """Mini App init data or the Login Widget's fields, checked exactly as for
    signing in. The linked chat is the one notifications go to."""
    if isinstance(body, MiniAppData):
        user = container.telegram_login.mini_app(body.init_data)
    else:
        user = container.telegram_login.widget(body.signed_fields())
    identity = await link.execute(
        account_id=caller.account.id, user=user, origin=origin
    )
    return IdentityResponse.model_validate(identity)


@router.post(
    "/{provider}/authorize",
    summary="Start linking GitHub or Google to the caller's account",
)
async def authorize_link(
    provider: OAuthProvider,
    body: LinkAuthorizeRequest,
    caller: CallerDep,
    start: StartOAuthDep,
) -> AuthorizationUrl:
    """As signing in, but the flow's `state` is good only for this account's
    link callback."""
    url = await start.execute(
        provider, redirect_uri=body.redirect_uri, link_to=caller.account
    )
    return AuthorizationUrl(authorization_url=url)


@router.post(
    "/{provider}/callback",
    summary="Finish linking GitHub or Google to the caller's account",
)
async def link_callback(
    provider: OAuthProvider,
    body: OAuthCallback,
    caller: CallerDep,
    origin: OriginDep,
    link: LinkOAuthIdentityDep,
) -> IdentityResponse:
    identity = await link.execute(
        provider,
        account_id=caller.account.id,
        code=body.code,
        state=body.state,
        origin=origin,
    )
    return IdentityResponse.model_validate(identity)


@router.delete(
    "/{provider}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Unlink a provider's sign-in from the caller's account",
)
async def unlink_identity(
    provider: IdentityProvider,
    caller: CallerDep,
    origin: OriginDep,
    unlink: UnlinkIdentityDep,
) -> None:
    await unlink.execute(account_id=caller.account.id, provider=provider, origin=origin)
