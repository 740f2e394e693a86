"""Random refresh tokens, service tokens and backup codes, stored as SHA-256
digests.

All carry at least 120 bits of entropy, so a fast digest is enough (ASVS 6.5.2 asks
for a slow hash only below 112 bits) and lets us look a token up by its digest.
"""

import base64
import hashlib
import secrets

from cybervpn.domain.identity.service_token import SERVICE_TOKEN_PREFIX

BACKUP_CODE_GROUP = 4
BACKUP_CODE_BYTES = 15  # 120 bits, 24 base32 characters


class SecureOpaqueTokens:
    def new_refresh_token(self) -> str:
        return secrets.token_urlsafe(32)

    def new_service_token(self) -> str:
        return SERVICE_TOKEN_PREFIX + secrets.token_urlsafe(32)

    def new_link_token(self) -> str:
        return secrets.token_urlsafe(32)

    def new_backup_codes(self, count: int) -> list[str]:
        return [self._backup_code() for _ in range(count)]

    def digest(self, value: str) -> str:
        return hashlib.sha256(value.encode()).hexdigest()

    @staticmethod
    def _backup_code() -> str:
        raw = base64.b32encode(secrets.token_bytes(BACKUP_CODE_BYTES)).decode()
        groups = [
            raw[i : i + BACKUP_CODE_GROUP]
            for i in range(0, len(raw), BACKUP_CODE_GROUP)
        ]
        return "-".join(groups)
