"""The service tokens, newest first (never their secrets)."""

from collections.abc import Sequence

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.identity.service_token import ServiceToken


class ListServiceTokens:
    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(
        self, *, limit: int, offset: int
    ) -> tuple[Sequence[ServiceToken], int]:
        return await self._uow.service_tokens.list(limit=limit, offset=offset)
