"""VPN users over the Remnawave API v3 (`/api/users`)."""

import json
from collections.abc import Sequence
from urllib.parse import quote

from cybervpn.domain.fleet.errors import (
    SquadNotFoundError,
    VpnUserNotFoundError,
)
from cybervpn.domain.fleet.vpn_user import (
    NewVpnUser,
    SquadRef,
    VpnUser,
    VpnUserAction,
    VpnUserChanges,
    VpnUserFilter,
    VpnUserStatus,
)
from cybervpn.infrastructure.remnawave.calls import PanelCalls, wire
from cybervpn.infrastructure.remnawave.schemas import (
    PanelUser,
    PanelUserPage,
)

_USER_MISSING = VpnUserNotFoundError
_USER_FIELDS = {
    "status": "status",
    "expire_at": "expireAt",
    "traffic_limit_bytes": "trafficLimitBytes",
    "traffic_limit_strategy": "trafficLimitStrategy",
    "device_limit": "hwidDeviceLimit",
    "internal_squads": "activeInternalSquads",
    "telegram_id": "telegramId",
    "email": "email",
    "description": "description",
    "tag": "tag",
}
_USER_ACTION_PATHS = {
    VpnUserAction.ENABLE: "enable",
    VpnUserAction.DISABLE: "disable",
    VpnUserAction.REVOKE: "revoke",
    VpnUserAction.RESET_TRAFFIC: "reset-traffic",
    VpnUserAction.EXTEND: "extend",
}


class RemnawaveVpnUsers:
    """`VpnUserPanel` (and the subscriptions' `ProvisioningPanel`)."""

    def __init__(self, calls: PanelCalls) -> None:
        self._calls = calls

    async def list_users(
        self, user_filter: VpnUserFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[VpnUser], int]:
        filters: list[dict[str, object]] = []
        modes: dict[str, str] = {}
        for field, value, mode in (
            ("status", user_filter.status, "equals"),
            ("username", user_filter.username, "contains"),
            ("email", user_filter.email, "contains"),
            ("telegramId", user_filter.telegram_id, "equals"),
        ):
            if value is not None:
                filters.append({"id": field, "value": str(value)})
                modes[field] = mode
        params: dict[str, str | int] = {"start": offset, "size": limit}
        if filters:
            params["filters"] = json.dumps(filters)
            params["filterModes"] = json.dumps(modes)
        page = await self._calls.call(
            "GET", "/api/users", PanelUserPage, params=params, not_found=None
        )
        return [_user(u) for u in page.users], page.total

    async def get_user(self, user_id: int) -> VpnUser:
        return _user(
            await self._calls.call(
                "GET", f"/api/users/{user_id}", PanelUser, not_found=_USER_MISSING
            )
        )

    async def find_user_by_username(self, username: str) -> VpnUser | None:
        try:
            found = await self._calls.call(
                "GET",
                f"/api/users/by-username/{quote(username, safe='')}",
                PanelUser,
                not_found=_USER_MISSING,
            )
        except VpnUserNotFoundError:
            return None
        return _user(found)

    async def create_user(self, user: NewVpnUser) -> VpnUser:
        body = {
            "username": user.username,
            "expireAt": wire(user.expire_at),
            "trafficLimitBytes": user.traffic_limit_bytes,
            "trafficLimitStrategy": user.traffic_limit_strategy.value,
            "hwidDeviceLimit": user.device_limit,
            "activeInternalSquads": wire(user.internal_squads),
            "telegramId": user.telegram_id,
            "email": user.email,
            "description": user.description,
            "tag": user.tag,
        }
        created = await self._calls.call(
            "POST",
            "/api/users",
            PanelUser,
            json={k: v for k, v in body.items() if v is not None},
            not_found=SquadNotFoundError,
        )
        return _user(created)

    async def update_user(self, user_id: int, changes: VpnUserChanges) -> VpnUser:
        body: dict[str, object] = {"id": user_id}
        for name, value in changes.values().items():
            body[_USER_FIELDS[name]] = wire(value)
        return _user(
            await self._calls.call(
                "PATCH", "/api/users", PanelUser, json=body, not_found=_USER_MISSING
            )
        )

    async def delete_user(self, user_id: int) -> None:
        await self._calls.command(
            "DELETE", f"/api/users/{user_id}", not_found=_USER_MISSING
        )

    async def apply_user_action(
        self, user_id: int, action: VpnUserAction, *, days: int | None = None
    ) -> VpnUser:
        body: dict[str, object] | None = None
        if action is VpnUserAction.EXTEND:
            body = {"days": days}
        elif action is VpnUserAction.REVOKE:
            body = {}
        path = f"/api/users/{user_id}/actions/{_USER_ACTION_PATHS[action]}"
        return _user(
            await self._calls.call(
                "POST", path, PanelUser, json=body, not_found=_USER_MISSING
            )
        )

    async def apply_bulk_user_action(
        self, user_ids: Sequence[int], action: VpnUserAction, *, days: int | None = None
    ) -> None:
        ids = list(user_ids)
        path, body = {
            VpnUserAction.ENABLE: (
                "/api/users/bulk/update",
                {"userIds": ids, "fields": {"status": VpnUserStatus.ACTIVE.value}},
            ),
            VpnUserAction.DISABLE: (
                "/api/users/bulk/update",
                {"userIds": ids, "fields": {"status": VpnUserStatus.DISABLED.value}},
            ),
            VpnUserAction.DELETE: ("/api/users/bulk/delete", {"userIds": ids}),
            VpnUserAction.EXTEND: (
                "/api/users/bulk/extend-expiration-date",
                {"userIds": ids, "extendDays": days},
            ),
            VpnUserAction.RESET_TRAFFIC: (
                "/api/users/bulk/reset-traffic",
                {"userIds": ids},
            ),
            VpnUserAction.REVOKE: (
                "/api/users/bulk/revoke-subscription",
                {"userIds": ids},
            ),
        }[action]
        await self._calls.command("POST", path, json=body, not_found=None)


def _user(user: PanelUser) -> VpnUser:
    return VpnUser(
        id=user.id,
        short_uuid=user.short_uuid,
        username=user.username,
        status=user.status,
        expire_at=user.expire_at,
        traffic_limit_bytes=user.traffic_limit_bytes,
        traffic_limit_strategy=user.traffic_limit_strategy,
        used_traffic_bytes=user.user_traffic.used_traffic_bytes,
        lifetime_used_traffic_bytes=user.user_traffic.lifetime_used_traffic_bytes,
        online_at=user.user_traffic.online_at,
        device_limit=user.hwid_device_limit,
        telegram_id=user.telegram_id,
        email=user.email,
        description=user.description,
        tag=user.tag,
        internal_squads=tuple(
            SquadRef(uuid=s.uuid, name=s.name) for s in user.active_internal_squads
        ),
        subscription_url=user.subscription_url,
        sub_revoked_at=user.sub_revoked_at,
        last_traffic_reset_at=user.last_traffic_reset_at,
        created_at=user.created_at,
        updated_at=user.updated_at,
    )
