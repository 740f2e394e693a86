"""What a job needs to run: units of work, the outbox processor and its handlers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from cybervpn.application.billing.credit_payment import CreditPayments
from cybervpn.application.billing.ports import PaymentProvider, StarsPayments
from cybervpn.application.billing.reconcile_payments import ReconcilePayments
from cybervpn.application.billing.reconcile_stars_payments import (
    ReconcileStarsPayments,
)
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork, UnitOfWorkFactory
from cybervpn.application.identity.email_links import EmailLinks
from cybervpn.application.identity.ports import SecretCipher
from cybervpn.application.identity.reset_password import (
    RESET_REQUESTED_TOPIC,
    MailPasswordReset,
)
from cybervpn.application.jobs.ports import JobDispatcher, OutboxHandler
from cybervpn.application.jobs.process_outbox_message import ProcessOutboxMessage
from cybervpn.application.jobs.sweep_outbox import SweepOutbox
from cybervpn.application.notifications.deliver_notification import (
    DeliverNotification,
)
from cybervpn.application.notifications.ports import Mailer, Messenger
from cybervpn.application.subscriptions.alert_stalled_provisioning import (
    AlertStalledProvisioning,
)
from cybervpn.application.subscriptions.deprovision import DeprovisionVpnUser
from cybervpn.application.subscriptions.ports import ProvisioningPanel
from cybervpn.application.subscriptions.provision_subscription import (
    ProvisionSubscription,
)
from cybervpn.application.subscriptions.remind_expiring import (
    RemindExpiringSubscriptions,
)
from cybervpn.config import Settings
from cybervpn.domain.notifications.notification import DELIVER_TOPIC
from cybervpn.domain.subscriptions.subscription import (
    DEPROVISION_TOPIC,
    PROVISION_TOPIC,
)
from cybervpn.infrastructure.persistence.unit_of_work import SqlUnitOfWork
from cybervpn.infrastructure.security.opaque_tokens import SecureOpaqueTokens


def unit_of_work_factory(
    session_factory: async_sessionmaker[Any], dispatcher: JobDispatcher | None
) -> UnitOfWorkFactory:
    after_commit = None if dispatcher is None else dispatcher.dispatch

    @asynccontextmanager
    async def open_unit_of_work() -> AsyncIterator[UnitOfWork]:
        async with session_factory() as session:
            yield SqlUnitOfWork(session, after_commit)

    return open_unit_of_work


@dataclass(slots=True)
class JobRuntime:
    processor: ProcessOutboxMessage
    sweeper: SweepOutbox
    reconciler: ReconcilePayments
    stars_reconciler: ReconcileStarsPayments
    stalled_provisioning: AlertStalledProvisioning
    expiry_reminders: RemindExpiringSubscriptions


def build_job_runtime(
    *,
    settings: Settings,
    session_factory: async_sessionmaker[Any],
    clock: Clock,
    messenger: Messenger,
    mailer: Mailer,
    cipher: SecretCipher,
    panel: ProvisioningPanel,
    payments: PaymentProvider,
    stars: StarsPayments,
    dispatcher: JobDispatcher | None,
) -> JobRuntime:
    credit = CreditPayments(
        clock=clock, referral_bonus_days=settings.commerce.referral_bonus_days
    )
    handlers: dict[str, OutboxHandler] = {
        DELIVER_TOPIC: DeliverNotification(
            messenger=messenger,
            mailer=mailer,
            links=cipher,
            web_app_url=settings.mail.web_app_url,
            staff_chat_id=settings.telegram.admin_chat_id,
            clock=clock,
        ),
        PROVISION_TOPIC: ProvisionSubscription(panel=panel, clock=clock),
        DEPROVISION_TOPIC: DeprovisionVpnUser(panel=panel, clock=clock),
        RESET_REQUESTED_TOPIC: MailPasswordReset(
            clock=clock,
            links=EmailLinks(tokens=SecureOpaqueTokens(), cipher=cipher),
        ),
    }
    uow_factory = unit_of_work_factory(session_factory, dispatcher)
    processor = ProcessOutboxMessage(
        uow_factory=uow_factory,
        handlers=handlers,
        clock=clock,
        lease=timedelta(seconds=settings.jobs.outbox_lease_seconds),
    )
    return JobRuntime(
        processor=processor,
        sweeper=SweepOutbox(uow_factory=uow_factory, processor=processor, clock=clock),
        reconciler=ReconcilePayments(
            uow_factory=uow_factory, provider=payments, clock=clock, credit=credit
        ),
        stars_reconciler=ReconcileStarsPayments(
            uow_factory=uow_factory, clock=clock, stars=stars, credit=credit
        ),
        stalled_provisioning=AlertStalledProvisioning(
            uow_factory=uow_factory,
            clock=clock,
            threshold=timedelta(minutes=settings.commerce.provisioning_alert_minutes),
        ),
        expiry_reminders=RemindExpiringSubscriptions(
            uow_factory=uow_factory, clock=clock
        ),
    )
