"""/bot/sessions: the Telegram bot trades a Telegram user id for that customer's
access token, authenticated by a service token with `telegram:sessions`."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from cybervpn.application.identity.telegram import TelegramUser
from cybervpn.domain.identity.errors import InvalidServiceTokenError
from cybervpn.presentation.http.bounds import TelegramId
from cybervpn.presentation.http.dependencies import OriginDep
from cybervpn.presentation.http.identity.telegram_schemas import (
    ReferralCode,
    ShortText,
)
from cybervpn.presentation.http.identity.use_cases import IssueBotSessionDep
from cybervpn.presentation.http.request_body import StrictBody

router = APIRouter(prefix="/bot", tags=["bot"])
_service_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ServiceToken",
    description="A service token (`cvst_…`) from /admin/service-tokens",
)
ServiceCredentials = Annotated[
    HTTPAuthorizationCredentials | None, Depends(_service_bearer)
]


class BotSessionRequest(StrictBody):
    telegram_id: TelegramId
    username: ShortText = None
    first_name: ShortText = None
    language_code: Annotated[str | None, Field(max_length=16)] = None
    referral_code: ReferralCode = None


class BotSessionResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the scheme's name
    expires_in: int
    account_id: UUID
    created: bool


@router.post("/sessions", summary="Get a customer's access token for the bot")
async def issue_bot_session(
    body: BotSessionRequest,
    credentials: ServiceCredentials,
    origin: OriginDep,
    issue: IssueBotSessionDep,
) -> BotSessionResponse:
    """A customer access token (no refresh token) for this Telegram user, whose
    account is opened on first contact (`created: true`). Refused for staff,
    deactivated accounts and accounts with 2FA (403)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise InvalidServiceTokenError
    session = await issue.execute(
        service_secret=credentials.credentials,
        user=TelegramUser(
            id=body.telegram_id,
            username=body.username,
            first_name=body.first_name,
            language_code=body.language_code,
        ),
        referral_code=body.referral_code,
        origin=origin,
    )
    return BotSessionResponse(
        access_token=session.access_token,
        expires_in=session.expires_in,
        account_id=session.account_id,
        created=session.created,
    )
