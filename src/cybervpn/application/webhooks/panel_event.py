"""A Remnawave webhook event, in the terms the business rules need.

The wire format (JSON, camelCase keys, where each id sits) is read by the panel
adapter (`infrastructure/remnawave/webhook_events.py`); this is what it hands over.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True, kw_only=True)
class PanelVpnUserRef:
    id: int | None
    username: str | None
    telegram_id: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class PanelNodeRef:
    uuid: str | None
    name: str | None
    address: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class PanelDeviceRef:
    hwid: str | None
    platform: str | None
    device_model: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class PanelEvent:
    scope: str  # "user", "node", "user_hwid_devices", ...
    name: str  # "user.expired", "node.connection_lost", ...
    timestamp: str  # as the panel wrote it: part of the delivery's identity
    subject: str  # the id of the user or node the event is about, "" if none
    data: dict[str, Any] = field(default_factory=dict)  # for the live feed
    vpn_user: PanelVpnUserRef | None = None
    node: PanelNodeRef | None = None
    device: PanelDeviceRef | None = None  # device events: the device
    hours_left: int | None = None  # user.expiration: hours until expiry
    threshold_percent: int | None = None  # traffic threshold reached

    @property
    def dedupe_key(self) -> str:
        """One delivery per event, moment and subject: replays share it."""
        return f"{self.name}|{self.timestamp}|{self.subject}"[:255]
