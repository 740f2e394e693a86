"""Who is calling: the account behind an access token."""

from dataclasses import dataclass
from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.identity.ports import AccessTokenService
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.errors import InvalidTokenError
from cybervpn.domain.identity.repositories import AccountSessionLookup


@dataclass(frozen=True, slots=True)
class Caller:
    account: Account
    session_id: UUID


class Authenticate:
    """A token is good only while its account is active and its session is alive.

    So deactivation, logout and logout-all take effect at once, not when the token
    expires. This runs on every authenticated request: one indexed lookup, read-only,
    so it needs no unit of work.
    """

    def __init__(
        self,
        *,
        lookup: AccountSessionLookup,
        clock: Clock,
        access_tokens: AccessTokenService,
    ) -> None:
        self._lookup = lookup
        self._clock = clock
        self._access_tokens = access_tokens

    async def execute(self, token: str) -> Caller:
        claims = self._access_tokens.verify(token)
        found = await self._lookup.get_with_session(
            claims.account_id, claims.session_id
        )
        if found is None:
            raise InvalidTokenError
        account, session = found
        if not account.is_active or not session.is_usable(self._clock.now()):
            raise InvalidTokenError
        return Caller(account=account, session_id=session.id)
