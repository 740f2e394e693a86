"""Identity's use cases, one dependency each (override them in tests)."""

from typing import Annotated

from fastapi import Depends

from cybervpn.application.identity.change_email import ChangeEmail
from cybervpn.application.identity.change_password import ChangePassword
from cybervpn.application.identity.complete_two_factor_login import (
    CompleteTwoFactorLogin,
)
from cybervpn.application.identity.create_account import CreateAccount
from cybervpn.application.identity.create_service_token import CreateServiceToken
from cybervpn.application.identity.delete_my_account import DeleteMyAccount
from cybervpn.application.identity.disable_two_factor import DisableTwoFactor
from cybervpn.application.identity.email_links import EmailLinks
from cybervpn.application.identity.enable_two_factor import EnableTwoFactor
from cybervpn.application.identity.export_my_data import ExportMyData
from cybervpn.application.identity.get_two_factor_status import GetTwoFactorStatus
from cybervpn.application.identity.issue_bot_session import IssueBotSession
from cybervpn.application.identity.link_oauth_identity import LinkOAuthIdentity
from cybervpn.application.identity.link_telegram import LinkTelegram
from cybervpn.application.identity.list_accounts import ListAccounts
from cybervpn.application.identity.list_identities import ListIdentities
from cybervpn.application.identity.list_service_tokens import ListServiceTokens
from cybervpn.application.identity.login import Login
from cybervpn.application.identity.logout import Logout
from cybervpn.application.identity.logout_all import LogoutAll
from cybervpn.application.identity.refresh_session import RefreshSession
from cybervpn.application.identity.regenerate_backup_codes import (
    RegenerateBackupCodes,
)
from cybervpn.application.identity.register_customer import RegisterCustomer
from cybervpn.application.identity.reset_password import ForgotPassword, ResetPassword
from cybervpn.application.identity.revoke_service_token import RevokeServiceToken
from cybervpn.application.identity.second_factor import SecondFactorVerifier
from cybervpn.application.identity.session_issuer import SessionIssuer
from cybervpn.application.identity.set_my_language import SetMyLanguage
from cybervpn.application.identity.setup_two_factor import SetupTwoFactor
from cybervpn.application.identity.sign_in_with_oauth import SignInWithOAuth
from cybervpn.application.identity.sign_in_with_telegram import SignInWithTelegram
from cybervpn.application.identity.start_oauth import StartOAuth
from cybervpn.application.identity.unlink_identity import UnlinkIdentity
from cybervpn.application.identity.update_account import UpdateAccount
from cybervpn.application.identity.verify_email import (
    RequestEmailVerification,
    VerifyEmail,
)
from cybervpn.presentation.http.container import Container
from cybervpn.presentation.http.dependencies import ContainerDep, UowDep


async def get_session_issuer(uow: UowDep, c: ContainerDep) -> SessionIssuer:
    return SessionIssuer(uow=uow, tokens=c.session_tokens)


async def get_second_factor(uow: UowDep, c: ContainerDep) -> SecondFactorVerifier:
    return SecondFactorVerifier(
        uow=uow,
        clock=c.clock,
        totp=c.totp,
        cipher=c.cipher,
        opaque_tokens=c.opaque_tokens,
    )


SessionIssuerDep = Annotated[SessionIssuer, Depends(get_session_issuer)]
SecondFactorDep = Annotated[SecondFactorVerifier, Depends(get_second_factor)]


async def get_register(uow: UowDep, c: ContainerDep) -> RegisterCustomer:
    return RegisterCustomer(uow=uow, hasher=c.password_hasher, clock=c.clock)


async def get_login(c: ContainerDep) -> Login:
    # No unit of work: the store reads and writes in one step each (on PostgreSQL
    # on the driver), and a login flood should not pay for a session it never uses.
    return Login(
        store=c.sign_ins,
        hasher=c.password_hasher,
        clock=c.clock,
        session_tokens=c.session_tokens,
        challenges=c.challenge_tokens,
    )


async def get_sign_in_with_telegram(uow: UowDep, c: ContainerDep) -> SignInWithTelegram:
    return SignInWithTelegram(
        uow=uow,
        clock=c.clock,
        session_tokens=c.session_tokens,
        challenges=c.challenge_tokens,
        replays=c.replay_guard,
        replay_window_seconds=telegram_replay_window(c),
    )


def telegram_replay_window(c: Container) -> int:
    # Past the age limit the data is refused anyway: remember it that long.
    return c.settings.telegram.auth_max_age_seconds + 120


async def get_link_telegram(uow: UowDep, c: ContainerDep) -> LinkTelegram:
    return LinkTelegram(
        uow=uow,
        clock=c.clock,
        replays=c.replay_guard,
        replay_window_seconds=telegram_replay_window(c),
    )


async def get_list_identities(uow: UowDep) -> ListIdentities:
    return ListIdentities(uow=uow)


async def get_unlink_identity(uow: UowDep, c: ContainerDep) -> UnlinkIdentity:
    return UnlinkIdentity(uow=uow, clock=c.clock)


async def get_complete_2fa_login(
    uow: UowDep,
    c: ContainerDep,
    sessions: SessionIssuerDep,
    second_factor: SecondFactorDep,
) -> CompleteTwoFactorLogin:
    return CompleteTwoFactorLogin(
        uow=uow,
        clock=c.clock,
        challenges=c.challenge_tokens,
        second_factor=second_factor,
        sessions=sessions,
    )


async def get_refresh(
    uow: UowDep, c: ContainerDep, sessions: SessionIssuerDep
) -> RefreshSession:
    return RefreshSession(
        uow=uow, clock=c.clock, opaque_tokens=c.opaque_tokens, sessions=sessions
    )


async def get_logout(uow: UowDep, c: ContainerDep) -> Logout:
    return Logout(uow=uow, clock=c.clock, opaque_tokens=c.opaque_tokens)


async def get_logout_all(uow: UowDep, c: ContainerDep) -> LogoutAll:
    return LogoutAll(uow=uow, clock=c.clock)


async def get_change_password(uow: UowDep, c: ContainerDep) -> ChangePassword:
    return ChangePassword(uow=uow, hasher=c.password_hasher, clock=c.clock)


async def get_setup_2fa(uow: UowDep, c: ContainerDep) -> SetupTwoFactor:
    return SetupTwoFactor(
        uow=uow, hasher=c.password_hasher, clock=c.clock, totp=c.totp, cipher=c.cipher
    )


async def get_enable_2fa(
    uow: UowDep, c: ContainerDep, second_factor: SecondFactorDep
) -> EnableTwoFactor:
    return EnableTwoFactor(uow=uow, clock=c.clock, second_factor=second_factor)


async def get_disable_2fa(
    uow: UowDep, c: ContainerDep, second_factor: SecondFactorDep
) -> DisableTwoFactor:
    return DisableTwoFactor(
        uow=uow, hasher=c.password_hasher, clock=c.clock, second_factor=second_factor
    )


async def get_regenerate_codes(
    uow: UowDep, c: ContainerDep, second_factor: SecondFactorDep
) -> RegenerateBackupCodes:
    return RegenerateBackupCodes(
        uow=uow, hasher=c.password_hasher, clock=c.clock, second_factor=second_factor
    )


async def get_2fa_status(uow: UowDep) -> GetTwoFactorStatus:
    return GetTwoFactorStatus(uow=uow)


async def get_list_accounts(uow: UowDep) -> ListAccounts:
    return ListAccounts(uow=uow)


async def get_create_account(uow: UowDep, c: ContainerDep) -> CreateAccount:
    return CreateAccount(uow=uow, hasher=c.password_hasher, clock=c.clock)


async def get_update_account(uow: UowDep, c: ContainerDep) -> UpdateAccount:
    return UpdateAccount(uow=uow, clock=c.clock)


async def get_create_service_token(uow: UowDep, c: ContainerDep) -> CreateServiceToken:
    return CreateServiceToken(uow=uow, clock=c.clock, tokens=c.opaque_tokens)


async def get_list_service_tokens(uow: UowDep) -> ListServiceTokens:
    return ListServiceTokens(uow=uow)


async def get_revoke_service_token(uow: UowDep, c: ContainerDep) -> RevokeServiceToken:
    return RevokeServiceToken(uow=uow, clock=c.clock)


async def get_issue_bot_session(uow: UowDep, c: ContainerDep) -> IssueBotSession:
    return IssueBotSession(
        uow=uow,
        clock=c.clock,
        tokens=c.opaque_tokens,
        access_tokens=c.access_tokens,
    )


async def get_start_oauth(c: ContainerDep) -> StartOAuth:
    return StartOAuth(
        providers=c.oauth,
        states=c.oauth_states,
        allowed_redirect_uris=c.settings.oauth.redirect_uris,
    )


async def get_sign_in_with_oauth(uow: UowDep, c: ContainerDep) -> SignInWithOAuth:
    return SignInWithOAuth(
        uow=uow,
        clock=c.clock,
        session_tokens=c.session_tokens,
        challenges=c.challenge_tokens,
        providers=c.oauth,
        states=c.oauth_states,
    )


async def get_link_oauth_identity(uow: UowDep, c: ContainerDep) -> LinkOAuthIdentity:
    return LinkOAuthIdentity(
        uow=uow, clock=c.clock, providers=c.oauth, states=c.oauth_states
    )


SecondFactorVerifierDep = Annotated[SecondFactorVerifier, Depends(get_second_factor)]
RegisterCustomerDep = Annotated[RegisterCustomer, Depends(get_register)]
LoginDep = Annotated[Login, Depends(get_login)]
CompleteTwoFactorLoginDep = Annotated[
    CompleteTwoFactorLogin, Depends(get_complete_2fa_login)
]
RefreshSessionDep = Annotated[RefreshSession, Depends(get_refresh)]
LogoutDep = Annotated[Logout, Depends(get_logout)]
LogoutAllDep = Annotated[LogoutAll, Depends(get_logout_all)]
ChangePasswordDep = Annotated[ChangePassword, Depends(get_change_password)]
SetupTwoFactorDep = Annotated[SetupTwoFactor, Depends(get_setup_2fa)]
EnableTwoFactorDep = Annotated[EnableTwoFactor, Depends(get_enable_2fa)]
DisableTwoFactorDep = Annotated[DisableTwoFactor, Depends(get_disable_2fa)]
RegenerateBackupCodesDep = Annotated[
    RegenerateBackupCodes, Depends(get_regenerate_codes)
]
GetTwoFactorStatusDep = Annotated[GetTwoFactorStatus, Depends(get_2fa_status)]
ListAccountsDep = Annotated[ListAccounts, Depends(get_list_accounts)]
CreateAccountDep = Annotated[CreateAccount, Depends(get_create_account)]
UpdateAccountDep = Annotated[UpdateAccount, Depends(get_update_account)]
SignInWithTelegramDep = Annotated[
    SignInWithTelegram, Depends(get_sign_in_with_telegram)
]
LinkTelegramDep = Annotated[LinkTelegram, Depends(get_link_telegram)]
ListIdentitiesDep = Annotated[ListIdentities, Depends(get_list_identities)]
UnlinkIdentityDep = Annotated[UnlinkIdentity, Depends(get_unlink_identity)]
CreateServiceTokenDep = Annotated[CreateServiceToken, Depends(get_create_service_token)]
ListServiceTokensDep = Annotated[ListServiceTokens, Depends(get_list_service_tokens)]
RevokeServiceTokenDep = Annotated[RevokeServiceToken, Depends(get_revoke_service_token)]
IssueBotSessionDep = Annotated[IssueBotSession, Depends(get_issue_bot_session)]
StartOAuthDep = Annotated[StartOAuth, Depends(get_start_oauth)]
SignInWithOAuthDep = Annotated[SignInWithOAuth, Depends(get_sign_in_with_oauth)]
LinkOAuthIdentityDep = Annotated[LinkOAuthIdentity, Depends(get_link_oauth_identity)]


async def get_export_my_data(uow: UowDep) -> ExportMyData:
    return ExportMyData(uow=uow)


async def get_delete_my_account(
    uow: UowDep, c: ContainerDep, second_factor: SecondFactorDep
) -> DeleteMyAccount:
    return DeleteMyAccount(
        uow=uow,
        clock=c.clock,
        hasher=c.password_hasher,
        second_factor=second_factor,
        stars=c.telegram_stars,
    )


ExportMyDataDep = Annotated[ExportMyData, Depends(get_export_my_data)]
DeleteMyAccountDep = Annotated[DeleteMyAccount, Depends(get_delete_my_account)]


# --- e-mail links: verification, password reset, address change ------------------


def _email_links(c: Container) -> EmailLinks:
    return EmailLinks(tokens=c.opaque_tokens, cipher=c.cipher)


async def get_request_email_verification(
    uow: UowDep, c: ContainerDep
) -> RequestEmailVerification:
    return RequestEmailVerification(uow=uow, clock=c.clock, links=_email_links(c))


async def get_verify_email(uow: UowDep, c: ContainerDep) -> VerifyEmail:
    return VerifyEmail(uow=uow, clock=c.clock, links=_email_links(c))


async def get_forgot_password(uow: UowDep, c: ContainerDep) -> ForgotPassword:
    return ForgotPassword(uow=uow, clock=c.clock)


async def get_reset_password(uow: UowDep, c: ContainerDep) -> ResetPassword:
    return ResetPassword(
        uow=uow, clock=c.clock, hasher=c.password_hasher, links=_email_links(c)
    )


async def get_change_email(uow: UowDep, c: ContainerDep) -> ChangeEmail:
    return ChangeEmail(
        uow=uow, clock=c.clock, hasher=c.password_hasher, links=_email_links(c)
    )


RequestEmailVerificationDep = Annotated[
    RequestEmailVerification, Depends(get_request_email_verification)
]
VerifyEmailDep = Annotated[VerifyEmail, Depends(get_verify_email)]
ForgotPasswordDep = Annotated[ForgotPassword, Depends(get_forgot_password)]
ResetPasswordDep = Annotated[ResetPassword, Depends(get_reset_password)]
ChangeEmailDep = Annotated[ChangeEmail, Depends(get_change_email)]


async def get_set_my_language(uow: UowDep, c: ContainerDep) -> SetMyLanguage:
    return SetMyLanguage(uow=uow, clock=c.clock)


SetMyLanguageDep = Annotated[SetMyLanguage, Depends(get_set_my_language)]
