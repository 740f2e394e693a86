"""Choosing the language of one's messages."""

from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.identity.errors import AccountNotFoundError


class SetMyLanguage:
    """Business rule: messages (Telegram and e-mail) are written in the chosen
    language from the next one on; None goes back to English."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, account_id: UUID, language: str | None) -> None:
        account = await self._uow.accounts.get(account_id)
        if account is None:
            raise AccountNotFoundError
        account.language = language
        account.updated_at = self._clock.now()
        await self._uow.accounts.update(account)
        await self._uow.commit()
