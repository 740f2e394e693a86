"""Who the free trial was given to: each contact (a verified e-mail address, a
Telegram user) gets it once, whatever account it is on now."""

import hashlib
from datetime import datetime
from typing import Protocol
from uuid import UUID

from cybervpn.domain.common.errors import ConflictError, PermissionDeniedError
from cybervpn.domain.identity.account import Account


class TrialUsedError(ConflictError):
    code = "trial_used"
    default_message = "The free trial was already given to this e-mail or Telegram"


class VerifiedContactRequiredError(PermissionDeniedError):
    code = "verified_contact_required"
    default_message = "Verify your e-mail or sign in with Telegram to start the trial"


def trial_contacts(account: Account) -> list[str]:
    """Digests of the account's verified contacts (kept after the account is
    deleted, so they carry no readable address)."""
    contacts = []
    if account.email is not None and account.email_verified_at is not None:
        contacts.append(f"email:{account.email}")
    if account.telegram_id is not None:
        contacts.append(f"telegram:{account.telegram_id}")
    return [hashlib.sha256(contact.encode()).hexdigest() for contact in contacts]


class TrialClaimRepository(Protocol):
    async def claim(
        self, contact_digests: list[str], account_id: UUID, now: datetime
    ) -> bool:
        """Claims every contact for the account; False (and nothing claimed once
        the transaction rolls back) when one already had a trial."""
        ...
