"""The webhook inbox: every delivery we receive, kept (redacted) and deduplicated by
the provider's natural key."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID, uuid4

from cybervpn.domain.common.errors import DomainError

# Fields of panel payloads that are credentials; the log keeps "***" instead.
SECRET_FIELDS = frozenset(
    {"trojanPassword", "ssPassword", "vlessUuid", "password", "shortUuid"}
)


class DeliveryOutcome(StrEnum):
    PROCESSED = "processed"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
    FLAGGED = "flagged"  # authentic, but not credited: staff must look
    IGNORED = "ignored"  # authentic, nothing for us to do


class WebhookRejectedError(DomainError):
    """A delivery we cannot trust: bad or missing signature, or a stale timestamp."""

    code = "webhook_rejected"
    default_message = "Webhook signature or timestamp is not valid"


class MalformedWebhookError(DomainError):
    code = "webhook_malformed"
    default_message = "Webhook body is not a valid event"


def redact(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: "***" if k in SECRET_FIELDS and v is not None else redact(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


@dataclass(slots=True, kw_only=True)
class WebhookDelivery:
    provider: str
    received_at: datetime
    outcome: DeliveryOutcome
    event: str | None = None
    dedupe_key: str | None = None
    error: str | None = None
    payload: dict[str, Any] | None = None
    id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True)
class WebhookLogFilter:
    provider: str | None = None
    event: str | None = None
    outcome: DeliveryOutcome | None = None


class WebhookLogRepository(Protocol):
    async def record_first(self, delivery: WebhookDelivery) -> bool:
        """Insert a delivery with a dedupe key; False if that key is already there."""
        ...

    async def record_firsts(self, deliveries: Sequence[WebhookDelivery]) -> set[UUID]:
        """`record_first` for many at once (of two with one key, one wins); the ids
        of those inserted."""
        ...

    def add(self, delivery: WebhookDelivery) -> None:
        """A delivery that is logged but never deduplicated (a rejected one)."""
        ...

    async def save(self, delivery: WebhookDelivery) -> None:
        """Its outcome and error, once processing decided them."""
        ...

    async def list(
        self, log_filter: WebhookLogFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[WebhookDelivery], int]: ...
