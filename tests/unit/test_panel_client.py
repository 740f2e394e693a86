"""The panel client's failure modes, with the panel faked at the HTTP level (respx)."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx
from prometheus_client import REGISTRY

from cybervpn.domain.fleet.errors import (
    PanelConflictError,
    PanelRejectedError,
    PanelUnavailableError,
    VpnUserNotFoundError,
)
from cybervpn.domain.fleet.vpn_user import VpnUserAction, VpnUserChanges
from cybervpn.infrastructure.remnawave.panel import RemnawavePanel
from cybervpn.infrastructure.remnawave.transport import (
    PanelTransport,
    ResiliencePolicy,
    create_http_client,
)
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState

pytestmark = pytest.mark.unit
BASE = "http://panel.example.com"
POLICY = ResiliencePolicy(
    attempts=3,
    backoff_initial_seconds=0.001,
    backoff_max_seconds=0.01,
    breaker_threshold=3,
    breaker_reset_seconds=60,
)


@pytest.fixture
async def panel() -> AsyncIterator[RemnawavePanel]:
    client = create_http_client(
        base_url=BASE, token="secret-token", timeout_seconds=1, max_connections=5
    )
    transport = PanelTransport(client, POLICY)
    yield RemnawavePanel(transport)
    await transport.aclose()


def _user_body() -> dict[str, object]:
    state = PanelState()
    user = state.create_user(
        {"username": "remote", "expire_at": datetime.now(UTC) + timedelta(days=1)}
    )
    return {"response": state.user_json(user)}


@respx.mock
async def test_sends_the_token_and_the_proxy_headers(panel: RemnawavePanel) -> None:
    route = respx.get(f"{BASE}/api/users/1").respond(200, json=_user_body())
    user = await panel.users.get_user(1)
    assert user.username == "remote"
    sent = route.calls.last.request
    assert sent.headers["authorization"] == "Bearer secret-token"
    assert sent.headers["x-forwarded-proto"] == "https"
    assert sent.headers["x-forwarded-for"] == "127.0.0.1"


@respx.mock
async def test_retries_503_and_429_then_succeeds(panel: RemnawavePanel) -> None:
    route = respx.get(f"{BASE}/api/users/1").mock(
        side_effect=[
            httpx.Response(503),
            httpx.Response(429, headers={"Retry-After": "0"}),
            httpx.Response(200, json=_user_body()),
        ]
    )
    assert (await panel.users.get_user(1)).id == 1
    assert route.call_count == 3


@respx.mock
async def test_gives_up_after_the_bounded_retries(panel: RemnawavePanel) -> None:
    route = respx.get(f"{BASE}/api/users/1").respond(503)
    with pytest.raises(PanelUnavailableError):
        await panel.users.get_user(1)
    assert route.call_count == POLICY.attempts


@respx.mock
async def test_timeouts_and_server_errors_are_unavailable(
    panel: RemnawavePanel,
) -> None:
    respx.get(f"{BASE}/api/users/1").mock(side_effect=httpx.ReadTimeout("slow"))
    respx.get(f"{BASE}/api/users/2").respond(500)
    for user_id in (1, 2):
        with pytest.raises(PanelUnavailableError):
            await panel.users.get_user(user_id)


@respx.mock
async def test_circuit_opens_and_stops_calling(panel: RemnawavePanel) -> None:
    route = respx.get(f"{BASE}/api/users/1").respond(500)
    for _ in range(POLICY.breaker_threshold):
        with pytest.raises(PanelUnavailableError):
            await panel.users.get_user(1)
    calls = route.call_count
    refused = REGISTRY.get_sample_value(
        "cybervpn_panel_requests_total", {"outcome": "circuit_open"}
    )
    with pytest.raises(PanelUnavailableError):
        await panel.users.get_user(1)
    assert route.call_count == calls  # refused without a request
    # Operators see the open breaker and every refused call.
    assert REGISTRY.get_sample_value("cybervpn_panel_circuit_open") == 1
    assert (
        REGISTRY.get_sample_value(
            "cybervpn_panel_requests_total", {"outcome": "circuit_open"}
        )
        == (refused or 0) + 1
    )


@respx.mock
async def test_refusals_map_to_domain_errors(panel: RemnawavePanel) -> None:
    respx.get(f"{BASE}/api/users/7").respond(
        404, json={"message": "User not found", "errorCode": "A063"}
    )
    respx.post(f"{BASE}/api/users/8/actions/enable").respond(
        400, json={"message": "User already enabled", "errorCode": "A030"}
    )
    respx.patch(f"{BASE}/api/users").respond(
        400, json={"statusCode": 400, "message": "Validation failed", "errors": []}
    )
    with pytest.raises(VpnUserNotFoundError):
        await panel.users.get_user(7)
    with pytest.raises(PanelConflictError):
        await panel.users.apply_user_action(8, VpnUserAction.ENABLE)
    with pytest.raises(PanelRejectedError):
        await panel.users.update_user(
            9, VpnUserChanges(fields_set=frozenset({"tag"}), tag="X")
        )


@respx.mock
async def test_an_unexpected_body_is_unavailable_not_a_crash(
    panel: RemnawavePanel,
) -> None:
    respx.get(f"{BASE}/api/users/1").respond(200, json={"response": {"id": "x"}})
    respx.get(f"{BASE}/api/users/2").respond(200, text="<html>")
    for user_id in (1, 2):
        with pytest.raises(PanelUnavailableError):
            await panel.users.get_user(user_id)


@respx.mock
async def test_a_rejected_token_is_unavailable(panel: RemnawavePanel) -> None:
    respx.get(f"{BASE}/api/nodes").respond(401, json={"message": "Unauthorized"})
    with pytest.raises(PanelUnavailableError):
        await panel.servers.list_servers()
