"""Argon2id password hashing (argon2-cffi) off the event loop."""

from argon2 import PasswordHasher as Argon2Hasher
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError

from cybervpn.application.identity.ports import PasswordCheck
from cybervpn.infrastructure.security.bounded_executor import BoundedExecutor


class Argon2PasswordHasher:
    def __init__(
        self,
        *,
        time_cost: int,
        memory_kib: int,
        parallelism: int,
        executor: BoundedExecutor,
    ) -> None:
        self._argon2 = Argon2Hasher(
            time_cost=time_cost,
            memory_cost=memory_kib,
            parallelism=parallelism,
            hash_len=32,
            salt_len=16,
            type=Type.ID,
        )
        self._executor = executor
        # A real hash with the current parameters: verifying against it costs what a
        # real verification costs, so unknown e-mails take as long as wrong passwords.
        self._dummy_hash = self._argon2.hash("cybervpn-timing-equaliser")

    async def hash(self, password: str) -> str:
        return await self._executor.run(self._argon2.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> PasswordCheck:
        if password_hash is None:
            await self.burn(password)
            return PasswordCheck(valid=False)
        return await self._executor.run(self._verify_blocking, password_hash, password)

    async def burn(self, password: str) -> None:
        await self.verify(self._dummy_hash, password)

    def _verify_blocking(self, password_hash: str, password: str) -> PasswordCheck:
        try:
            self._argon2.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return PasswordCheck(valid=False)
        return PasswordCheck(
            valid=True, needs_rehash=self._argon2.check_needs_rehash(password_hash)
        )
