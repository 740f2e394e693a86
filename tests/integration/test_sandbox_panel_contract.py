"""The sandbox panel against an independent client of the real panel's contract.

`remnawave-client` (PyPI, generated from the panel's OpenAPI spec) parses every
response strictly; if the sandbox drifts from the real panel, these calls fail.
"""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx
import pytest
from remnawave import AsyncRemnawave
from remnawave._generated.models import (
    BulkDeleteUsersBody,
    CreateHostBody,
    CreateHostBodyInbound,
    CreateInternalSquadBody,
    CreateNodeBody,
    CreateNodeBodyConfigProfile,
    CreateUserBody,
    CreateUserHwidDeviceBody,
    DeleteAllUserHwidDevicesBody,
    DeleteUserHwidDeviceBody,
    ExtendUserBody,
    RestartNodeBody,
    RevokeUserSubscriptionBody,
    UpdateHostBody,
    UpdateInternalSquadBody,
    UpdateNodeBody,
    UpdateUserBody,
)
from remnawave.exceptions import ApiError, NotFoundError, UnauthorizedError
from remnawave.http.httpx import HttpxAsync

from cybervpn.infrastructure.sandbox.remnawave.app import create_sandbox_panel
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState

pytestmark = pytest.mark.integration
TOKEN = "sandbox-api-token"  # noqa: S105 - a test value


@pytest.fixture
async def remote() -> AsyncIterator[tuple[AsyncRemnawave, PanelState]]:
    state = PanelState()
    transport = httpx.ASGITransport(app=create_sandbox_panel(state, token=TOKEN))
    client = AsyncRemnawave(
        "http://panel.test",
        TOKEN,
        transport=HttpxAsync(httpx.AsyncClient(transport=transport)),
    )
    yield client, state
    await client.aclose()


async def test_user_endpoints(remote: tuple[AsyncRemnawave, PanelState]) -> None:
    client, state = remote
    squad = UUID(next(iter(state.squads)))
    expire = datetime.now(UTC) + timedelta(days=30)
    user = await client.users.create_user(
        CreateUserBody(username="contract_user", expire_at=expire)
    )
    assert user.id == 1 and len(user.short_uuid) == 16
    assert (await client.users.get_user_by_id(user.id)).username == "contract_user"
    assert (await client.users.get_user_by_username("contract_user")).id == user.id
    assert (await client.users.get_user_by_short_uuid(user.short_uuid)).id == user.id
    page = await client.users.get_users(start=0, size=10)
    assert page.total == 1

    updated = await client.users.update_user(
        UpdateUserBody(
            id=user.id, traffic_limit_bytes=2**30, active_internal_squads=[squad]
        )
    )
    assert updated.traffic_limit_bytes == 2**30
    assert [s.uuid for s in updated.active_internal_squads] == [squad]
    assert (await client.users.disable_user(user.id)).status == "DISABLED"
    assert (await client.users.enable_user(user.id)).status == "ACTIVE"
    extended = await client.users.extend_user_expiration_date(
        user.id, ExtendUserBody(days=5)
    )
    assert extended.expire_at - user.expire_at == timedelta(days=5)
    revoked = await client.users.revoke_user_subscription(
        user.id, RevokeUserSubscriptionBody()
    )
    assert revoked.short_uuid != user.short_uuid
    reset = await client.users.reset_user_traffic(user.id)
    assert reset.last_traffic_reset_at is not None

    with pytest.raises(ApiError) as already:
        await client.users.enable_user(user.id)
    assert already.value.error_code == "A030"
    await client.users.delete_user(user.id)
    with pytest.raises(NotFoundError) as missing:
        await client.users.get_user_by_id(user.id)
    assert missing.value.error_code == "A063"
    assert [event for _, event, _ in state.events][:2] == [
        "user.created",
        "user.modified",
    ]


async def test_device_endpoints(remote: tuple[AsyncRemnawave, PanelState]) -> None:
    client, state = remote
    expire = datetime.now(UTC) + timedelta(days=30)
    user = await client.users.create_user(
        CreateUserBody(username="contract_devices", expire_at=expire)
    )
    devices = client.hwid_user_devices
    added = await devices.create_user_hwid_device(
        CreateUserHwidDeviceBody(
            hwid="contract-hwid-1", user_id=user.id, platform="iOS", os_version="18.1"
        )
    )
    assert added.total == 1 and added.devices[0].platform == "iOS"
    await devices.create_user_hwid_device(
        CreateUserHwidDeviceBody(hwid="contract-hwid-2", user_id=user.id)
    )
    with pytest.raises(ApiError) as duplicate:
        await devices.create_user_hwid_device(
            CreateUserHwidDeviceBody(hwid="contract-hwid-2", user_id=user.id)
        )
    assert duplicate.value.error_code == "A098"
    listed = await devices.get_user_hwid_devices(user.id)
    assert [d.hwid for d in listed.devices] == ["contract-hwid-1", "contract-hwid-2"]
    stats = await devices.get_hwid_devices_stats()
    assert stats.stats.total_hwid_devices == 2
    assert {p.platform: p.count for p in stats.by_platform}["iOS"] == 1

    left = await devices.delete_user_hwid_device(
        DeleteUserHwidDeviceBody(user_id=user.id, hwid="contract-hwid-1")
    )
    assert [d.hwid for d in left.devices] == ["contract-hwid-2"]
    none_left = await devices.delete_all_user_hwid_devices(
        DeleteAllUserHwidDevicesBody(user_id=user.id)
    )
    assert none_left.total == 0
    assert [e for _, e, _ in state.events if e.startswith("user_hwid")] == [
        "user_hwid_devices.added",
        "user_hwid_devices.added",
        "user_hwid_devices.deleted",
        "user_hwid_devices.deleted",
    ]


async def test_node_endpoints(remote: tuple[AsyncRemnawave, PanelState]) -> None:
    client, state = remote
    nodes = await client.nodes.get_nodes()
    assert len(nodes) == 2
    profile = next(iter(state.profiles.values()))
    node = await client.nodes.create_node(
        CreateNodeBody(
            name="Contract-1",
            address="contract.example.com",
            config_profile=CreateNodeBodyConfigProfile(
                active_config_profile_uuid=UUID(profile.uuid),
                active_inbounds=[UUID(inbound.uuid) for inbound in profile.inbounds],
            ),
            port=2222,
            country_code="FI",
        )
    )
    assert node.country_code == "FI" and len(node.config_profile.active_inbounds) == 2
    assert (await client.nodes.get_node(node.uuid)).name == "Contract-1"
    renamed = await client.nodes.update_node(
        UpdateNodeBody(uuid=node.uuid, name="Contract-2")
    )
    assert renamed.name == "Contract-2"
    assert (await client.nodes.disable_node(node.uuid)).is_disabled is True
    assert (await client.nodes.enable_node(node.uuid)).is_disabled is False
    await client.nodes.restart_node(node.uuid, RestartNodeBody(force_restart=False))
    await client.nodes.delete_node(node.uuid)
    with pytest.raises(NotFoundError) as missing:
        await client.nodes.get_node(node.uuid)
    assert missing.value.error_code == "A011"


async def test_routing_endpoints(remote: tuple[AsyncRemnawave, PanelState]) -> None:
    """Config profiles, inbounds, internal squads and hosts: the rest of what our
    client calls."""
    client, state = remote
    profiles = await client.config_profiles.get_config_profiles()
    assert profiles.total == 1
    profile = profiles.config_profiles[0]
    assert len(profile.nodes) == 2
    assert (await client.config_profiles.get_config_profile_by_uuid(profile.uuid)).name
    inbounds = await client.config_profiles.get_all_inbounds()
    assert inbounds.total == 2
    inbound = profile.inbounds[0].uuid

    squads = client.internal_squads
    squad = await squads.create_internal_squad(
        CreateInternalSquadBody(name="Contract Squad", inbounds=[inbound])
    )
    assert squad.info.inbounds_count == 1
    renamed = await squads.update_internal_squad(
        UpdateInternalSquadBody(uuid=squad.uuid, name="Contract-2")
    )
    assert renamed.name == "Contract-2"
    user = await client.users.create_user(
        CreateUserBody(
            username="squad_member", expire_at=datetime.now(UTC) + timedelta(days=1)
        )
    )
    await squads.add_many_users_to_internal_squad(
        squad.uuid, BulkDeleteUsersBody(user_ids=[user.id])
    )
    members = await squads.get_internal_squad_by_uuid(squad.uuid)
    assert members.info.members_count == 1
    await squads.remove_many_users_from_internal_squad(
        squad.uuid, BulkDeleteUsersBody(user_ids=[user.id])
    )
    assert (await squads.get_internal_squads()).total == 2
    with pytest.raises(ApiError) as taken:
        await squads.create_internal_squad(
            CreateInternalSquadBody(name="Default-Squad", inbounds=[])
        )
    assert taken.value.error_code == "A120"
    await squads.delete_internal_squad(squad.uuid)

    host = await client.hosts.create_host(
        CreateHostBody(
            inbound=CreateHostBodyInbound(
                config_profile_uuid=profile.uuid, config_profile_inbound_uuid=inbound
            ),
            remark="Contract host",
            address="contract.example.com",
            port=443,
        )
    )
    assert (await client.hosts.get_one_host(host.uuid)).remark == "Contract host"
    moved = await client.hosts.update_host(UpdateHostBody(uuid=host.uuid, port=8443))
    assert moved.port == 8443
    assert len(await client.hosts.get_hosts()) == 2
    await client.hosts.delete_host(host.uuid)
    with pytest.raises(NotFoundError) as missing:
        await client.hosts.get_one_host(host.uuid)
    assert missing.value.error_code == "A046"
    assert len(state.hosts) == 1


async def test_a_wrong_token_is_refused(
    remote: tuple[AsyncRemnawave, PanelState],
) -> None:
    _, state = remote
    transport = httpx.ASGITransport(app=create_sandbox_panel(state, token=TOKEN))
    intruder = AsyncRemnawave(
        "http://panel.test",
        "wrong",
        transport=HttpxAsync(httpx.AsyncClient(transport=transport)),
    )
    with pytest.raises(UnauthorizedError):
        await intruder.nodes.get_nodes()
    await intruder.aclose()
