"""Notifications to customers and staff, delivered through Telegram and e-mail.

Every notification is a row first: a failed delivery is retried and a permanent
failure is recorded with its reason, never silently dropped. A customer
notification goes to every channel the customer proved is theirs, one row per
channel, so each is sent once whatever happens to the others.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID, uuid4

DELIVER_TOPIC = "notification.deliver"
# Payload keys of a mailed link: its token, encrypted at rest and dropped once
# sent, and where in the web app it opens.
SEALED_TOKEN = "sealed_token"  # noqa: S105 - a payload key
LINK_PATH = "link_path"


class NotificationStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


LANGUAGES = ("en", "ru")  # what messages to customers are written in


def language_of(code: str | None) -> str | None:
    """Our language for a client's language code ("ru-RU", Telegram's "ru");
    None when we have none of it (English is used)."""
    if not code:
        return None
    primary = code.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in LANGUAGES else None


class Channel(StrEnum):
    TELEGRAM = "telegram"
    EMAIL = "email"


class Audience(StrEnum):
    CUSTOMER = "customer"  # the account's Telegram chat
    STAFF = "staff"  # the staff alert chat


class Template(StrEnum):
    VPN_EXPIRED = "vpn.expired"
    VPN_LIMITED = "vpn.limited"
    VPN_EXPIRING = "vpn.expiring"
    VPN_TRAFFIC_THRESHOLD = "vpn.traffic_threshold"
    DEVICE_ADDED = "device.added"
    DEVICE_REMOVED = "device.removed"
    NODE_CONNECTION_LOST = "node.connection_lost"
    NODE_CONNECTION_RESTORED = "node.connection_restored"
    PAYMENT_RECEIVED = "payment.received"
    PAYMENT_REFUNDED = "payment.refunded"
    SUBSCRIPTION_ACTIVATED = "subscription.activated"
    SUBSCRIPTION_EXTENDED = "subscription.extended"
    SUBSCRIPTION_EXPIRING = "subscription.expiring"
    SUBSCRIPTION_EXPIRED = "subscription.expired"
    IDENTITY_LINKED = "identity.linked"
    IDENTITY_UNLINKED = "identity.unlinked"
    EMAIL_VERIFY = "email.verify"  # a link, to the address to prove
    PASSWORD_RESET = "password.reset"  # noqa: S105 - a link, to the account's address
    EMAIL_CHANGE_REQUESTED = "email.change_requested"  # to the old address
    PASSWORD_RESET_DONE = "password.reset_done"  # noqa: S105 - a template name
    PAYMENT_FLAGGED = "payment.flagged"  # staff
    PROVISIONING_STALLED = "provisioning.stalled"  # staff
    PROVISIONING_FAILED = "provisioning.failed"  # staff
    DEPROVISIONING_FAILED = "deprovisioning.failed"  # staff


class DeliveryError(Exception):
    """`permanent`: retrying cannot help (blocked bot, unknown chat, bad request)."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@dataclass(slots=True, kw_only=True)
class Notification:
    audience: Audience
    template: Template
    payload: dict[str, Any]
    created_at: datetime
    account_id: UUID | None = None
    chat_id: int | None = None
    status: NotificationStatus = NotificationStatus.PENDING
    attempts: int = 0
    last_error: str | None = None
    sent_at: datetime | None = None
    # None until delivery picks the customer's channels; set, it is the one.
    channel: Channel | None = None
    email: str | None = None  # an address to write to, verified or not (a link)
    id: UUID = field(default_factory=uuid4)

    def copy_for(self, channel: Channel) -> "Notification":
        """The same notification on another channel, as a row of its own."""
        return Notification(
            audience=self.audience,
            template=self.template,
            payload=dict(self.payload),
            created_at=self.created_at,
            account_id=self.account_id,
            channel=channel,
        )


@dataclass(frozen=True, slots=True)
class NotificationFilter:
    status: NotificationStatus | None = None
    account_id: UUID | None = None


class NotificationRepository(Protocol):
    def add(self, notification: Notification) -> None: ...
    async def add_all(self, notifications: Sequence[Notification]) -> None:
        """`add` for many, written at once (one statement)."""
        ...

    async def get(self, notification_id: UUID) -> Notification | None: ...
    async def erase_for(self, account_id: UUID) -> None:
        """Every notification of an account that left, sent or not."""
        ...

    async def save(self, notification: Notification) -> None: ...
    async def list(
        self, notification_filter: NotificationFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[Notification], int]: ...
