"""/subscriptions/me, /trial, and staff's /admin/provisioning."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, status

from cybervpn.application.identity.authenticate import Caller
from cybervpn.application.subscriptions.get_my_subscription import GetMySubscription
from cybervpn.application.subscriptions.provisioning_admin import (
    ListProvisioningJobs,
    RetryProvisioning,
)
from cybervpn.application.subscriptions.start_trial import StartTrial, TrialTerms
from cybervpn.domain.catalog.plan import AccessLimits
from cybervpn.domain.fleet.vpn_user import TrafficLimitStrategy
from cybervpn.domain.identity.roles import Permission
from cybervpn.domain.jobs.outbox import OutboxStatus
from cybervpn.presentation.http.container import Container
from cybervpn.presentation.http.dependencies import (
    CallerDep,
    ContainerDep,
    OriginDep,
    PageDep,
    UowDep,
    require,
)
from cybervpn.presentation.http.jobs.router import OutboxMessageResponse
from cybervpn.presentation.http.pagination import PageResponse
from cybervpn.presentation.http.subscriptions.schemas import (
    SubscriptionResponse,
    TrialResponse,
)

router = APIRouter(tags=["subscriptions"])
Operator = Annotated[Caller, require(Permission.OPERATIONS_MANAGE)]


def _trial_terms(c: Container) -> TrialTerms:
    commerce = c.settings.commerce
    return TrialTerms(
        days=commerce.trial_days,
        limits=AccessLimits(
            traffic_limit_bytes=commerce.trial_traffic_limit_bytes,
            traffic_limit_strategy=TrafficLimitStrategy.NO_RESET,
            device_limit=commerce.trial_device_limit,
            squad_uuids=tuple(commerce.trial_squad_uuids),
        ),
    )


@router.get("/subscriptions/me")
async def my_subscription(
    caller: CallerDep, uow: UowDep, c: ContainerDep
) -> SubscriptionResponse:
    """404 `subscription_not_found` before the first trial or purchase.
    `traffic_used_bytes` is null while the VPN panel cannot be reached."""
    view = await GetMySubscription(
        uow=uow, panel=c.vpn_panel.panel, clock=c.clock
    ).execute(caller.account.id)
    return SubscriptionResponse.of(view)


@router.post("/trial", status_code=status.HTTP_201_CREATED)
async def start_trial(caller: CallerDep, uow: UowDep, c: ContainerDep) -> TrialResponse:
    """One per account, only before any purchase (409 `trial_already_used`).
    The VPN user is set up in the background: status `provisioning`, then
    `active` with a subscription URL."""
    subscription = await StartTrial(
        uow=uow, clock=c.clock, terms=_trial_terms(c)
    ).execute(caller.account)
    return TrialResponse.of(subscription, c.clock.now())


@router.get("/admin/provisioning")
async def list_provisioning(
    _caller: Operator,
    uow: UowDep,
    page: PageDep,
    status: OutboxStatus | None = None,
) -> PageResponse[OutboxMessageResponse]:
    """Unfinished provisioning jobs (pending, processing, dead) unless `status`
    says otherwise."""
    items, total = await ListProvisioningJobs(uow).execute(
        status, limit=page.limit, offset=page.offset
    )
    return PageResponse[OutboxMessageResponse].of(items, total, page)


@router.post("/admin/provisioning/{job_id}/retry")
async def retry_provisioning(
    job_id: UUID, caller: Operator, origin: OriginDep, uow: UowDep, c: ContainerDep
) -> OutboxMessageResponse:
    """A dead job gets fresh attempts; a job waiting out its backoff runs now."""
    job = await RetryProvisioning(
        uow=uow, clock=c.clock, dispatcher=c.dispatcher
    ).execute(actor=caller.account, job_id=job_id, origin=origin)
    return OutboxMessageResponse.model_validate(job)
