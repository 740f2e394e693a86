"""The audit context's use cases, one dependency each."""

from typing import Annotated

from fastapi import Depends

from cybervpn.application.audit.list_audit_log import ListAuditLog
from cybervpn.presentation.http.dependencies import UowDep


async def get_list_audit_log(uow: UowDep) -> ListAuditLog:
    return ListAuditLog(uow)


ListAuditLogDep = Annotated[ListAuditLog, Depends(get_list_audit_log)]
