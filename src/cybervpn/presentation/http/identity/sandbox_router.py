"""Development only: Mini App sign-in data, so Telegram sign-in can be tried
without a bot (POST /api/v1/sandbox/telegram/init-data)."""

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from cybervpn.infrastructure.sandbox.telegram.login import mini_app_init_data
from cybervpn.presentation.http.bounds import TelegramId
from cybervpn.presentation.http.dependencies import ContainerDep
from cybervpn.presentation.http.request_body import StrictBody

router = APIRouter(prefix="/sandbox/telegram", tags=["sandbox"])
Text = Annotated[str | None, Field(min_length=1, max_length=64)]


class InitDataRequest(StrictBody):
    telegram_id: TelegramId
    username: Text = None
    first_name: Text = None
    language_code: Annotated[str | None, Field(min_length=2, max_length=16)] = None
    start_param: Text = None


class InitDataResponse(BaseModel):
    init_data: str


@router.post("/init-data", summary="Make signed Mini App data (development)")
async def make_init_data(body: InitDataRequest, c: ContainerDep) -> InitDataResponse:
    """`init_data` as Telegram would give a Mini App of this development bot: post
    it to `/auth/telegram/miniapp`."""
    return InitDataResponse(
        init_data=mini_app_init_data(
            c.telegram_login_token,
            telegram_id=body.telegram_id,
            username=body.username,
            first_name=body.first_name,
            language_code=body.language_code,
            start_param=body.start_param,
        )
    )
