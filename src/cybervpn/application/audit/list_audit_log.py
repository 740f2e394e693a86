"""Reading the audit log."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from cybervpn.application.common.pagination import Page, PageRequest
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.audit.repositories import AuditFilter


@dataclass(frozen=True, slots=True)
class AuditEntryView:
    id: UUID
    occurred_at: datetime
    action: str
    actor_id: UUID | None
    entity_type: str
    entity_id: str | None
    before: dict[str, object] | None
    after: dict[str, object] | None
    ip: str | None
    user_agent: str | None
    request_id: str | None


class ListAuditLog:
    """Newest first; staff with audit:read see every entry (the route checks it)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(
        self, audit_filter: AuditFilter, page: PageRequest
    ) -> Page[AuditEntryView]:
        entries, total = await self._uow.audit_log.list(
            audit_filter, limit=page.limit, offset=page.offset
        )
        views = [
            AuditEntryView(
                id=e.id,
                occurred_at=e.occurred_at,
                action=e.action.value,
                actor_id=e.actor_id,
                entity_type=e.entity_type,
                entity_id=e.entity_id,
                before=e.before,
                after=e.after,
                ip=e.origin.ip,
                user_agent=e.origin.user_agent,
                request_id=e.origin.request_id,
            )
            for e in entries
        ]
        return Page(items=views, total=total, limit=page.limit, offset=page.offset)
