"""Fleet administration through our API, against the sandbox panel over HTTP."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from cybervpn.domain.identity.roles import Role
from cybervpn.infrastructure.persistence.models.audit import AuditLogModel
from cybervpn.infrastructure.persistence.models.fleet import ServerGeolocationModel
from tests.helpers import API, bearer, signed_up_tokens, staff_tokens

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("sandbox")]


async def _headers(
    app: FastAPI, client: httpx.AsyncClient, role: Role
) -> dict[str, str]:
    tokens = await staff_tokens(app, client, f"{role.value}@example.com", role)
    return bearer(tokens["access_token"])


def _in_days(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


async def _create_user(
    client: httpx.AsyncClient, headers: dict[str, str], username: str, **extra: Any
) -> dict[str, Any]:
    response = await client.post(
        f"{API}/users",
        json={"username": username, "expire_at": _in_days(30), **extra},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _audit_actions(app: FastAPI) -> list[str]:
    async with app.state.container.session_factory() as session:
        return list(await session.scalars(select(AuditLogModel.action)))


async def test_vpn_user_lifecycle(app: FastAPI, client: httpx.AsyncClient) -> None:
    headers = await _headers(app, client, Role.OPERATOR)
    user = await _create_user(
        client, headers, "alice_vpn", traffic_limit_bytes=10 * 2**30, tag="VIP"
    )
    assert user["status"] == "ACTIVE"
    assert user["subscription_url"].endswith("/" + user["short_uuid"])
    assert len(user["short_uuid"]) == 16
    path = f"{API}/users/{user['id']}"

    fetched = (await client.get(path, headers=headers)).json()
    assert fetched["username"] == "alice_vpn" and fetched["tag"] == "VIP"

    patched = await client.patch(
        path,
        json={"traffic_limit_bytes": 0, "description": "unlimited"},
        headers=headers,
    )
    assert patched.json()["traffic_limit_bytes"] == 0
    assert patched.json()["description"] == "unlimited"

    disabled = await client.post(f"{path}/disable", headers=headers)
    assert disabled.json()["status"] == "DISABLED"
    again = await client.post(f"{path}/disable", headers=headers)
    assert again.status_code == 409
    assert (await client.post(f"{path}/enable", headers=headers)).json()[
        "status"
    ] == "ACTIVE"

    extended = (
        await client.post(f"{path}/extend", json={"days": 10}, headers=headers)
    ).json()
    gained = datetime.fromisoformat(extended["expire_at"]) - datetime.fromisoformat(
        fetched["expire_at"]
    )
    assert gained == timedelta(days=10)

    revoked = (await client.post(f"{path}/revoke", headers=headers)).json()
    assert revoked["short_uuid"] != user["short_uuid"]
    assert revoked["sub_revoked_at"] is not None
    reset = (await client.post(f"{path}/reset-traffic", headers=headers)).json()
    assert reset["last_traffic_reset_at"] is not None

    for unknown in ("explode", "delete", "extend-by-body"):
        assert (
            await client.post(f"{path}/{unknown}", headers=headers)
        ).status_code == 422
    assert (await client.delete(path, headers=headers)).status_code == 204
    missing = await client.get(path, headers=headers)
    assert missing.status_code == 404
    assert missing.json()["detail"] == "VPN user not found"

    actions = await _audit_actions(app)
    assert actions.count("vpn_user.action") == 5  # the refused disable is not
    for action in ("vpn_user.created", "vpn_user.updated", "vpn_user.deleted"):
        assert action in actions


async def test_listing_filters_and_paginates(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    headers = await _headers(app, client, Role.OPERATOR)
    for name in ("bob_one", "bob_two", "carol"):
        await _create_user(client, headers, name, email=f"{name}@example.com")
    await _create_user(client, headers, "dave", telegram_id=777)
    carol = (await client.get(f"{API}/users?username=carol", headers=headers)).json()
    await client.post(f"{API}/users/{carol['items'][0]['id']}/disable", headers=headers)

    bobs = (await client.get(f"{API}/users?username=bob", headers=headers)).json()
    assert {u["username"] for u in bobs["items"]} == {"bob_one", "bob_two"}
    page = (await client.get(f"{API}/users?limit=2&offset=0", headers=headers)).json()
    assert page["total"] == 4 and len(page["items"]) == 2
    assert page["items"][0]["username"] == "dave"  # newest first
    disabled = (
        await client.get(f"{API}/users?status=DISABLED", headers=headers)
    ).json()
    assert [u["username"] for u in disabled["items"]] == ["carol"]
    by_telegram = (
        await client.get(f"{API}/users?telegram_id=777", headers=headers)
    ).json()
    assert [u["username"] for u in by_telegram["items"]] == ["dave"]
    by_email = (await client.get(f"{API}/users?email=bob_two@", headers=headers)).json()
    assert [u["username"] for u in by_email["items"]] == ["bob_two"]


async def test_bad_input_is_a_clear_4xx(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    headers = await _headers(app, client, Role.OPERATOR)
    await _create_user(client, headers, "taken")
    duplicate = await client.post(
        f"{API}/users",
        json={"username": "taken", "expire_at": _in_days(1)},
        headers=headers,
    )
    assert duplicate.status_code == 409
    past = await client.post(
        f"{API}/users",
        json={"username": "late", "expire_at": _in_days(-1)},
        headers=headers,
    )
    assert past.status_code == 422 and past.json()["code"] == "expiry_in_the_past"
    bad_name = await client.post(
        f"{API}/users",
        json={"username": "no spaces", "expire_at": _in_days(1)},
        headers=headers,
    )
    assert bad_name.status_code == 422
    unknown_squad = await client.post(
        f"{API}/users",
        json={
            "username": "squadless",
            "expire_at": _in_days(1),
            "internal_squads": ["00000000-0000-4000-8000-000000000000"],
        },
        headers=headers,
    )
    assert unknown_squad.status_code == 404
    assert (await client.get(f"{API}/users/999", headers=headers)).status_code == 404


async def test_bulk_actions_are_bounded_and_applied(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    headers = await _headers(app, client, Role.OPERATOR)
    ids = [(await _create_user(client, headers, f"bulk{n}"))["id"] for n in range(3)]
    response = await client.post(
        f"{API}/users/bulk/disable", json={"ids": [*ids, ids[0]]}, headers=headers
    )
    assert response.json() == {"action": "disable", "count": 3}
    listed = (await client.get(f"{API}/users?status=DISABLED", headers=headers)).json()
    assert listed["total"] == 3
    extended = await client.post(
        f"{API}/users/bulk/extend", json={"ids": ids, "days": 5}, headers=headers
    )
    assert extended.status_code == 200
    no_days = await client.post(
        f"{API}/users/bulk/extend", json={"ids": ids}, headers=headers
    )
    assert no_days.status_code == 422
    too_many = await client.post(
        f"{API}/users/bulk/delete", json={"ids": list(range(1, 502))}, headers=headers
    )
    assert too_many.status_code == 422
    deleted = await client.post(
        f"{API}/users/bulk/delete", json={"ids": ids}, headers=headers
    )
    assert deleted.json()["count"] == 3
    assert (await client.get(f"{API}/users", headers=headers)).json()["total"] == 0


async def test_permissions(app: FastAPI, client: httpx.AsyncClient) -> None:
    customer = await signed_up_tokens(client, "buyer@example.com")
    assert (
        await client.get(f"{API}/users", headers=bearer(customer["access_token"]))
    ).status_code == 403
    assert (await client.get(f"{API}/users")).status_code == 401
    viewer = await _headers(app, client, Role.VIEWER)
    assert (await client.get(f"{API}/users", headers=viewer)).status_code == 200
    assert (await client.get(f"{API}/servers", headers=viewer)).status_code == 200
    forbidden = await client.post(
        f"{API}/users",
        json={"username": "nope", "expire_at": _in_days(1)},
        headers=viewer,
    )
    assert forbidden.status_code == 403
    operator = await _headers(app, client, Role.OPERATOR)
    servers = (await client.get(f"{API}/servers", headers=operator)).json()["items"]
    cannot = await client.post(
        f"{API}/servers/{servers[0]['uuid']}/disable", headers=operator
    )
    assert cannot.status_code == 403


async def test_server_management(app: FastAPI, client: httpx.AsyncClient) -> None:
    headers = await _headers(app, client, Role.ADMIN)
    servers = (await client.get(f"{API}/servers", headers=headers)).json()["items"]
    assert {s["name"] for s in servers} == {"Frankfurt-1", "Amsterdam-1"}
    template = servers[0]
    inbounds = [i["uuid"] for i in template["inbounds"]]
    body = {
        "name": "Warsaw-1",
        "address": "waw1.example.com",
        "port": 2222,
        "country_code": "PL",
        "tags": ["EU"],
        "config_profile_uuid": template["config_profile_uuid"],
        "inbound_uuids": inbounds[:1],
    }
    created = await client.post(f"{API}/servers", json=body, headers=headers)
    assert created.status_code == 201, created.text
    server = created.json()
    assert server["country_code"] == "PL" and len(server["inbounds"]) == 1
    duplicate = await client.post(f"{API}/servers", json=body, headers=headers)
    assert duplicate.status_code == 409

    path = f"{API}/servers/{server['uuid']}"
    renamed = await client.patch(path, json={"name": "Warsaw-2"}, headers=headers)
    assert renamed.json()["name"] == "Warsaw-2"
    half = await client.patch(
        path,
        json={"config_profile_uuid": template["config_profile_uuid"]},
        headers=headers,
    )
    assert half.status_code == 422
    disabled = await client.post(f"{path}/disable", headers=headers)
    assert disabled.json()["is_disabled"] is True
    stats = (await client.get(f"{API}/servers/stats", headers=headers)).json()
    assert stats["total"] == 3 and stats["disabled"] == 1 and stats["connected"] == 2
    assert (await client.post(f"{path}/restart", headers=headers)).status_code == 200
    assert (await client.post(f"{path}/enable", headers=headers)).json()[
        "is_disabled"
    ] is False
    assert (await client.delete(path, headers=headers)).status_code == 204
    gone = await client.get(path, headers=headers)
    assert gone.status_code == 404 and gone.json()["detail"] == "Server not found"
    assert (await client.post(f"{path}/reboot", headers=headers)).status_code == 422
    assert "server.created" in await _audit_actions(app)


async def test_monitoring(app: FastAPI, client: httpx.AsyncClient) -> None:
    headers = await _headers(app, client, Role.SUPPORT)
    operator = await _headers(app, client, Role.OPERATOR)
    await _create_user(client, operator, "counted")
    stats = (await client.get(f"{API}/monitoring/stats", headers=headers)).json()
    assert stats["total_users"] == 1
    assert stats["users_by_status"]["ACTIVE"] == 1
    assert stats["nodes_online"] == 2
    bandwidth = await client.get(f"{API}/monitoring/bandwidth", headers=headers)
    assert set(bandwidth.json()) == {
        "last_two_days",
        "last_seven_days",
        "last_30_days",
        "calendar_month",
        "current_year",
    }
    ready = (await client.get("/ready")).json()
    assert ready["checks"]["vpn_panel"] == "ok"


async def test_server_geolocation_is_kept_and_merged(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await _headers(app, client, Role.ADMIN)
    viewer = await _headers(app, client, Role.VIEWER)
    servers = (await client.get(f"{API}/servers", headers=admin)).json()["items"]
    assert all(s["geolocation"] is None for s in servers)
    frankfurt = next(s for s in servers if s["name"] == "Frankfurt-1")
    path = f"{API}/servers/{frankfurt['uuid']}"
    location = {
        "country_code": "DE",
        "city": "Frankfurt",
        "latitude": 50.11,
        "longitude": 8.68,
    }

    put = await client.put(f"{path}/geolocation", json=location, headers=admin)
    assert put.status_code == 200, put.text
    assert put.json()["geolocation"] == location
    moved = {**location, "city": None, "latitude": 50.0}
    again = await client.put(f"{path}/geolocation", json=moved, headers=admin)
    assert again.json()["geolocation"] == moved
    assert (await client.get(path, headers=viewer)).json()["geolocation"] == moved
    listed = (await client.get(f"{API}/servers", headers=viewer)).json()["items"]
    assert {s["name"]: s["geolocation"] for s in listed} == {
        "Frankfurt-1": moved,
        "Amsterdam-1": None,
    }
    renamed = await client.patch(path, json={"name": "Frankfurt-9"}, headers=admin)
    assert renamed.json()["geolocation"] == moved

    for bad in (
        {**location, "country_code": "ZZ"},  # well-formed, not assigned
        {**location, "country_code": "de"},
        {**location, "latitude": 91},
        {**location, "longitude": -180.5},
        {"country_code": "DE"},
    ):
        refused = await client.put(f"{path}/geolocation", json=bad, headers=admin)
        assert refused.status_code == 422, bad
    unknown = await client.put(
        f"{API}/servers/00000000-0000-4000-8000-000000000000/geolocation",
        json=location,
        headers=admin,
    )
    assert unknown.status_code == 404
    forbidden = await client.put(f"{path}/geolocation", json=location, headers=viewer)
    assert forbidden.status_code == 403

    assert (await client.delete(path, headers=admin)).status_code == 204
    async with app.state.container.session_factory() as session:
        rows = await session.scalars(select(ServerGeolocationModel))
        assert list(rows) == []
    assert "server.geolocation_set" in await _audit_actions(app)


async def test_a_null_for_a_required_vpn_user_field_changes_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    # Found by the fuzzer: a null strategy reached the panel, which then answered
    # every read of that user with a body we could not parse (503 ever after).
    headers = await _headers(app, client, Role.ADMIN)
    user = await _create_user(client, headers, "null_fields", tag="KEEP")
    changed = await client.patch(
        f"{API}/users/{user['id']}",
        json={
            "traffic_limit_strategy": None,
            "traffic_limit_bytes": None,
            "status": None,
            "tag": None,
        },
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["traffic_limit_strategy"] == user["traffic_limit_strategy"]
    assert body["tag"] is None  # optional fields may still be cleared
    again = await client.get(f"{API}/users/{user['id']}", headers=headers)
    assert again.status_code == 200


async def test_the_sandbox_panel_refuses_null_for_a_required_field(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    headers = await _headers(app, client, Role.ADMIN)
    user = await _create_user(client, headers, "strict_panel")
    panel = app.state.container.vpn_panel.transport
    refused = await panel.send(
        "PATCH", "/api/users", json={"id": user["id"], "trafficLimitStrategy": None}
    )
    assert refused.status_code == 400
