"""Errors of the identity context."""

from cybervpn.domain.common.errors import (
    AuthenticationError,
    BusinessRuleError,
    ConflictError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
)


class InvalidCredentialsError(AuthenticationError):
    """Unknown e-mail, wrong password and deactivated account look the same."""

    code = "invalid_credentials"
    default_message = "Invalid credentials"


class TelegramAuthInvalidError(AuthenticationError):
    """Whatever is wrong (hash, key, age, replay, shape): one answer, no oracle."""

    code = "telegram_auth_invalid"
    default_message = "Invalid Telegram login"


class OAuthFailedError(AuthenticationError):
    """Whatever went wrong (state unknown, used, expired or for another flow; the
    provider refused the code; a bad id_token or nonce): one answer."""

    code = "oauth_failed"
    default_message = "Sign-in with the provider failed; start again"


class InvalidTokenError(AuthenticationError):
    code = "invalid_token"
    default_message = "Invalid or expired token"


class InvalidServiceTokenError(AuthenticationError):
    """Unknown, expired and revoked service tokens look the same."""

    code = "invalid_service_token"
    default_message = "Invalid, expired or revoked service token"


class ServiceScopeMissingError(PermissionDeniedError):
    code = "scope_missing"
    default_message = "The service token lacks the scope this needs"


class SecondFactorAccountError(PermissionDeniedError):
    """An account with 2FA signs in with its second factor, which a service cannot
    give for it."""

    code = "second_factor_account"
    default_message = (
        "This account uses two-factor authentication; sign in from the app"
    )


class AccountDeactivatedError(PermissionDeniedError):
    code = "account_deactivated"
    default_message = "The account is deactivated"


class ExpiryInThePastError(BusinessRuleError):
    code = "expiry_in_the_past"
    default_message = "expires_at must be in the future"


class ServiceTokenNotFoundError(NotFoundError):
    code = "service_token_not_found"
    default_message = "Service token not found"


class InvalidTwoFactorCodeError(AuthenticationError):
    code = "invalid_two_factor_code"
    default_message = "Invalid two-factor code"


class WrongPasswordError(BusinessRuleError):
    """Re-authentication of a logged-in account failed (not a login failure)."""

    code = "wrong_password"
    default_message = "Password is incorrect"


class EmailAlreadyRegisteredError(ConflictError):
    code = "email_taken"
    default_message = "Email is already registered"


class IdentityTakenError(ConflictError):
    """The Telegram (GitHub, Google) account is another account's sign-in."""

    code = "identity_taken"
    default_message = "This sign-in is already linked to another account"


class ProviderAlreadyLinkedError(ConflictError):
    code = "provider_already_linked"
    default_message = "An account of this provider is already linked; unlink it first"


class LastLoginMethodError(ConflictError):
    """Unlinking would leave an account nothing to sign in with."""

    code = "last_login_method"
    default_message = (
        "This is the account's only way to sign in; set a password or link "
        "another sign-in first"
    )


class IdentityNotFoundError(NotFoundError):
    code = "identity_not_found"
    default_message = "No sign-in of this provider is linked to the account"


class StaffAccountError(PermissionDeniedError):
    """Staff sign in with e-mail, password and 2FA only: never through a linked
    identity or a service token."""

    code = "staff_account"
    default_message = "Not available for staff accounts"


class AccountExistsSignInToLinkError(ConflictError):
    """A provider's e-mail matches an account whose own e-mail nobody proved:
    linking it would hand that account to whoever registered the e-mail first."""

    code = "account_exists_sign_in_to_link"
    default_message = (
        "An account with this e-mail exists; sign in to it and link this provider"
    )


class OAuthProviderUnavailableError(DomainError):
    """GitHub or Google cannot be reached or failed (5xx): try again later."""

    code = "oauth_provider_unavailable"
    default_message = "The sign-in provider is unavailable, try again shortly"


class RedirectUriNotAllowedError(BusinessRuleError):
    code = "redirect_uri_not_allowed"
    default_message = "redirect_uri is not one of OAUTH_REDIRECT_URIS"


class OAuthProviderNotConfiguredError(NotFoundError):
    code = "oauth_provider_not_configured"
    default_message = "Sign-in with this provider is not configured"


class AccountNotFoundError(NotFoundError):
    code = "account_not_found"
    default_message = "Account not found"


class RoleChangeForbiddenError(PermissionDeniedError):
    code = "permission_denied"


class SelfModificationError(PermissionDeniedError):
    code = "self_modification_forbidden"
    default_message = "You cannot change your own role or status"


class TwoFactorAlreadyEnabledError(ConflictError):
    code = "two_factor_already_enabled"
    default_message = "Two-factor authentication is already enabled"


class TwoFactorNotEnabledError(ConflictError):
    code = "two_factor_not_enabled"
    default_message = "Two-factor authentication is not enabled"


class TwoFactorSetupMissingError(ConflictError):
    code = "two_factor_setup_missing"
    default_message = "Start two-factor setup first"


class TwoFactorRequiredError(PermissionDeniedError):
    """Staff must turn on two-factor authentication before using staff endpoints."""

    code = "two_factor_required"
    default_message = "Enable two-factor authentication to use this endpoint"


class ReauthenticationRequiredError(PermissionDeniedError):
    """An account with neither a password nor Telegram proves it is its owner by a
    fresh sign-in."""

    code = "reauthentication_required"
    default_message = "Sign in again, then retry within 10 minutes"


class EmailAlreadyVerifiedError(ConflictError):
    code = "email_already_verified"
    default_message = "This e-mail address is already verified"


class NoEmailError(ConflictError):
    code = "no_email"
    default_message = "The account has no e-mail address"
