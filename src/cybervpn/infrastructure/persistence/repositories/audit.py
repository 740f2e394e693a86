"""The audit log in SQL."""

from collections.abc import Sequence

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from cybervpn.domain.audit.entry import AuditAction, AuditEntry, AuditOrigin
from cybervpn.domain.audit.repositories import AuditFilter
from cybervpn.infrastructure.persistence.models.audit import AuditLogModel
from cybervpn.infrastructure.persistence.repositories.pagination import paginate


def _to_entity(row: AuditLogModel) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        action=AuditAction(row.action),
        occurred_at=row.occurred_at,
        actor_id=row.actor_id,
        entity_type=row.entity_type,
        entity_id=row.entity_id,
        before=row.before,
        after=row.after,
        origin=AuditOrigin(
            ip=row.ip, user_agent=row.user_agent, request_id=row.request_id
        ),
    )


class SqlAuditLogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entry: AuditEntry) -> None:
        self._session.add(
            AuditLogModel(
                id=entry.id,
                occurred_at=entry.occurred_at,
                actor_id=entry.actor_id,
                action=entry.action.value,
                entity_type=entry.entity_type,
                entity_id=entry.entity_id,
                before=entry.before,
                after=entry.after,
                ip=entry.origin.ip,
                user_agent=entry.origin.user_agent,
                request_id=entry.origin.request_id,
            )
        )

    async def list(
        self, audit_filter: AuditFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[AuditEntry], int]:
        model = AuditLogModel
        f = audit_filter
        conditions: list[ColumnElement[bool]] = []
        if f.actor_id is not None:
            conditions.append(model.actor_id == f.actor_id)
        if f.action is not None:
            conditions.append(model.action == f.action)
        if f.entity_type is not None:
            conditions.append(model.entity_type == f.entity_type)
        if f.entity_id is not None:
            conditions.append(model.entity_id == f.entity_id)
        if f.since is not None:
            conditions.append(model.occurred_at >= f.since)
        if f.until is not None:
            conditions.append(model.occurred_at < f.until)
        return await paginate(
            self._session,
            model,
            conditions,
            newest_first=model.occurred_at,
            to_entity=_to_entity,
            limit=limit,
            offset=offset,
        )
