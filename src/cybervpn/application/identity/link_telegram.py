"""Linking Telegram to a signed-in account."""

from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.linking import link_identity
from cybervpn.application.identity.telegram import TelegramUser
from cybervpn.application.identity.telegram_replays import (
    ReplayGuard,
    ensure_first_use,
)
from cybervpn.domain.audit.entry import AuditOrigin
from cybervpn.domain.identity.errors import AccountNotFoundError
from cybervpn.domain.identity.identity import Identity


class LinkTelegram:
    """Business rules: the Telegram user is the one Telegram signed for (a Login
    Widget login is accepted once); it then links as any identity does (see
    `link_identity`) and becomes the chat we message: the only way a chat becomes
    one we message."""

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        clock: Clock,
        replays: ReplayGuard,
        replay_window_seconds: int,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._replays = replays
        self._replay_window = replay_window_seconds

    async def execute(
        self, *, account_id: UUID, user: TelegramUser, origin: AuditOrigin
    ) -> Identity:
        await ensure_first_use(self._replays, user, self._replay_window)
        account = await self._uow.accounts.get(account_id)
        if account is None:
            raise AccountNotFoundError
        identity = await link_identity(
            self._uow, self._clock, account=account, proved=user.proved(), origin=origin
        )
        await self._uow.commit()
        return identity
