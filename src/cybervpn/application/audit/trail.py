"""Writing audit entries inside the transaction of the change they describe."""

from dataclasses import asdict, is_dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import NotRequired, TypedDict, Unpack
from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.audit.entry import AuditAction, AuditEntry, AuditOrigin


def plain(value: object) -> object:
    """A JSON-safe copy of a value for the audit log."""
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, UUID | Enum):
        return str(value.value if isinstance(value, Enum) else value)
    return value


def _plain_record(record: dict[str, object] | None) -> dict[str, object] | None:
    if record is None:
        return None
    return {str(name): plain(value) for name, value in record.items()}


class AuditDetails(TypedDict):
    """What an entry says beyond its action; the entity is an account unless
    `entity_type` says otherwise."""

    origin: AuditOrigin
    actor_id: UUID | None
    entity_id: UUID | str | None
    entity_type: NotRequired[str]
    before: NotRequired[dict[str, object] | None]
    after: NotRequired[dict[str, object] | None]


def audit_entry(
    clock: Clock, action: AuditAction, **details: Unpack[AuditDetails]
) -> AuditEntry:
    """An entry stamped now, its records made JSON-safe."""
    entity_id = details["entity_id"]
    return AuditEntry(
        action=action,
        occurred_at=clock.now(),
        actor_id=details["actor_id"],
        entity_type=details.get("entity_type", "account"),
        entity_id=None if entity_id is None else str(entity_id),
        origin=details["origin"],
        before=_plain_record(details.get("before")),
        after=_plain_record(details.get("after")),
    )


class AuditTrail:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def record(
        self, action: AuditAction, **details: Unpack[AuditDetails]
    ) -> None:
        await self._uow.audit_log.add(audit_entry(self._clock, action, **details))
