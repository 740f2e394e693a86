"""Persistence port of the audit log (append-only)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from cybervpn.domain.audit.entry import AuditEntry


@dataclass(frozen=True, slots=True)
class AuditFilter:
    actor_id: UUID | None = None
    action: str | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


class AuditLogRepository(Protocol):
    async def add(self, entry: AuditEntry) -> None: ...
    async def list(
        self, audit_filter: AuditFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[AuditEntry], int]: ...
