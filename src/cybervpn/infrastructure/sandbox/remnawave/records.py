"""The sandbox panel's records and errors."""

import secrets
import string
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
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
# The sandbox's own refusal: Python's calendar ends with the year 9999.
EXPIRY_OUT_OF_RANGE = (400, "SANDBOX_RANGE", "Expiration date out of range")


def fail(error: tuple[int, str, str]) -> PanelError:
    return PanelError(*error)


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return (
        moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


def new_password() -> str:
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
    trojan_password: str = field(default_factory=new_password)
    ss_password: str = field(default_factory=new_password)
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
