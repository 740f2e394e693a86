"""The sign-ins linked to one's own account."""

from uuid import UUID

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.identity.identity import Identity


class ListIdentities:
    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, account_id: UUID) -> list[Identity]:
        return await self._uow.identities.list_for_account(account_id)
