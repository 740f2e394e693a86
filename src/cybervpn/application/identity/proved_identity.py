"""An account of a provider whose owner the caller proved to be, and what its
identity row keeps of it."""

from dataclasses import dataclass
from datetime import datetime

from cybervpn.domain.identity.identity import Identity, IdentityProvider


@dataclass(frozen=True, slots=True, kw_only=True)
class ProvedIdentity:
    """An account of a provider whose owner the caller proved to be (a signature
    of Telegram, a code and token of GitHub or Google)."""

    provider: IdentityProvider
    provider_user_id: str
    username: str | None = None
    email: str | None = None
    email_verified: bool = False
    language_code: str | None = None


def refresh(identity: Identity, proved: ProvedIdentity, *, now: datetime) -> None:
    """What the provider says now replaces what it said before."""
    identity.username = proved.username or identity.username
    identity.language_code = proved.language_code or identity.language_code
    if proved.email is not None:
        identity.email = proved.email
        identity.email_verified = proved.email_verified
    identity.last_used_at = now
