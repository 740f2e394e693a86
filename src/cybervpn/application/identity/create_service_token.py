"""Making a service token (for the Telegram bot, say)."""

from dataclasses import dataclass
from datetime import datetime

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.ports import OpaqueTokens
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.errors import ExpiryInThePastError
from cybervpn.domain.identity.service_token import ServiceScope, ServiceToken


@dataclass(frozen=True, slots=True)
class NewServiceToken:
    token: ServiceToken
    secret: str  # shown once, never stored


class CreateServiceToken:
    """Business rules: the token is random (over 120 bits) and kept only as its
    digest, so it is shown once; it holds only the scopes given; an expiry, when
    given, lies in the future. Audited."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock, tokens: OpaqueTokens) -> None:
        self._uow = uow
        self._clock = clock
        self._tokens = tokens

    async def execute(
        self,
        *,
        actor: Account,
        name: str,
        scopes: frozenset[ServiceScope],
        expires_at: datetime | None,
        origin: AuditOrigin,
    ) -> NewServiceToken:
        now = self._clock.now()
        if expires_at is not None and expires_at <= now:
            raise ExpiryInThePastError
        secret = self._tokens.new_service_token()
        token = ServiceToken(
            name=name,
            scopes=scopes,
            token_digest=self._tokens.digest(secret),
            created_at=now,
            created_by=actor.id,
            expires_at=expires_at,
        )
        await self._uow.service_tokens.add(token)
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.SERVICE_TOKEN_CREATED,
            origin=origin,
            actor_id=actor.id,
            entity_type="service_token",
            entity_id=token.id,
            after=token.snapshot(),
        )
        await self._uow.commit()
        return NewServiceToken(token, secret)
