"""/auth: sign-up, login (with the 2FA step), refresh, logout, own account."""

from fastapi import APIRouter, Request, status

from cybervpn.application.identity.dtos import AccountView, TokenPair
from cybervpn.domain.identity.email import normalize_email
from cybervpn.domain.identity.errors import InvalidTokenError
from cybervpn.presentation.http.dependencies import CallerDep, ContainerDep, OriginDep
from cybervpn.presentation.http.identity.schemas import (
    AccountResponse,
    ChallengeResponse,
    ChangePasswordRequest,
    LoginRequest,
    RefreshRequest,
    RegisterRequest,
    TokenResponse,
    TwoFactorLoginRequest,
)
from cybervpn.presentation.http.identity.use_cases import (
    ChangePasswordDep,
    CompleteTwoFactorLoginDep,
    LoginDep,
    LogoutAllDep,
    LogoutDep,
    RefreshSessionDep,
    RegisterCustomerDep,
)
from cybervpn.presentation.http.rate_limits import enforce_auth_limits

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/register", status_code=status.HTTP_201_CREATED, summary="Open a customer account"
)
async def register(
    body: RegisterRequest,
    request: Request,
    container: ContainerDep,
    origin: OriginDep,
    register_customer: RegisterCustomerDep,
) -> AccountResponse:
    await enforce_auth_limits(
        request, container, action="register", account_key=normalize_email(body.email)
    )
    account = await register_customer.execute(
        email=body.email,
        password=body.password,
        referral_code=body.referral_code,
        language=body.language,
        origin=origin,
    )
    return AccountResponse.model_validate(account)


@router.post(
    "/login",
    responses={200: {"model": TokenResponse | ChallengeResponse}},
    summary="Sign in with e-mail and password",
)
async def login(
    body: LoginRequest,
    request: Request,
    container: ContainerDep,
    origin: OriginDep,
    login_use_case: LoginDep,
) -> TokenResponse | ChallengeResponse:
    await enforce_auth_limits(
        request, container, action="login", account_key=normalize_email(body.email)
    )
    outcome = await login_use_case.execute(
        email=body.email, password=body.password, origin=origin
    )
    if isinstance(outcome, TokenPair):
        return TokenResponse.model_validate(outcome)
    return ChallengeResponse(challenge_token=outcome.challenge_token)


@router.post("/login/2fa", summary="Finish a sign-in with a TOTP or backup code")
async def login_two_factor(
    body: TwoFactorLoginRequest,
    request: Request,
    container: ContainerDep,
    origin: OriginDep,
    complete: CompleteTwoFactorLoginDep,
) -> TokenResponse:
    try:
        account_key: str | None = str(
            container.challenge_tokens.verify(body.challenge_token)
        )
    except InvalidTokenError:
        account_key = None
    await enforce_auth_limits(request, container, action="2fa", account_key=account_key)
    tokens = await complete.execute(
        challenge_token=body.challenge_token, code=body.code, origin=origin
    )
    return TokenResponse.model_validate(tokens)


@router.post("/refresh", summary="Trade a refresh token for new tokens")
async def refresh(
    body: RefreshRequest,
    origin: OriginDep,
    refresh_session: RefreshSessionDep,
) -> TokenResponse:
    tokens = await refresh_session.execute(
        refresh_token=body.refresh_token, origin=origin
    )
    return TokenResponse.model_validate(tokens)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="End the session of a refresh token",
)
async def logout(
    body: RefreshRequest,
    origin: OriginDep,
    logout_use_case: LogoutDep,
) -> None:
    await logout_use_case.execute(refresh_token=body.refresh_token, origin=origin)


@router.post(
    "/logout-all",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="End every session of the caller",
)
async def logout_all(
    caller: CallerDep,
    origin: OriginDep,
    logout_all_use_case: LogoutAllDep,
) -> None:
    await logout_all_use_case.execute(account_id=caller.account.id, origin=origin)


@router.get("/me", summary="The caller's account")
async def me(caller: CallerDep) -> AccountResponse:
    return AccountResponse.model_validate(AccountView.of(caller.account))


@router.post(
    "/change-password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Change the caller's password",
)
async def change_password(
    body: ChangePasswordRequest,
    caller: CallerDep,
    origin: OriginDep,
    change: ChangePasswordDep,
) -> None:
    await change.execute(
        account_id=caller.account.id,
        session_id=caller.session_id,
        current_password=body.current_password,
        new_password=body.new_password,
        origin=origin,
    )
