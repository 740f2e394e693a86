"""/admin/audit-log: reading the audit trail."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from cybervpn.application.identity.authenticate import Caller
from cybervpn.domain.audit.repositories import AuditFilter
from cybervpn.domain.identity.roles import Permission
from cybervpn.presentation.http.audit.schemas import AuditEntryResponse, AuditPage
from cybervpn.presentation.http.audit.use_cases import ListAuditLogDep
from cybervpn.presentation.http.dependencies import PageDep, require

router = APIRouter(prefix="/admin/audit-log", tags=["audit"])


@router.get("", summary="Read the audit log")
async def list_audit_log(
    _caller: Annotated[Caller, require(Permission.AUDIT_READ)],
    audit_log: ListAuditLogDep,
    page: PageDep,
    actor_id: UUID | None = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    entity_type: Annotated[str | None, Query(max_length=64)] = None,
    entity_id: Annotated[str | None, Query(max_length=64)] = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
) -> AuditPage:
    result = await audit_log.execute(
        AuditFilter(
            actor_id=actor_id,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            since=since,
            until=until,
        ),
        page,
    )
    return AuditPage(
        items=[AuditEntryResponse.model_validate(e) for e in result.items],
        total=result.total,
        limit=result.limit,
        offset=result.offset,
    )
