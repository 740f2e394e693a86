"""/admin/outbox and /admin/notifications: background work as staff see it."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from cybervpn.application.identity.authenticate import Caller
from cybervpn.domain.identity.roles import Permission
from cybervpn.domain.jobs.outbox import OutboxFilter, OutboxStatus
from cybervpn.domain.notifications.notification import (
    Audience,
    NotificationFilter,
    NotificationStatus,
)
from cybervpn.presentation.http.dependencies import OriginDep, PageDep, require
from cybervpn.presentation.http.jobs.use_cases import (
    ListNotificationsDep,
    ListOutboxMessagesDep,
    RetryOutboxMessageDep,
)
from cybervpn.presentation.http.pagination import PageResponse

router = APIRouter(prefix="/admin", tags=["jobs"])
Operator = Annotated[Caller, require(Permission.OPERATIONS_MANAGE)]


class OutboxMessageResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    topic: str
    payload: dict[str, Any]
    status: OutboxStatus
    attempts: int
    max_attempts: int
    created_at: datetime
    available_at: datetime
    locked_until: datetime | None
    processed_at: datetime | None
    last_error: str | None


class NotificationResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    audience: Audience
    account_id: UUID | None
    chat_id: int | None
    template: str
    payload: dict[str, Any]
    status: NotificationStatus
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


@router.get("/outbox", summary="List background jobs")
async def list_outbox(
    _caller: Operator,
    outbox: ListOutboxMessagesDep,
    page: PageDep,
    status: OutboxStatus | None = None,
    topic: Annotated[str | None, Query(max_length=64)] = None,
) -> PageResponse[OutboxMessageResponse]:
    """`status=dead` lists the dead letters: work that failed every attempt."""
    items, total = await outbox.execute(
        OutboxFilter(status=status, topic=topic), limit=page.limit, offset=page.offset
    )
    return PageResponse[OutboxMessageResponse].of(items, total, page)


@router.post("/outbox/{message_id}/retry", summary="Retry a dead background job")
async def retry_outbox_message(
    message_id: UUID,
    caller: Operator,
    origin: OriginDep,
    retry: RetryOutboxMessageDep,
) -> OutboxMessageResponse:
    """A dead letter gets a fresh set of attempts and is dispatched now."""
    message = await retry.execute(
        actor=caller.account, message_id=message_id, origin=origin
    )
    return OutboxMessageResponse.model_validate(message)


@router.get("/notifications", summary="List notifications and their delivery")
async def list_notifications(
    _caller: Operator,
    notifications: ListNotificationsDep,
    page: PageDep,
    status: NotificationStatus | None = None,
    account_id: UUID | None = None,
) -> PageResponse[NotificationResponse]:
    items, total = await notifications.execute(
        NotificationFilter(status=status, account_id=account_id),
        limit=page.limit,
        offset=page.offset,
    )
    return PageResponse[NotificationResponse].of(items, total, page)
