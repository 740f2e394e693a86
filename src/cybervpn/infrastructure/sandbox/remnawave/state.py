"""The sandbox panel's data and behaviour (status rules as the real panel has them)."""

import secrets
import string
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

# nanoid's alphabet as the panel configures it for short uuids.
SHORT_UUID_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ_abcdefghijkmnopqrstuvwxyz-"
SHORT_UUID_LENGTH = 16


class PanelError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


USER_NOT_FOUND = (404, "A025", "User not found")
USER_LOOKUP_NOT_FOUND = (404, "A063", "User with specified params not found")
USERNAME_TAKEN = (400, "A019", "User username already exists")
SHORT_UUID_TAKEN = (400, "A020", "User short UUID already exists")
ALREADY_DISABLED = (400, "A029", "User already disabled")
ALREADY_ENABLED = (400, "A030", "User already enabled")
NODE_NOT_FOUND = (404, "A011", "Node not found")
NODE_NAME_TAKEN = (400, "A033", "Node name already exists")
NODE_ADDRESS_TAKEN = (400, "A034", "Node address already exists")
CONFIG_PROFILE_NOT_FOUND = (404, "A111", "Config profile not found")
SQUAD_NOT_FOUND = (404, "A118", "Internal squad not found")


def fail(error: tuple[int, str, str]) -> PanelError:
    return PanelError(*error)


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return (
        moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


def _password() -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


def short_uuid() -> str:
    return "".join(
        secrets.choice(SHORT_UUID_ALPHABET) for _ in range(SHORT_UUID_LENGTH)
    )


@dataclass
class Inbound:
    uuid: str
    profile_uuid: str
    tag: str
    type: str
    network: str | None
    security: str | None
    port: int | None

    def json(self) -> dict[str, Any]:
        return {
            "uuid": self.uuid,
            "profileUuid": self.profile_uuid,
            "tag": self.tag,
            "type": self.type,
            "network": self.network,
            "security": self.security,
            "port": self.port,
            "rawInbound": None,
        }


@dataclass
class ConfigProfile:
    uuid: str
    name: str
    inbounds: list[Inbound]
    created_at: datetime


@dataclass
class Squad:
    uuid: str
    name: str
    inbound_uuids: list[str]
    created_at: datetime


@dataclass
class User:
    id: int
    username: str
    short_uuid: str
    status: str
    expire_at: datetime
    traffic_limit_bytes: int
    traffic_limit_strategy: str
    created_at: datetime
    updated_at: datetime
    telegram_id: int | None = None
    email: str | None = None
    description: str | None = None
    tag: str | None = None
    hwid_device_limit: int | None = None
    squads: list[str] = field(default_factory=list)
    trojan_password: str = field(default_factory=_password)
    ss_password: str = field(default_factory=_password)
    vless_uuid: str = field(default_factory=lambda: str(uuid.uuid4()))
    used_traffic_bytes: int = 0
    lifetime_used_traffic_bytes: int = 0
    sub_revoked_at: datetime | None = None
    last_traffic_reset_at: datetime | None = None
    online_at: datetime | None = None


@dataclass
class Node:
    uuid: str
    id: int
    name: str
    address: str
    port: int | None
    country_code: str
    profile_uuid: str
    inbound_uuids: list[str]
    created_at: datetime
    updated_at: datetime
    is_disabled: bool = False
    is_connected: bool = True
    traffic_limit_bytes: int | None = None
    traffic_used_bytes: int = 0
    users_online: int = 0
    tags: list[str] = field(default_factory=list)
    last_status_change: datetime | None = None
    last_status_message: str | None = None


class PanelState:
    """Everything the sandbox panel knows, and the events its changes cause."""

    def __init__(self, *, subscription_domain: str = "sub.sandbox.local") -> None:
        self.subscription_domain = subscription_domain
        self.reset()

    def reset(self) -> None:
        """Back to the seeded panel: one profile, one squad, two nodes, no users."""
        self.users: dict[int, User] = {}
        self.nodes: dict[str, Node] = {}
        self.profiles: dict[str, ConfigProfile] = {}
        self.squads: dict[str, Squad] = {}
        self.events: list[tuple[str, str, dict[str, Any]]] = []
        self.started_at = self.now()
        self._next_user_id = 1
        self._next_node_id = 1
        self._seed()

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)

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
        squad_uuid = str(uuid.uuid4())
        self.squads[squad_uuid] = Squad(
            squad_uuid, "Default-Squad", [i.uuid for i in inbounds], self.now()
        )
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
        self.events.clear()

    def emit(self, scope: str, event: str, data: dict[str, Any]) -> None:
        self.events.append((scope, event, data))

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
        user.trojan_password, user.ss_password = _password(), _password()
        now = self.now()
        user.sub_revoked_at = user.updated_at = now
        self.emit("user", "user.revoked", self.user_json(user))
        return user

    def extend(self, user: User, days: int) -> User:
        now = self.now()
        user.expire_at = max(user.expire_at, now) + timedelta(days=days)
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
        profile = self.profiles.get(profile_uuid)
        if profile is None:
            raise fail(CONFIG_PROFILE_NOT_FOUND)
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
