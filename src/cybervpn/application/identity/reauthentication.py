"""Re-authentication before sensitive changes (ASVS 7.5.1)."""

from uuid import UUID

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.ports import PasswordHasher
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.errors import AccountNotFoundError, WrongPasswordError


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
