"""Encryption at rest with Fernet (AES-128-CBC + HMAC); old keys still decrypt."""

from collections.abc import Sequence

from cryptography.fernet import Fernet, MultiFernet

from cybervpn.config import ConfigurationError, SecuritySettings


class FernetCipher:
    def __init__(self, keys: Sequence[str]) -> None:
        self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])

    @classmethod
    def from_settings(cls, security: SecuritySettings) -> "FernetCipher":
        """ENCRYPTION_KEY first (it encrypts), then the previous keys."""
        if security.encryption_key is None:
            raise ConfigurationError(["ENCRYPTION_KEY is required"])
        return cls(
            [
                security.encryption_key.get_secret_value(),
                *security.previous_encryption_keys,
            ]
        )

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        return self._fernet.decrypt(ciphertext.encode()).decode()
