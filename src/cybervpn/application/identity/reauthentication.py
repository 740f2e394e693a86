"""Re-authentication before sensitive changes (ASVS 7.5.1)."""

from datetime import datetime, timedelta
from uuid import UUID

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.ports import PasswordHasher
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.errors import (
    AccountNotFoundError,
    ReauthenticationRequiredError,
    WrongPasswordError,
)

# An account without a password proves its owner is at the keyboard by a sign-in
# this recent.
FRESH_SIGN_IN = timedelta(minutes=10)


async def load_and_confirm_password(
    uow: UnitOfWork, hasher: PasswordHasher, account_id: UUID, password: str
) -> Account:
    """The caller's account, once its password has been given again correctly."""
    account = await uow.accounts.get(account_id)
    if account is None:
        raise AccountNotFoundError
    if not (await hasher.verify(account.password_hash, password)).valid:
        raise WrongPasswordError
    return account


def ensure_recent_sign_in(account: Account, now: datetime) -> None:
    """403 `reauthentication_required` unless the account signed in within the last
    10 minutes (for accounts with no password to give again)."""
    signed_in = account.last_login_at
    if signed_in is None or now - signed_in > FRESH_SIGN_IN:
        raise ReauthenticationRequiredError
