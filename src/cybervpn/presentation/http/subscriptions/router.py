"""/subscriptions/me, /trial, and staff's /admin/provisioning."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, status

from cybervpn.application.identity.authenticate import Caller
from cybervpn.domain.identity.roles import Permission
from cybervpn.domain.jobs.outbox import OutboxStatus
from cybervpn.presentation.http.dependencies import (
    CallerDep,
    ContainerDep,
    OriginDep,
    PageDep,
    require,
)
from cybervpn.presentation.http.jobs.router import OutboxMessageResponse
from cybervpn.presentation.http.pagination import PageResponse
from cybervpn.presentation.http.subscriptions.schemas import (
    SubscriptionResponse,
    TrialResponse,
)
from cybervpn.presentation.http.subscriptions.use_cases import (
    GetMySubscriptionDep,
    ListProvisioningJobsDep,
    RetryProvisioningDep,
    StartTrialDep,
)

router = APIRouter(tags=["subscriptions"])
Operator = Annotated[Caller, require(Permission.OPERATIONS_MANAGE)]


@router.get("/subscriptions/me", summary="The caller's VPN access")
async def my_subscription(
    caller: CallerDep, get: GetMySubscriptionDep
) -> SubscriptionResponse:
    """404 `no_subscription` before the first trial or purchase.
    `traffic_used_bytes` is null while the VPN panel cannot be reached."""
    view = await get.execute(caller.account.id)
    return SubscriptionResponse.of(view)


@router.post(
    "/trial", status_code=status.HTTP_201_CREATED, summary="Start the free trial"
)
async def start_trial(
    caller: CallerDep, start: StartTrialDep, c: ContainerDep
) -> TrialResponse:
    """One per account, only before any purchase (409 `trial_already_used`).
    The VPN user is set up in the background: status `provisioning`, then
    `active` with a subscription URL."""
    subscription = await start.execute(caller.account)
    return TrialResponse.of(subscription, c.clock.now())


@router.get("/admin/provisioning", summary="List provisioning jobs that wait or failed")
async def list_provisioning(
    _caller: Operator,
    jobs: ListProvisioningJobsDep,
    page: PageDep,
    status: OutboxStatus | None = None,
) -> PageResponse[OutboxMessageResponse]:
    """Unfinished provisioning jobs (pending, processing, dead) unless `status`
    says otherwise."""
    items, total = await jobs.execute(status, limit=page.limit, offset=page.offset)
    return PageResponse[OutboxMessageResponse].of(items, total, page)


@router.post("/admin/provisioning/{job_id}/retry", summary="Run a provisioning job now")
async def retry_provisioning(
    job_id: UUID, caller: Operator, origin: OriginDep, retry: RetryProvisioningDep
) -> OutboxMessageResponse:
    """A dead job gets fresh attempts; a job waiting out its backoff runs now."""
    job = await retry.execute(actor=caller.account, job_id=job_id, origin=origin)
    return OutboxMessageResponse.model_validate(job)
