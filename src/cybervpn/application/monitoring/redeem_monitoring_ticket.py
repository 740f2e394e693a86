"""Opening the staff live monitoring socket with a ticket."""

from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.identity.authenticate import Caller
from cybervpn.application.monitoring.ports import TicketStore
from cybervpn.domain.common.errors import PermissionDeniedError
from cybervpn.domain.identity.errors import InvalidTokenError
from cybervpn.domain.identity.repositories import AccountSessionLookup
from cybervpn.domain.identity.roles import Permission


class RedeemMonitoringTicket:
    """A ticket opens the feed once, and only while its holder may still read the
    fleet: a session revoked, an account deactivated or a role lowered within the
    ticket's life refuses it too."""

    def __init__(
        self, *, store: TicketStore, lookup: AccountSessionLookup, clock: Clock
    ) -> None:
        self._store = store
        self._lookup = lookup
        self._clock = clock

    async def execute(self, ticket: str) -> Caller:
        subject = await self._store.redeem(ticket)
        if subject is None:
            raise InvalidTokenError
        account_id, session_id = (UUID(part) for part in subject.split(":"))
        found = await self._lookup.get_with_session(account_id, session_id)
        if found is None:
            raise InvalidTokenError
        account, session = found
        if not account.is_active or not session.is_usable(self._clock.now()):
            raise InvalidTokenError
        if not account.can(Permission.FLEET_READ):
            raise PermissionDeniedError
        return Caller(account=account, session_id=session.id)
