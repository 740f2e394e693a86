"""Access on the customer's terms: their devices (the panel's HWID slots), a new
subscription link, the link as a QR code; and staff's view of any VPN user's
devices. Through the sandbox panel, on both backends."""

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import segno
from fastapi import FastAPI
from sqlalchemy import select, update

from cybervpn.domain.identity.roles import Role
from cybervpn.infrastructure.persistence.models.audit import AuditLogModel
from cybervpn.infrastructure.persistence.models.commerce import SubscriptionModel
from cybervpn.infrastructure.persistence.models.jobs import NotificationModel
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from tests.commerce import customer, run_jobs, verified_customer, vpn_user_of
from tests.helpers import API, bearer, staff_tokens

pytestmark = pytest.mark.integration
ME = f"{API}/subscriptions/me"


async def _trial_customer(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState, email: str
) -> tuple[dict[str, str], Any]:
    headers = await verified_customer(app, client, email)
    assert (await client.post(f"{API}/trial", headers=headers)).status_code == 201
    await run_jobs(app)
    account_id = (await client.get(f"{API}/auth/me", headers=headers)).json()["id"]
    return headers, vpn_user_of(sandbox, account_id)


def _connect(sandbox: PanelState, vpn_user: Any, hwid: str, **device: Any) -> None:
    sandbox.add_device(vpn_user, {"hwid": hwid} | device)


async def _expire(app: FastAPI) -> None:
    async with app.state.container.session_factory() as session:
        await session.execute(
            update(SubscriptionModel).values(
                expires_at=datetime.now(UTC) - timedelta(minutes=1)
            )
        )
        await session.commit()


async def test_a_customer_sees_and_frees_their_device_slots(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    buyer, vpn_user = await _trial_customer(app, client, sandbox, "dev@example.com")
    _connect(
        sandbox, vpn_user, "phone-hwid-0001", platform="iOS", device_model="iPhone"
    )
    _connect(sandbox, vpn_user, "laptop-hwid-0002", platform="Windows")
    other, other_user = await _trial_customer(app, client, sandbox, "o@example.com")
    _connect(sandbox, other_user, "other-hwid-0003")

    listed = await client.get(f"{ME}/devices", headers=buyer)
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert [d["hwid"] for d in body["items"]] == ["phone-hwid-0001", "laptop-hwid-0002"]
    assert body["items"][0]["platform"] == "iOS"
    assert (
        body["device_limit"] == app.state.container.settings.commerce.trial_device_limit
    )

    await app.state.container.sandbox_webhooks.drain()
    await run_jobs(app)
    async with app.state.container.session_factory() as session:
        told = list(
            await session.scalars(
                select(NotificationModel).where(
                    NotificationModel.template == "device.added"
                )
            )
        )
    mine = [
        n
        for n in told
        if n.account_id is not None and n.payload["hwid"] != "other-hwid-0003"
    ]
    assert sorted(n.payload["hwid"] for n in mine) == [
        "laptop-hwid-0002",
        "phone-hwid-0001",
    ]

    removed = await client.delete(f"{ME}/devices/laptop-hwid-0002", headers=buyer)
    assert removed.status_code == 204
    left = (await client.get(f"{ME}/devices", headers=buyer)).json()["items"]
    assert [d["hwid"] for d in left] == ["phone-hwid-0001"]
    for hwid in ("laptop-hwid-0002", "other-hwid-0003"):  # gone, or not theirs
        refused = await client.delete(f"{ME}/devices/{hwid}", headers=buyer)
        assert refused.status_code == 404
        assert refused.json()["code"] == "device_not_found"
    assert [d.hwid for d in sandbox.devices[other_user.id]] == ["other-hwid-0003"]


async def test_staff_see_and_free_any_vpn_users_devices(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    buyer, vpn_user = await _trial_customer(app, client, sandbox, "s@example.com")
    for n in range(3):
        _connect(sandbox, vpn_user, f"staff-hwid-000{n}", platform="Android")
    admin = bearer(
        (await staff_tokens(app, client, "adm@example.com", Role.ADMIN))["access_token"]
    )
    devices = f"{API}/users/{vpn_user.id}/devices"

    listed = (await client.get(devices, headers=admin)).json()
    assert listed["total"] == 3 and listed["items"][0]["vpn_user_id"] == vpn_user.id
    stats = (await client.get(f"{API}/devices/stats", headers=admin)).json()
    assert stats["total_devices"] == 3
    assert stats["by_platform"] == [{"platform": "Android", "count": 3}]
    assert (await client.get(devices, headers=buyer)).status_code == 403

    one = await client.delete(f"{devices}/staff-hwid-0000", headers=admin)
    assert one.status_code == 204
    missing = await client.delete(f"{devices}/staff-hwid-0000", headers=admin)
    assert missing.json()["code"] == "device_not_found"
    assert (await client.delete(devices, headers=admin)).status_code == 204
    assert sandbox.devices[vpn_user.id] == []
    unknown = await client.get(f"{API}/users/999999/devices", headers=admin)
    assert unknown.json()["code"] == "vpn_user_not_found"

    async with app.state.container.session_factory() as session:
        audited = list(
            await session.scalars(
                select(AuditLogModel.after).where(
                    AuditLogModel.action == "vpn_user.devices_removed"
                )
            )
        )
    assert audited == [
        {"hwids": ["staff-hwid-0000"]},
        {"hwids": ["staff-hwid-0001", "staff-hwid-0002"]},
    ]


async def test_a_new_link_replaces_a_leaked_one(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    buyer, vpn_user = await _trial_customer(app, client, sandbox, "leak@example.com")
    old_url = (await client.get(ME, headers=buyer)).json()["subscription_url"]
    old_short = vpn_user.short_uuid

    revoked = await client.post(f"{ME}/revoke", headers=buyer)
    assert revoked.status_code == 200, revoked.text
    new_url = revoked.json()["subscription_url"]
    assert new_url != old_url and vpn_user.short_uuid != old_short
    assert new_url.endswith(vpn_user.short_uuid)  # the panel's new link
    assert (await client.get(ME, headers=buyer)).json()["subscription_url"] == new_url
    assert all(u.short_uuid != old_short for u in sandbox.users.values())


async def test_the_link_as_a_qr_code(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    buyer, _ = await _trial_customer(app, client, sandbox, "qr@example.com")
    url = (await client.get(ME, headers=buyer)).json()["subscription_url"]

    svg = await client.get(f"{ME}/qr", headers=buyer)
    assert svg.status_code == 200
    assert svg.headers["content-type"] == "image/svg+xml"
    assert svg.headers["cache-control"] == "no-store"
    png = await client.get(f"{ME}/qr", params={"format": "png"}, headers=buyer)
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    expected = io.BytesIO()  # the same code, drawn from the link itself
    segno.make(url, error="m").save(expected, kind="png", scale=8, border=2)
    assert png.content == expected.getvalue()
    gif = await client.get(f"{ME}/qr", params={"format": "gif"}, headers=buyer)
    assert gif.status_code == 422


async def test_live_access_is_needed_402_once_expired_404_without_any(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    nobody = await customer(client, "none@example.com")
    calls = [
        ("GET", f"{ME}/devices"),
        ("DELETE", f"{ME}/devices/some-hwid-00"),
        ("POST", f"{ME}/revoke"),
        ("GET", f"{ME}/qr"),
    ]
    for method, url in calls:
        answer = await client.request(method, url, headers=nobody)
        assert (answer.status_code, answer.json()["code"]) == (404, "no_subscription")

    waiting = await verified_customer(app, client, "wait@example.com")
    sandbox.outage = True  # the VPN user cannot be set up yet
    assert (await client.post(f"{API}/trial", headers=waiting)).status_code == 201
    before_setup = await client.get(f"{ME}/devices", headers=waiting)
    assert before_setup.json()["items"] == []
    not_ready = await client.post(f"{ME}/revoke", headers=waiting)
    assert (not_ready.status_code, not_ready.json()["code"]) == (
        409,
        "access_not_ready",
    )

    sandbox.outage = False
    await _expire(app)
    for method, url in calls:
        answer = await client.request(method, url, headers=waiting)
        assert answer.status_code == 402, (method, url)
        assert answer.json() == {
            "detail": "Subscription expired",
            "code": "subscription_expired",
        }
