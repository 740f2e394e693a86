"""Trial claims in SQL."""

from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from cybervpn.infrastructure.persistence.models.commerce import TrialClaimModel
from cybervpn.infrastructure.persistence.statements import insert_or_skip, table_of


class SqlTrialClaimRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(
        self, contact_digests: list[str], account_id: UUID, now: datetime
    ) -> bool:
        table = table_of(TrialClaimModel)
        claimed = await self._session.scalars(
            insert_or_skip(self._session, table, conflict=["contact_digest"]).returning(
                table.c.contact_digest
            ),
            [
                {"contact_digest": d, "account_id": account_id, "claimed_at": now}
                for d in contact_digests
            ],
        )
        return set(claimed) == set(contact_digests)
