"""The panel down: fleet routes answer 503 quickly; everything else keeps working."""

from typing import Any

import pytest

from cybervpn.config import RemnawaveSettings
from cybervpn.domain.identity.roles import Role
from tests.helpers import API, bearer, staff_tokens

pytestmark = pytest.mark.integration


async def test_api_stays_up_and_fleet_routes_answer_503(client_factory: Any) -> None:
    # Nothing listens on port 9: every call fails to connect.
    dead_panel = RemnawaveSettings(
        url="http://127.0.0.1:9", token="unused", retry_attempts=1, breaker_threshold=2
    )
    async with client_factory(remnawave=dead_panel) as (app, client):
        tokens = await staff_tokens(app, client, "ops@example.com", Role.ADMIN)
        headers = bearer(tokens["access_token"])
        for _ in range(4):  # past the breaker threshold: then no call is made at all
            down = await client.get(f"{API}/users", headers=headers)
            assert down.status_code == 503
            assert down.json() == {
                "detail": "VPN panel unavailable",
                "code": "panel_unavailable",
            }
        assert (await client.get(f"{API}/servers", headers=headers)).status_code == 503
        assert (await client.get(f"{API}/auth/me", headers=headers)).status_code == 200
        assert (await client.get("/health")).status_code == 200
        ready = await client.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"]["vpn_panel"] == "unavailable"
