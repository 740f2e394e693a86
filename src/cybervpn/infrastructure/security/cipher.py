"""Encryption at rest with Fernet (AES-128-CBC + HMAC); old keys still decrypt."""

from collections.abc import Sequence

from cryptography.fernet import Fernet, MultiFernet


class FernetCipher:
    def __init__(self, keys: Sequence[str]) -> None:
        self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        return self._fernet.decrypt(ciphertext.encode()).decode()
