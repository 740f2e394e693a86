"""Config profiles, inbounds, internal squads and hosts through our API, against the
sandbox panel over HTTP."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from cybervpn.domain.identity.roles import Role
from cybervpn.infrastructure.persistence.models.audit import AuditLogModel
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from tests.helpers import API, bearer, staff_tokens

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("sandbox")]


async def _headers(
    app: FastAPI, client: httpx.AsyncClient, role: Role
) -> dict[str, str]:
    tokens = await staff_tokens(app, client, f"{role.value}@example.com", role)
    return bearer(tokens["access_token"])


async def _audit_actions(app: FastAPI) -> list[str]:
    async with app.state.container.session_factory() as session:
        return list(await session.scalars(select(AuditLogModel.action)))


async def _first_profile(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> dict[str, Any]:
    profiles = await client.get(f"{API}/config-profiles", headers=headers)
    assert profiles.status_code == 200, profiles.text
    profile: dict[str, Any] = profiles.json()["items"][0]
    return profile


async def test_config_profiles_and_inbounds_are_readable(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    headers = await _headers(app, client, Role.VIEWER)
    profile = await _first_profile(client, headers)
    assert profile["name"] == "Default-Profile"
    assert {s["name"] for s in profile["servers"]} == {"Frankfurt-1", "Amsterdam-1"}
    assert "config" not in profile  # private keys stay on the panel
    one = await client.get(f"{API}/config-profiles/{profile['uuid']}", headers=headers)
    assert [i["tag"] for i in one.json()["inbounds"]] == ["VLESS_TCP", "TROJAN_WS"]
    missing = await client.get(
        f"{API}/config-profiles/00000000-0000-4000-8000-000000000000", headers=headers
    )
    assert missing.status_code == 404
    assert missing.json()["code"] == "config_profile_not_found"

    inbounds = (await client.get(f"{API}/inbounds", headers=headers)).json()["items"]
    assert len(inbounds) == 2
    assert all(len(i["squad_uuids"]) == 1 for i in inbounds)


async def test_squad_lifecycle_and_membership(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    admin = await _headers(app, client, Role.ADMIN)
    operator = await _headers(app, client, Role.OPERATOR)
    profile = await _first_profile(client, admin)
    inbound = profile["inbounds"][0]["uuid"]

    created = await client.post(
        f"{API}/squads",
        json={"name": "Premium", "inbound_uuids": [inbound]},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    squad = created.json()
    assert squad["members_count"] == 0 and len(squad["inbounds"]) == 1
    path = f"{API}/squads/{squad['uuid']}"

    duplicate = await client.post(
        f"{API}/squads", json={"name": "Premium"}, headers=admin
    )
    assert duplicate.status_code == 409
    bad_name = await client.post(f"{API}/squads", json={"name": "x!"}, headers=admin)
    assert bad_name.status_code == 422
    unknown_inbound = await client.post(
        f"{API}/squads",
        json={"name": "Ghost", "inbound_uuids": [profile["uuid"]]},
        headers=admin,
    )
    assert unknown_inbound.status_code == 404

    renamed = await client.patch(path, json={"name": "Premium-2"}, headers=admin)
    assert renamed.json()["name"] == "Premium-2"
    unchanged = await client.patch(path, json={}, headers=admin)
    assert unchanged.json()["name"] == "Premium-2"

    vpn_user = await client.post(
        f"{API}/users",
        json={"username": "squad_member", "expire_at": "2099-01-01T00:00:00Z"},
        headers=operator,
    )
    user_id = vpn_user.json()["id"]
    added = await client.post(
        f"{path}/members/add", json={"user_ids": [user_id, user_id]}, headers=operator
    )
    assert added.status_code == 200, added.text
    assert added.json()["members_count"] == 1
    assert sandbox.users[user_id].squads == [squad["uuid"]]
    removed = await client.post(
        f"{path}/members/remove", json={"user_ids": [user_id]}, headers=operator
    )
    assert removed.json()["members_count"] == 0
    empty = await client.post(
        f"{path}/members/add", json={"user_ids": []}, headers=operator
    )
    assert empty.status_code == 422
    wrong_verb = await client.post(
        f"{path}/members/swap", json={"user_ids": [1]}, headers=operator
    )
    assert wrong_verb.status_code == 422

    assert (await client.delete(path, headers=admin)).status_code == 204
    gone = await client.get(path, headers=admin)
    assert gone.status_code == 404 and gone.json()["code"] == "squad_not_found"
    listed = (await client.get(f"{API}/squads", headers=operator)).json()["items"]
    assert [s["name"] for s in listed] == ["Default-Squad"]
    assert {
        "squad.created",
        "squad.updated",
        "squad.members_added",
        "squad.members_removed",
        "squad.deleted",
    } <= set(await _audit_actions(app))


async def test_host_lifecycle(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    admin = await _headers(app, client, Role.ADMIN)
    profile = await _first_profile(client, admin)
    first, second = (i["uuid"] for i in profile["inbounds"])
    created = await client.post(
        f"{API}/hosts",
        json={
            "remark": "Amsterdam TLS",
            "address": "ams1.example.com",
            "port": 443,
            "config_profile_uuid": profile["uuid"],
            "inbound_uuid": first,
            "sni": "ams1.example.com",
            "security_layer": "TLS",
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    host = created.json()
    assert host["security_layer"] == "TLS" and host["is_disabled"] is False
    path = f"{API}/hosts/{host['uuid']}"

    moved = await client.patch(
        path,
        json={
            "port": 8443,
            "is_disabled": True,
            "config_profile_uuid": profile["uuid"],
            "inbound_uuid": second,
        },
        headers=admin,
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["port"] == 8443 and moved.json()["inbound_uuid"] == second
    half = await client.patch(path, json={"inbound_uuid": first}, headers=admin)
    assert half.status_code == 422
    assert half.json()["code"] == "incomplete_inbound_change"
    bad_port = await client.patch(path, json={"port": 70000}, headers=admin)
    assert bad_port.status_code == 422
    same = await client.patch(path, json={}, headers=admin)
    assert same.json()["port"] == 8443

    hosts = (await client.get(f"{API}/hosts", headers=admin)).json()["items"]
    assert len(hosts) == 2
    assert (await client.delete(path, headers=admin)).status_code == 204
    gone = await client.get(path, headers=admin)
    assert gone.status_code == 404 and gone.json()["code"] == "host_not_found"
    assert host["uuid"] not in sandbox.hosts
    assert {"host.created", "host.updated", "host.deleted"} <= set(
        await _audit_actions(app)
    )


async def test_routing_permissions(app: FastAPI, client: httpx.AsyncClient) -> None:
    customer = bearer(
        (await staff_tokens(app, client, "buyer@example.com", Role.CUSTOMER))[
            "access_token"
        ]
    )
    assert (await client.get(f"{API}/hosts", headers=customer)).status_code == 403
    assert (await client.get(f"{API}/inbounds")).status_code == 401
    operator = await _headers(app, client, Role.OPERATOR)
    assert (await client.get(f"{API}/squads", headers=operator)).status_code == 200
    cannot = await client.post(f"{API}/squads", json={"name": "Nope"}, headers=operator)
    assert cannot.status_code == 403
    host = (await client.get(f"{API}/hosts", headers=operator)).json()["items"][0]
    cannot_delete = await client.delete(f"{API}/hosts/{host['uuid']}", headers=operator)
    assert cannot_delete.status_code == 403
    viewer = await _headers(app, client, Role.VIEWER)
    squad = (await client.get(f"{API}/squads", headers=viewer)).json()["items"][0]
    no_members = await client.post(
        f"{API}/squads/{squad['uuid']}/members/add",
        json={"user_ids": [1]},
        headers=viewer,
    )
    assert no_members.status_code == 403
