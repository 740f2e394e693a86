"""Two-factor rules against in-memory ports."""

import pytest

from cybervpn.application.identity.complete_two_factor_login import (
    CompleteTwoFactorLogin,
)
from cybervpn.application.identity.disable_two_factor import DisableTwoFactor
from cybervpn.application.identity.enable_two_factor import EnableTwoFactor
from cybervpn.application.identity.get_two_factor_status import GetTwoFactorStatus
from cybervpn.application.identity.second_factor import SecondFactorVerifier
from cybervpn.application.identity.setup_two_factor import SetupTwoFactor
from cybervpn.domain.identity.errors import (
    InvalidCredentialsError,
    InvalidTwoFactorCodeError,
    TwoFactorNotEnabledError,
    WrongPasswordError,
)
from tests.unit.fakes import ORIGIN, FakeChallenges, World

pytestmark = pytest.mark.unit


class FixedTotp:
    """Accepts '<step>' padded to six digits as the code for that time step."""

    def new_secret(self) -> str:
        return "SECRET"

    def provisioning_uri(self, secret: str, account_name: str) -> str:
        return f"otpauth://totp/{account_name}?secret={secret}"

    def matching_timecode(self, secret: str, code: str) -> int | None:
        return int(code) if code.isdigit() else None


class PlainCipher:
    def encrypt(self, plaintext: str) -> str:
        return plaintext[::-1]

    def decrypt(self, ciphertext: str) -> str:
        return ciphertext[::-1]


def verifier(world: World) -> SecondFactorVerifier:
    return SecondFactorVerifier(
        uow=world.uow,
        clock=world.clock,
        totp=FixedTotp(),
        cipher=PlainCipher(),
        opaque_tokens=world.tokens,
    )


async def enrolled(world: World) -> tuple[object, list[str]]:
    account = await world.account("user@example.com")
    setup = SetupTwoFactor(
        uow=world.uow,
        hasher=world.hasher,
        clock=world.clock,
        totp=FixedTotp(),
        cipher=PlainCipher(),
    )
    with pytest.raises(WrongPasswordError):
        await setup.execute(account_id=account.id, password="nope", origin=ORIGIN)
    result = await setup.execute(account_id=account.id, password="pw", origin=ORIGIN)
    assert result.secret == "SECRET"
    assert world.uow.totp_credentials.rows[account.id].encrypted_secret == "TERCES"
    codes = await EnableTwoFactor(
        uow=world.uow, clock=world.clock, second_factor=verifier(world)
    ).execute(account_id=account.id, code="000100", origin=ORIGIN)
    return account, codes


def complete(world: World) -> CompleteTwoFactorLogin:
    return CompleteTwoFactorLogin(
        uow=world.uow,
        clock=world.clock,
        challenges=FakeChallenges(),
        second_factor=verifier(world),
        sessions=world.issuer(),
    )


async def test_time_steps_are_single_use_and_never_go_back(world: World) -> None:
    account, _ = await enrolled(world)
    challenge = f"challenge:{account.id}"  # type: ignore[attr-defined]
    for stale in ("000100", "000099"):
        with pytest.raises(InvalidTwoFactorCodeError):
            await complete(world).execute(
                challenge_token=challenge, code=stale, origin=ORIGIN
            )
    tokens = await complete(world).execute(
        challenge_token=challenge, code="000101", origin=ORIGIN
    )
    assert tokens.access_token
    assert world.uow.audit_log.actions().count("auth.two_factor_failed") == 2


async def test_backup_codes_work_once_and_are_counted(world: World) -> None:
    account, codes = await enrolled(world)
    account_id = account.id  # type: ignore[attr-defined]
    challenge = f"challenge:{account_id}"
    await complete(world).execute(
        challenge_token=challenge, code=codes[0].lower(), origin=ORIGIN
    )
    assert "two_factor.backup_code_used" in world.uow.audit_log.actions()
    with pytest.raises(InvalidTwoFactorCodeError):
        await complete(world).execute(
            challenge_token=challenge, code=codes[0], origin=ORIGIN
        )
    status = await GetTwoFactorStatus(uow=world.uow).execute(account_id)
    assert status.enabled and status.backup_codes_remaining == 9


async def test_second_step_refuses_deactivated_accounts(world: World) -> None:
    account, _ = await enrolled(world)
    account_id = account.id  # type: ignore[attr-defined]
    world.uow.accounts.rows[account_id].is_active = False
    with pytest.raises(InvalidCredentialsError):
        await complete(world).execute(
            challenge_token=f"challenge:{account_id}", code="000200", origin=ORIGIN
        )


async def test_disable_removes_secret_and_codes(world: World) -> None:
    account, _ = await enrolled(world)
    account_id = account.id  # type: ignore[attr-defined]
    disable = DisableTwoFactor(
        uow=world.uow,
        hasher=world.hasher,
        clock=world.clock,
        second_factor=verifier(world),
    )
    await disable.execute(
        account_id=account_id, password="pw", code="000150", origin=ORIGIN
    )
    assert world.uow.totp_credentials.rows == {} and world.uow.backup_codes.rows == {}
    assert world.uow.accounts.rows[account_id].two_factor_enabled is False
    with pytest.raises(TwoFactorNotEnabledError):
        await verifier(world).verify(account_id, "000151")
