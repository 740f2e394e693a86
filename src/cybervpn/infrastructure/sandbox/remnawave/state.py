"""The sandbox panel's data and behaviour (status rules as the real panel has them)."""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import TypeAdapter

from cybervpn.infrastructure.sandbox.remnawave.devices_state import (
    Device,
    DevicesState,
)
from cybervpn.infrastructure.sandbox.remnawave.records import (
    ALREADY_DISABLED,
    ALREADY_ENABLED,
    EXPIRY_OUT_OF_RANGE,
    NODE_ADDRESS_TAKEN,
    NODE_NAME_TAKEN,
    NODE_NOT_FOUND,
    SHORT_UUID_TAKEN,
    USER_LOOKUP_NOT_FOUND,
    USER_NOT_FOUND,
    USERNAME_TAKEN,
    ConfigProfile,
    Inbound,
    Node,
    User,
    fail,
    iso,
    new_password,
    short_uuid,
)
from cybervpn.infrastructure.sandbox.remnawave.routing_state import (
    CONFIG_PROFILE_NOT_FOUND,
    SQUAD_NOT_FOUND,
    Host,
    RoutingState,
    Squad,
)


@dataclass
class PanelSnapshot:
    """What survives a restart: everything but the outage switch and events."""

    users: dict[int, User]
    nodes: dict[str, Node]
    profiles: dict[str, ConfigProfile]
    squads: dict[str, Squad]
    hosts: dict[str, Host]
    next_user_id: int
    next_node_id: int
    devices: dict[int, list[Device]] = field(default_factory=dict)


_SNAPSHOT = TypeAdapter(PanelSnapshot)


class PanelState(DevicesState, RoutingState):
    """Everything the sandbox panel knows, and the events its changes cause."""

    def __init__(self, *, subscription_domain: str = "sub.sandbox.local") -> None:
        self.subscription_domain = subscription_domain
        self.reset()

    def reset(self) -> None:
        """Back to the seeded panel: one profile, one squad, two nodes, no users."""
        self.outage = False  # tests: every request answers 503 while set
        self.users: dict[int, User] = {}
        self.nodes: dict[str, Node] = {}
        self.profiles: dict[str, ConfigProfile] = {}
        self.squads: dict[str, Squad] = {}
        self.hosts: dict[str, Host] = {}
        self.devices: dict[int, list[Device]] = {}
        self.events: list[tuple[str, str, dict[str, Any]]] = []
        self.unsent_webhooks: list[tuple[str, str, dict[str, Any]]] = []
        self.started_at = self.now()
        self._next_user_id = 1
        self._next_node_id = 1
        self._seed()

    def now(self) -> datetime:
        return datetime.now(UTC)

    def snapshot(self) -> bytes:
        return _SNAPSHOT.dump_json(
            PanelSnapshot(
                users=self.users,
                nodes=self.nodes,
                profiles=self.profiles,
                squads=self.squads,
                hosts=self.hosts,
                devices=self.devices,
                next_user_id=self._next_user_id,
                next_node_id=self._next_node_id,
            )
        )

    def restore(self, data: bytes) -> None:
        """Raises ValueError (pydantic's) for a file it cannot read."""
        saved = _SNAPSHOT.validate_json(data)
        self.users, self.nodes, self.profiles = saved.users, saved.nodes, saved.profiles
        self.squads, self.hosts = saved.squads, saved.hosts
        self.devices = saved.devices
        self._next_user_id, self._next_node_id = saved.next_user_id, saved.next_node_id

    def _seed(self) -> None:
        profile_uuid = str(uuid.uuid4())
        inbounds = [
            Inbound(
                str(uuid.uuid4()),
                profile_uuid,
                "VLESS_TCP",
                "vless",
                "tcp",
                "reality",
                443,
            ),
            Inbound(
                str(uuid.uuid4()),
                profile_uuid,
                "TROJAN_WS",
                "trojan",
                "ws",
                "tls",
                8443,
            ),
        ]
        self.profiles[profile_uuid] = ConfigProfile(
            profile_uuid, "Default-Profile", inbounds, self.now()
        )
        self.create_squad("Default-Squad", [i.uuid for i in inbounds])
        for name, address, country in (
            ("Frankfurt-1", "fra1.sandbox.local", "DE"),
            ("Amsterdam-1", "ams1.sandbox.local", "NL"),
        ):
            self.add_node(
                name=name,
                address=address,
                port=2222,
                country_code=country,
                profile_uuid=profile_uuid,
                inbound_uuids=[i.uuid for i in inbounds],
            )
        self.create_host(
            {
                "remark": "Frankfurt VLESS",
                "address": "fra1.sandbox.local",
                "port": 443,
                "profile_uuid": profile_uuid,
                "inbound_uuid": inbounds[0].uuid,
            }
        )
        self.events.clear()
        self.unsent_webhooks.clear()

    def emit(self, scope: str, event: str, data: dict[str, Any]) -> None:
        self.events.append((scope, event, data))
        self.unsent_webhooks.append((scope, event, data))

    # --- users -----------------------------------------------------------------

    def user(self, user_id: int, *, lookup: bool = False) -> User:
        found = self.users.get(user_id)
        if found is None:
            raise fail(USER_LOOKUP_NOT_FOUND if lookup else USER_NOT_FOUND)
        return found

    def user_by(self, *, username: str | None = None, short: str | None = None) -> User:
        for candidate in self.users.values():
            if username is not None and candidate.username == username:
                return candidate
            if short is not None and candidate.short_uuid == short:
                return candidate
        raise fail(USER_LOOKUP_NOT_FOUND)

    def create_user(self, values: dict[str, Any]) -> User:
        if any(u.username == values["username"] for u in self.users.values()):
            raise fail(USERNAME_TAKEN)
        wanted_short = values.get("short_uuid")
        if wanted_short and any(
            u.short_uuid == wanted_short for u in self.users.values()
        ):
            raise fail(SHORT_UUID_TAKEN)
        for squad in values.get("squads") or []:
            if squad not in self.squads:
                raise fail(SQUAD_NOT_FOUND)
        now = self.now()
        user = User(
            id=self._next_user_id,
            username=values["username"],
            short_uuid=wanted_short or short_uuid(),
            status=values.get("status") or "ACTIVE",
            expire_at=values["expire_at"],
            traffic_limit_bytes=values.get("traffic_limit_bytes") or 0,
            traffic_limit_strategy=values.get("traffic_limit_strategy") or "NO_RESET",
            created_at=now,
            updated_at=now,
            telegram_id=values.get("telegram_id"),
            email=values.get("email"),
            description=values.get("description"),
            tag=values.get("tag"),
            hwid_device_limit=values.get("hwid_device_limit"),
            squads=list(values.get("squads") or []),
        )
        for secret in ("trojan_password", "ss_password", "vless_uuid"):
            if values.get(secret):
                setattr(user, secret, str(values[secret]))
        self._next_user_id += 1
        self.users[user.id] = user
        self.emit("user", "user.created", self.user_json(user))
        return user

    def update_user(self, user: User, values: dict[str, Any]) -> User:
        status = values.pop("status", None)
        old_limit = user.traffic_limit_bytes
        for squad in values.get("squads") or []:
            if squad not in self.squads:
                raise fail(SQUAD_NOT_FOUND)
        for name, value in values.items():
            setattr(user, name, value)
        now = self.now()
        if status is not None:
            user.status = status
        elif user.status == "LIMITED" and "traffic_limit_bytes" in values:
            new_limit = values["traffic_limit_bytes"]
            if new_limit == 0 or new_limit > old_limit:
                user.status = "ACTIVE"
        elif (
            user.status == "EXPIRED" and "expire_at" in values and user.expire_at > now
        ):
            user.status = "ACTIVE"
        user.updated_at = now
        self.emit("user", "user.modified", self.user_json(user))
        return user

    def delete_user(self, user: User) -> None:
        del self.users[user.id]
        self.devices.pop(user.id, None)
        self.emit("user", "user.deleted", self.user_json(user))

    def enable_user(self, user: User) -> User:
        if user.status == "ACTIVE":
            raise fail(ALREADY_ENABLED)
        user.status, user.updated_at = "ACTIVE", self.now()
        self.emit("user", "user.enabled", self.user_json(user))
        return user

    def disable_user(self, user: User) -> User:
        if user.status == "DISABLED":
            raise fail(ALREADY_DISABLED)
        user.status, user.updated_at = "DISABLED", self.now()
        self.emit("user", "user.disabled", self.user_json(user))
        return user

    def reset_traffic(self, user: User) -> User:
        now = self.now()
        user.used_traffic_bytes, user.last_traffic_reset_at = 0, now
        user.updated_at = now
        if user.status == "LIMITED":
            user.status = "ACTIVE"
            self.emit("user", "user.enabled", self.user_json(user))
        self.emit("user", "user.traffic_reset", self.user_json(user))
        return user

    def revoke(
        self, user: User, *, only_passwords: bool, new_short: str | None
    ) -> User:
        if not only_passwords:
            user.short_uuid = new_short or short_uuid()
        user.vless_uuid = str(uuid.uuid4())
        user.trojan_password, user.ss_password = new_password(), new_password()
        now = self.now()
        user.sub_revoked_at = user.updated_at = now
        self.emit("user", "user.revoked", self.user_json(user))
        return user

    def extend(self, user: User, days: int) -> User:
        now = self.now()
        try:
            user.expire_at = max(user.expire_at, now) + timedelta(days=days)
        except OverflowError:
            raise fail(EXPIRY_OUT_OF_RANGE) from None
        if user.status == "EXPIRED":
            user.status = "ACTIVE"
        user.updated_at = now
        self.emit("user", "user.modified", self.user_json(user))
        return user

    def user_json(self, user: User) -> dict[str, Any]:
        return {
            "id": user.id,
            "shortUuid": user.short_uuid,
            "username": user.username,
            "status": user.status,
            "trafficLimitBytes": user.traffic_limit_bytes,
            "trafficLimitStrategy": user.traffic_limit_strategy,
            "expireAt": iso(user.expire_at),
            "telegramId": user.telegram_id,
            "email": user.email,
            "description": user.description,
            "tag": user.tag,
            "hwidDeviceLimit": user.hwid_device_limit,
            "externalSquadUuid": None,
            "trojanPassword": user.trojan_password,
            "vlessUuid": user.vless_uuid,
            "ssPassword": user.ss_password,
            "lastTriggeredThreshold": 0,
            "subRevokedAt": iso(user.sub_revoked_at),
            "lastTrafficResetAt": iso(user.last_traffic_reset_at),
            "createdAt": iso(user.created_at),
            "updatedAt": iso(user.updated_at),
            "subscriptionUrl": f"https://{self.subscription_domain}/{user.short_uuid}",
            "activeInternalSquads": [
                {"uuid": s, "name": self.squads[s].name}
                for s in user.squads
                if s in self.squads
            ],
            "userTraffic": {
                "usedTrafficBytes": user.used_traffic_bytes,
                "lifetimeUsedTrafficBytes": user.lifetime_used_traffic_bytes,
                "onlineAt": iso(user.online_at),
                "firstConnectedAt": None,
                "lastConnectedNodeUuid": None,
            },
        }

    # --- nodes -----------------------------------------------------------------

    def node(self, node_uuid: str) -> Node:
        found = self.nodes.get(node_uuid)
        if found is None:
            raise fail(NODE_NOT_FOUND)
        return found

    def _check_node_unique(
        self, name: str | None, address: str | None, skip: str
    ) -> None:
        for other in self.nodes.values():
            if other.uuid == skip:
                continue
            if name is not None and other.name == name:
                raise fail(NODE_NAME_TAKEN)
            if address is not None and other.address == address:
                raise fail(NODE_ADDRESS_TAKEN)

    def _check_profile(self, profile_uuid: str, inbound_uuids: list[str]) -> None:
        profile = self.profile(profile_uuid)
        known = {i.uuid for i in profile.inbounds}
        if not set(inbound_uuids) <= known:
            raise fail(CONFIG_PROFILE_NOT_FOUND)

    def add_node(self, **values: Any) -> Node:
        self._check_node_unique(values["name"], values["address"], skip="")
        self._check_profile(values["profile_uuid"], values["inbound_uuids"])
        now = self.now()
        node = Node(
            uuid=str(uuid.uuid4()),
            id=self._next_node_id,
            created_at=now,
            updated_at=now,
            last_status_change=now,
            **values,
        )
        self._next_node_id += 1
        self.nodes[node.uuid] = node
        self.emit("node", "node.created", self.node_json(node))
        return node

    def update_node(self, node: Node, values: dict[str, Any]) -> Node:
        self._check_node_unique(values.get("name"), values.get("address"), node.uuid)
        if "profile_uuid" in values:
            self._check_profile(values["profile_uuid"], values.get("inbound_uuids", []))
        for name, value in values.items():
            setattr(node, name, value)
        node.updated_at = self.now()
        self.emit("node", "node.modified", self.node_json(node))
        return node

    def set_node_disabled(self, node: Node, disabled: bool) -> Node:
        node.is_disabled = disabled
        node.is_connected = not disabled
        node.updated_at = node.last_status_change = self.now()
        self.emit(
            "node",
            "node.disabled" if disabled else "node.enabled",
            self.node_json(node),
        )
        return node

    def delete_node(self, node: Node) -> None:
        del self.nodes[node.uuid]
        self.emit("node", "node.deleted", self.node_json(node))

    def node_json(self, node: Node) -> dict[str, Any]:
        profile = self.profiles.get(node.profile_uuid)
        inbounds = [
            i.json()
            for i in (profile.inbounds if profile else [])
            if i.uuid in node.inbound_uuids
        ]
        return {
            "uuid": node.uuid,
            "id": node.id,
            "name": node.name,
            "address": node.address,
            "port": node.port,
            "proxyUrl": None,
            "isConnected": node.is_connected,
            "isDisabled": node.is_disabled,
            "isConnecting": False,
            "lastStatusChange": iso(node.last_status_change),
            "lastStatusMessage": node.last_status_message,
            "isTrafficTrackingActive": node.traffic_limit_bytes is not None,
            "trafficResetDay": None,
            "trafficLimitBytes": node.traffic_limit_bytes,
            "trafficUsedBytes": node.traffic_used_bytes,
            "notifyPercent": None,
            "viewPosition": node.id,
            "countryCode": node.country_code,
            "consumptionMultiplier": 1,
            "nodeConsumptionMultiplier": 1,
            "tags": node.tags,
            "integrationUuids": [],
            "ips": [],
            "createdAt": iso(node.created_at),
            "updatedAt": iso(node.updated_at),
            "configProfile": {
                "activeConfigProfileUuid": node.profile_uuid,
                "activeInbounds": inbounds,
            },
            "providerUuid": None,
            "provider": None,
            "activePluginUuid": None,
            "system": None,
            "versions": {"xray": "25.10.15", "node": "3.4.7"},
            "xrayUptime": 0,
            "usersOnline": node.users_online,
            "note": None,
        }

    # --- system ----------------------------------------------------------------

    def system_stats(self) -> dict[str, Any]:
        counts = {status: 0 for status in ("ACTIVE", "DISABLED", "LIMITED", "EXPIRED")}
        for user in self.users.values():
            counts[user.status] += 1
        now = self.now()
        online_now = sum(
            1
            for u in self.users.values()
            if u.online_at and now - u.online_at < timedelta(minutes=1)
        )
        return {
            "cpu": {"cores": 2},
            "memory": {"total": 4 << 30, "free": 3 << 30, "used": 1 << 30},
            "uptime": (now - self.started_at).total_seconds(),
            "timestamp": int(now.timestamp() * 1000),
            "users": {"statusCounts": counts, "totalUsers": len(self.users)},
            "onlineStats": {
                "lastDay": online_now,
                "lastWeek": online_now,
                "neverOnline": sum(1 for u in self.users.values() if not u.online_at),
                "onlineNow": online_now,
            },
            "nodes": {
                "totalOnline": sum(1 for n in self.nodes.values() if n.is_connected),
                "totalBytesLifetime": str(
                    sum(u.lifetime_used_traffic_bytes for u in self.users.values())
                ),
            },
        }
