"""Two-factor authentication: a TOTP credential and single-use backup codes."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

BACKUP_CODE_COUNT = 10


@dataclass(slots=True, kw_only=True)
class TotpCredential:
    """The TOTP secret of an account, encrypted; pending until the first valid code."""

    account_id: UUID
    encrypted_secret: str
    created_at: datetime
    enabled_at: datetime | None = None
    last_timecode: int | None = None

    @property
    def is_enabled(self) -> bool:
        return self.enabled_at is not None
