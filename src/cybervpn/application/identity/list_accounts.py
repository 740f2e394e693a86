"""Staff view of all accounts."""

from cybervpn.application.common.pagination import Page, PageRequest
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.dtos import AccountView
from cybervpn.domain.identity.repositories import AccountFilter


class ListAccounts:
    """Filter by role, active flag and e-mail text; newest first, one page at a time."""

    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(
        self, account_filter: AccountFilter, page: PageRequest
    ) -> Page[AccountView]:
        accounts, total = await self._uow.accounts.list(
            account_filter, limit=page.limit, offset=page.offset
        )
        return Page(
            items=[AccountView.of(a) for a in accounts],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )
