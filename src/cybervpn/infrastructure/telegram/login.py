"""Telegram's signed sign-in data: Mini App `initData` and the Login Widget.

Each has its own key (core.telegram.org/bots/webapps, /widgets/login): initData is
signed with HMAC_SHA256(key="WebAppData", msg=bot_token), the widget with
SHA256(bot_token). Mixing them up is a known bug class, so each check derives its own
key and nothing else. The data check string is every received field but `hash`, as
`key=value`, sorted, joined by newlines.
"""

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

from cybervpn.application.common.clock import Clock
from cybervpn.application.identity.telegram import TelegramUser
from cybervpn.domain.identity.errors import TelegramAuthInvalidError
from cybervpn.infrastructure.persistence.storable import is_storable

# A signature from a few seconds in the future is clock skew; more is forged or
# replayed from a wrong clock.
FUTURE_SKEW = timedelta(seconds=60)
TELEGRAM_ID_MAX = 2**53


def mini_app_key(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def widget_key(bot_token: str) -> bytes:
    return hashlib.sha256(bot_token.encode()).digest()


def data_check_string(fields: Mapping[str, str]) -> str:
    return "\n".join(f"{k}={v}" for k, v in sorted(fields.items()) if k != "hash")


def sign(key: bytes, fields: Mapping[str, str]) -> str:
    return hmac.new(key, data_check_string(fields).encode(), hashlib.sha256).hexdigest()


class TelegramLogin:
    def __init__(self, *, bot_token: str, max_age: timedelta, clock: Clock) -> None:
        self._mini_app_key = mini_app_key(bot_token)
        self._widget_key = widget_key(bot_token)
        self._max_age = max_age
        self._clock = clock

    def mini_app(self, init_data: str) -> TelegramUser:
        try:
            pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
        except ValueError:
            raise TelegramAuthInvalidError from None
        fields = dict(pairs)
        if len(fields) != len(pairs):  # a repeated key could hide a second value
            raise TelegramAuthInvalidError
        self._check(self._mini_app_key, fields)
        try:
            user = json.loads(fields["user"])
            telegram_id = _telegram_id(user["id"])
        except (KeyError, TypeError, ValueError):
            raise TelegramAuthInvalidError from None
        # Signed, yet text PostgreSQL cannot store (a NUL in a name): unusable.
        if not (is_storable(fields) and is_storable(user)):
            raise TelegramAuthInvalidError
        return TelegramUser(
            id=telegram_id,
            username=_text(user.get("username")),
            first_name=_text(user.get("first_name")),
            language_code=_text(user.get("language_code")),
            start_param=_text(fields.get("start_param")),
        )

    def widget(self, fields: Mapping[str, str]) -> TelegramUser:
        self._check(self._widget_key, fields)
        return TelegramUser(
            id=_telegram_id(fields.get("id")),
            username=fields.get("username"),
            first_name=fields.get("first_name"),
            replay_key=f"telegram-widget:{fields['hash']}",
        )

    def _check(self, key: bytes, fields: Mapping[str, str]) -> None:
        received = fields.get("hash", "")
        if not received.isascii() or not hmac.compare_digest(
            sign(key, fields), received
        ):
            raise TelegramAuthInvalidError
        try:
            signed_at = datetime.fromtimestamp(int(fields["auth_date"]), tz=UTC)
        except (KeyError, ValueError, OverflowError, OSError):
            raise TelegramAuthInvalidError from None
        now = self._clock.now()
        if signed_at > now + FUTURE_SKEW or now - signed_at > self._max_age:
            raise TelegramAuthInvalidError


def _telegram_id(value: object) -> int:
    try:
        telegram_id = int(str(value))
    except ValueError:
        raise TelegramAuthInvalidError from None
    if not 0 < telegram_id < TELEGRAM_ID_MAX:
        raise TelegramAuthInvalidError
    return telegram_id


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
