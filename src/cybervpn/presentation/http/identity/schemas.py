"""Request and response bodies of the identity endpoints."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from cybervpn.application.identity.dtos import LoginOutcome, TokenPair
from cybervpn.domain.identity.password_policy import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
)
from cybervpn.domain.identity.roles import Role
from cybervpn.presentation.http.pagination import PageResponse
from cybervpn.presentation.http.request_body import StrictBody

NewPassword = Annotated[
    str, Field(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH)
]
# Checking an existing password never rejects by policy (it may predate the policy),
# but the cap still bounds the hashing work.
GivenPassword = Annotated[str, Field(min_length=1, max_length=PASSWORD_MAX_LENGTH)]
Code = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=6, max_length=64)
]
OpaqueToken = Annotated[str, Field(min_length=1, max_length=512)]
Language = Literal["en", "ru"]


class RegisterRequest(StrictBody):
    """Sign-up. Unknown fields (a `role`, say) are rejected, never applied."""

    email: EmailStr
    password: NewPassword
    referral_code: Annotated[str | None, Field(min_length=4, max_length=16)] = None
    language: Language | None = None  # what messages are written in; English


class LoginRequest(StrictBody):
    email: EmailStr
    password: GivenPassword


class TwoFactorLoginRequest(StrictBody):
    challenge_token: OpaqueToken
    code: Code


class RefreshRequest(StrictBody):
    refresh_token: OpaqueToken


class ChangePasswordRequest(StrictBody):
    current_password: GivenPassword
    new_password: NewPassword


class AccountResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    email: str | None  # none for an account that signs in with Telegram only
    email_verified_at: datetime | None  # when the owner proved the address
    language: str | None  # messages' language; null: English
    role: Role
    is_active: bool
    two_factor_enabled: bool
    telegram_id: int | None  # proved by a Telegram sign-in; the chat we message
    created_at: datetime
    updated_at: datetime
    last_login_at: datetime | None


class TokenResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int


class ChallengeResponse(BaseModel):
    requires_2fa: bool = True
    challenge_token: str


class TwoFactorSetupRequest(StrictBody):
    password: GivenPassword


class TwoFactorSetupResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    secret: str
    otpauth_uri: str


class TwoFactorCodeRequest(StrictBody):
    code: Code


class TwoFactorConfirmRequest(StrictBody):
    password: GivenPassword
    code: Code


class BackupCodesResponse(BaseModel):
    backup_codes: list[str]


class TwoFactorStatusResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    enabled: bool
    pending_setup: bool
    enabled_at: datetime | None
    backup_codes_remaining: int


class CreateAccountRequest(StrictBody):
    email: EmailStr
    password: NewPassword
    role: Role
    is_active: bool = True


class UpdateAccountRequest(StrictBody):
    role: Role | None = None
    is_active: bool | None = None


AccountPage = PageResponse[AccountResponse]


class SignInTokenResponse(TokenResponse):
    created: bool  # true when this sign-in opened the account


class SignInChallengeResponse(ChallengeResponse):
    created: bool


# Sign-in with Telegram, GitHub or Google: the login answer, and whether the
# account is new.
SignInAnswer = SignInTokenResponse | SignInChallengeResponse


def sign_in_answer(outcome: LoginOutcome, *, created: bool) -> SignInAnswer:
    if isinstance(outcome, TokenPair):
        return SignInTokenResponse(
            access_token=outcome.access_token,
            refresh_token=outcome.refresh_token,
            token_type=outcome.token_type,
            expires_in=outcome.expires_in,
            created=created,
        )
    return SignInChallengeResponse(
        challenge_token=outcome.challenge_token, created=created
    )
