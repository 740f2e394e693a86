"""The panel's webhook body: `{scope, event, timestamp, data, meta?}`, camelCase.

User events carry the user in `data`; device events (scope `user_hwid_devices`)
carry it in `data.user` and the device in `data.hwidUserDevice`; node events carry
the node. `meta.expiration` on `user.expiration` is signed hours:
-72 means 72 hours left.
"""

from typing import Any

from pydantic import BaseModel, ValidationError

from cybervpn.application.webhooks.panel_event import (
    PanelDeviceRef,
    PanelEvent,
    PanelNodeRef,
    PanelVpnUserRef,
)
from cybervpn.infrastructure.persistence.storable import is_storable


class _Envelope(BaseModel):
    scope: str
    event: str
    timestamp: str
    data: dict[str, Any]
    meta: dict[str, Any] | None = None


def parse_event(body: bytes) -> tuple[PanelEvent | None, dict[str, Any] | None]:
    """The event, and the raw JSON to log; (None, None) if the body is not one."""
    try:
        envelope = _Envelope.model_validate_json(body)
    except ValidationError:
        return None, None
    logged = envelope.model_dump(mode="json", exclude_none=True)
    if not is_storable(logged):  # it is logged, and PostgreSQL refuses NUL
        return None, None
    data = envelope.data
    return (
        PanelEvent(
            scope=envelope.scope,
            name=envelope.event,
            timestamp=envelope.timestamp,
            subject=_subject(envelope.scope, data),
            data=data,
            vpn_user=_vpn_user(envelope.scope, data),
            node=_node(envelope.scope, data),
            device=_device(envelope.scope, data),
            hours_left=_hours_left(envelope.meta),
            threshold_percent=_integer(data.get("lastTriggeredThreshold")),
        ),
        logged,
    )


USER_SCOPES = ("user", DEVICE_SCOPE := "user_hwid_devices")


def _subject(scope: str, data: dict[str, Any]) -> str:
    device = _device(scope, data)
    if device is not None:  # two devices of one user in one moment are two events
        return f"{_subject('user', data)}:{device.hwid or ''}"
    for holder in (data, _nested(data, "user"), _nested(data, "node")):
        found = holder.get("id") or holder.get("uuid")
        if found:
            return str(found)
    return ""


def _vpn_user(scope: str, data: dict[str, Any]) -> PanelVpnUserRef | None:
    if scope not in USER_SCOPES:
        return None
    user = _nested(data, "user")
    return PanelVpnUserRef(
        id=_integer(user.get("id")),
        username=_text(user.get("username")),
        telegram_id=_integer(user.get("telegramId")),
    )


def _node(scope: str, data: dict[str, Any]) -> PanelNodeRef | None:
    if scope != "node":
        return None
    node = _nested(data, "node")
    return PanelNodeRef(
        uuid=_text(node.get("uuid")),
        name=_text(node.get("name")),
        address=_text(node.get("address")),
    )


def _device(scope: str, data: dict[str, Any]) -> PanelDeviceRef | None:
    if scope != DEVICE_SCOPE:
        return None
    device = _nested(data, "hwidUserDevice")
    return PanelDeviceRef(
        hwid=_text(device.get("hwid")),
        platform=_text(device.get("platform")),
        device_model=_text(device.get("deviceModel")),
    )


def _nested(data: dict[str, Any], key: str) -> dict[str, Any]:
    inner = data.get(key)
    return inner if isinstance(inner, dict) else data


def _hours_left(meta: dict[str, Any] | None) -> int | None:
    hours = _integer((meta or {}).get("expiration"))
    return -hours if hours is not None and hours < 0 else None


def _integer(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
