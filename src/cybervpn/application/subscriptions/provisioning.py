"""Queueing provisioning and deprovisioning: the job row in the caller's
transaction."""

from datetime import datetime
from uuid import UUID

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.jobs.outbox import OutboxMessage
from cybervpn.domain.subscriptions.subscription import (
    DEPROVISION_TOPIC,
    PROVISION_TOPIC,
    Subscription,
)

# Enough to ride out a panel outage of about a day (the backoff caps at an hour);
# past that the job is dead-lettered and staff are alerted.
PROVISION_MAX_ATTEMPTS = 30


def enqueue_provisioning(
    uow: UnitOfWork, subscription: Subscription, *, now: datetime
) -> None:
    uow.outbox.add(provisioning_job(subscription, now=now))


def provisioning_job(subscription: Subscription, *, now: datetime) -> OutboxMessage:
    return OutboxMessage.new(
        PROVISION_TOPIC,
        {"subscription_id": str(subscription.id)},
        now=now,
        max_attempts=PROVISION_MAX_ATTEMPTS,
    )


def enqueue_deprovisioning(
    uow: UnitOfWork, account_id: UUID, vpn_user_id: int | None, *, now: datetime
) -> None:
    """The account left: its VPN user is deleted (see DeprovisionVpnUser)."""
    uow.outbox.add(
        OutboxMessage.new(
            DEPROVISION_TOPIC,
            {"account_id": str(account_id), "vpn_user_id": vpn_user_id},
            now=now,
            max_attempts=PROVISION_MAX_ATTEMPTS,
        )
    )
