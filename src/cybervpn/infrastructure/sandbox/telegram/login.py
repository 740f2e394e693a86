"""Telegram sign-in data for development: what a Mini App would hand the frontend,
signed with the process's development bot token."""

import json
import time
from urllib.parse import urlencode

from cybervpn.infrastructure.telegram.login import mini_app_key, sign


def mini_app_init_data(
    bot_token: str,
    *,
    telegram_id: int,
    username: str | None = None,
    first_name: str | None = None,
    language_code: str | None = None,
    start_param: str | None = None,
    auth_date: int | None = None,
) -> str:
    user = {"id": telegram_id, "first_name": first_name or "Sandbox"}
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    fields = {
        "auth_date": str(auth_date if auth_date is not None else int(time.time())),
        "query_id": "AAH-sandbox",
        "user": json.dumps(user, separators=(",", ":")),
    }
    if start_param:
        fields["start_param"] = start_param
    fields["hash"] = sign(mini_app_key(bot_token), fields)
    return urlencode(fields)
