"""The Bot API client: Telegram's envelope, its 429 `retry_after`, and a token that
never leaves the request line."""

import httpx
import pytest
import respx

from cybervpn.infrastructure.telegram.bot_api import BotApi, BotApiError

pytestmark = pytest.mark.unit
API = "https://bot-api.example.test"
TOKEN = "123456:SECRET-token-value"  # noqa: S105 - a test value
SEND = f"{API}/bot{TOKEN}/sendMessage"


def _api() -> BotApi:
    return BotApi(httpx.AsyncClient(base_url=API), TOKEN)


@respx.mock
async def test_a_short_retry_after_is_waited_out_once() -> None:
    route = respx.post(SEND).mock(
        side_effect=[
            httpx.Response(
                429,
                json={
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 1",
                    "parameters": {"retry_after": 1},
                },
            ),
            httpx.Response(200, json={"ok": True, "result": {"message_id": 7}}),
        ]
    )
    result = await _api().call("sendMessage", {"chat_id": 1, "text": "hi"})
    assert result == {"message_id": 7} and route.call_count == 2


@respx.mock
async def test_a_long_retry_after_is_handed_back_and_errors_hide_the_token() -> None:
    respx.post(SEND).respond(
        429,
        json={
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 600",
            "parameters": {"retry_after": 600},
        },
    )
    with pytest.raises(BotApiError) as raised:
        await _api().call("sendMessage", {"chat_id": 1, "text": "hi"})
    assert raised.value.retry_after == 600 and raised.value.unavailable
    respx.post(SEND).mock(side_effect=httpx.ConnectError(f"failed {SEND}"))
    with pytest.raises(BotApiError) as unreachable:
        await _api().call("sendMessage", {"chat_id": 1, "text": "hi"})
    assert TOKEN not in str(unreachable.value) and unreachable.value.status is None


@respx.mock
async def test_a_refusal_carries_telegrams_description() -> None:
    respx.post(SEND).respond(
        403,
        json={"ok": False, "error_code": 403, "description": "Forbidden: blocked"},
    )
    with pytest.raises(BotApiError) as raised:
        await _api().call("sendMessage", {"chat_id": 1, "text": "hi"})
    assert raised.value.status == 403 and "blocked" in str(raised.value)
    assert not raised.value.unavailable
