"""Staff manage promo codes."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail, plain
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.billing.promo_code import (
    PromoCode,
    PromoCodeChanges,
    PromoCodeNotFoundError,
    PromoCodeTakenError,
    PromoCodeUsedError,
    PromoKind,
    normalize,
)
from cybervpn.domain.identity.account import Account


@dataclass(frozen=True, slots=True, kw_only=True)
class NewPromoCode:
    code: str
    kind: PromoKind
    value: Decimal
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    max_uses: int | None = None
    max_uses_per_account: int = 1
    is_active: bool = True


class ManagePromoCodes:
    """List, create, change and delete promo codes: one aggregate's CRUD.

    Business rules: codes are unique regardless of case; a code used by any
    payment is never deleted (deactivate it), so every payment keeps its code."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def list(self, *, limit: int, offset: int) -> tuple[Sequence[PromoCode], int]:
        return await self._uow.promo_codes.list(limit=limit, offset=offset)

    async def create(
        self, new: NewPromoCode, *, actor: Account, origin: AuditOrigin
    ) -> PromoCode:
        code = normalize(new.code)
        if await self._uow.promo_codes.by_code(code) is not None:
            raise PromoCodeTakenError
        promo = PromoCode(
            code=code,
            kind=new.kind,
            value=new.value,
            created_at=self._clock.now(),
            valid_from=new.valid_from,
            valid_until=new.valid_until,
            max_uses=new.max_uses,
            max_uses_per_account=new.max_uses_per_account,
            is_active=new.is_active,
        )
        self._uow.promo_codes.add(promo)
        await self._audit(AuditAction.PROMO_CODE_CREATED, promo, actor, origin)
        await self._uow.commit()
        return promo

    async def update(
        self,
        promo_id: UUID,
        changes: PromoCodeChanges,
        *,
        actor: Account,
        origin: AuditOrigin,
    ) -> PromoCode:
        promo = await self._get(promo_id)
        updated = promo.changed(changes)
        await self._uow.promo_codes.save(updated)
        await self._audit(
            AuditAction.PROMO_CODE_UPDATED, updated, actor, origin, changes.values()
        )
        await self._uow.commit()
        return updated

    async def delete(
        self, promo_id: UUID, *, actor: Account, origin: AuditOrigin
    ) -> None:
        promo = await self._get(promo_id)
        if await self._uow.payments.promo_used(promo.id):
            raise PromoCodeUsedError
        await self._uow.promo_codes.delete(promo.id)
        await self._audit(AuditAction.PROMO_CODE_DELETED, promo, actor, origin)
        await self._uow.commit()

    async def _get(self, promo_id: UUID) -> PromoCode:
        promo = await self._uow.promo_codes.get(promo_id)
        if promo is None:
            raise PromoCodeNotFoundError
        return promo

    async def _audit(
        self,
        action: AuditAction,
        promo: PromoCode,
        actor: Account,
        origin: AuditOrigin,
        changes: dict[str, object] | None = None,
    ) -> None:
        """Records the change; the calling method commits it."""
        after = changes or {
            "code": promo.code,
            "kind": promo.kind,
            "value": promo.value,
        }
        await AuditTrail(self._uow, self._clock).record(
            action,
            origin=origin,
            actor_id=actor.id,
            entity_type="promo_code",
            entity_id=str(promo.id),
            after={k: plain(v) for k, v in after.items()},
        )
