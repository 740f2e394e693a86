"""Queueing provisioning: the job row in the caller's transaction."""

from datetime import datetime

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.jobs.outbox import OutboxMessage
from cybervpn.domain.subscriptions.subscription import PROVISION_TOPIC, Subscription

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
