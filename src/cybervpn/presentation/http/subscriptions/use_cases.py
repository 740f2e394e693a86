"""The subscriptions context's use cases, one dependency each."""

from typing import Annotated

from fastapi import Depends

from cybervpn.application.subscriptions.get_my_link import GetMyLink
from cybervpn.application.subscriptions.get_my_subscription import GetMySubscription
from cybervpn.application.subscriptions.list_provisioning_jobs import (
    ListProvisioningJobs,
)
from cybervpn.application.subscriptions.my_devices import ListMyDevices, RemoveMyDevice
from cybervpn.application.subscriptions.retry_provisioning import RetryProvisioning
from cybervpn.application.subscriptions.revoke_my_link import RevokeMyLink
from cybervpn.application.subscriptions.start_trial import StartTrial, TrialTerms
from cybervpn.domain.catalog.plan import AccessLimits
from cybervpn.domain.fleet.vpn_user import TrafficLimitStrategy
from cybervpn.presentation.http.container import Container
from cybervpn.presentation.http.dependencies import ContainerDep, UowDep


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


async def get_my_subscription(uow: UowDep, c: ContainerDep) -> GetMySubscription:
    return GetMySubscription(uow=uow, panel=c.vpn_panel.panel.users, clock=c.clock)


async def get_start_trial(uow: UowDep, c: ContainerDep) -> StartTrial:
    return StartTrial(uow=uow, clock=c.clock, terms=_trial_terms(c))


async def get_list_provisioning_jobs(uow: UowDep) -> ListProvisioningJobs:
    return ListProvisioningJobs(uow)


async def get_retry_provisioning(uow: UowDep, c: ContainerDep) -> RetryProvisioning:
    return RetryProvisioning(uow=uow, clock=c.clock, dispatcher=c.dispatcher)


GetMySubscriptionDep = Annotated[GetMySubscription, Depends(get_my_subscription)]
StartTrialDep = Annotated[StartTrial, Depends(get_start_trial)]
ListProvisioningJobsDep = Annotated[
    ListProvisioningJobs, Depends(get_list_provisioning_jobs)
]
RetryProvisioningDep = Annotated[RetryProvisioning, Depends(get_retry_provisioning)]


async def get_list_my_devices(uow: UowDep, c: ContainerDep) -> ListMyDevices:
    return ListMyDevices(uow=uow, panel=c.vpn_panel.panel.devices, clock=c.clock)


async def get_remove_my_device(uow: UowDep, c: ContainerDep) -> RemoveMyDevice:
    return RemoveMyDevice(uow=uow, panel=c.vpn_panel.panel.devices, clock=c.clock)


async def get_revoke_my_link(uow: UowDep, c: ContainerDep) -> RevokeMyLink:
    return RevokeMyLink(uow=uow, panel=c.vpn_panel.panel.users, clock=c.clock)


async def get_my_link(uow: UowDep, c: ContainerDep) -> GetMyLink:
    return GetMyLink(uow=uow, clock=c.clock)


ListMyDevicesDep = Annotated[ListMyDevices, Depends(get_list_my_devices)]
RemoveMyDeviceDep = Annotated[RemoveMyDevice, Depends(get_remove_my_device)]
RevokeMyLinkDep = Annotated[RevokeMyLink, Depends(get_revoke_my_link)]
GetMyLinkDep = Annotated[GetMyLink, Depends(get_my_link)]
