"""What Telegram signs: a Mini App's init data, or the Login Widget's fields. Used
to sign in and to link Telegram to a signed-in account."""

from typing import Annotated

from pydantic import Field

from cybervpn.presentation.http.bounds import TelegramId
from cybervpn.presentation.http.request_body import StrictBody

ReferralCode = Annotated[str | None, Field(min_length=4, max_length=16)]
ShortText = Annotated[str | None, Field(max_length=256)]


class MiniAppData(StrictBody):
    """`init_data` is the raw `Telegram.WebApp.initData` string, as the Mini App
    got it (not `initDataUnsafe`)."""

    init_data: Annotated[str, Field(min_length=1, max_length=8192)]


class WidgetData(StrictBody):
    """The Login Widget's fields, exactly as Telegram gave them."""

    id: TelegramId
    first_name: ShortText = None
    last_name: ShortText = None
    username: ShortText = None
    photo_url: Annotated[str | None, Field(max_length=2048)] = None
    auth_date: Annotated[int, Field(gt=0, le=2**40)]
    hash: Annotated[str, Field(min_length=1, max_length=128)]

    def signed_fields(self) -> dict[str, str]:
        """The fields Telegram signed, as text (what else the body carries is not)."""
        fields = self.model_dump(
            include=set(WidgetData.model_fields), exclude_none=True
        )
        return {name: str(value) for name, value in fields.items()}


class MiniAppSignIn(MiniAppData):
    referral_code: ReferralCode = None


class WidgetSignIn(WidgetData):
    referral_code: ReferralCode = None
