"""Staff hear of paid customers still waiting for their VPN access."""

from datetime import timedelta

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWorkFactory
from cybervpn.application.notifications.enqueue import enqueue_notification
from cybervpn.domain.notifications.notification import (
    Audience,
    Notification,
    Template,
)

BATCH = 100


class AlertStalledProvisioning:
    """Business rule: a payment paid more than `threshold` ago and still not
    provisioned raises one staff alert (never one per run)."""

    def __init__(
        self, *, uow_factory: UnitOfWorkFactory, clock: Clock, threshold: timedelta
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._threshold = threshold

    async def execute(self) -> int:
        now = self._clock.now()
        async with self._uow_factory() as uow:
            stalled = await uow.payments.unprovisioned_paid(
                paid_before=now - self._threshold, limit=BATCH
            )
            for payment in stalled:
                payment.provisioning_alerted_at = now
                await uow.payments.save(payment)
                enqueue_notification(
                    uow,
                    Notification(
                        audience=Audience.STAFF,
                        template=Template.PROVISIONING_STALLED,
                        payload={
                            "payment_id": str(payment.id),
                            "account_id": str(payment.account_id),
                            "minutes": int(self._threshold.total_seconds() // 60),
                        },
                        created_at=now,
                    ),
                )
            await uow.commit()
        return len(stalled)
