"""/auth/telegram: sign in with Telegram, from a Mini App or the Login Widget."""

from fastapi import APIRouter, Request

from cybervpn.presentation.http.dependencies import ContainerDep, OriginDep
from cybervpn.presentation.http.identity.schemas import (
    SignInAnswer,
    sign_in_answer,
)
from cybervpn.presentation.http.identity.telegram_schemas import (
    MiniAppSignIn,
    WidgetSignIn,
)
from cybervpn.presentation.http.identity.use_cases import SignInWithTelegramDep
from cybervpn.presentation.http.rate_limits import enforce_auth_limits

router = APIRouter(prefix="/auth/telegram", tags=["auth"])


@router.post(
    "/miniapp",
    responses={200: {"model": SignInAnswer}},
    summary="Sign in from a Telegram Mini App",
)
async def sign_in_from_mini_app(
    body: MiniAppSignIn,
    request: Request,
    container: ContainerDep,
    origin: OriginDep,
    sign_in: SignInWithTelegramDep,
) -> SignInAnswer:
    """The login answer (tokens, or the 2FA challenge), with `created: true` when
    this Telegram user had no account yet. Every failure is 401
    `telegram_auth_invalid`."""
    # Per address, before the signature is checked: the user is known only after
    # it, and a signature cannot be guessed, so there is no per-account limit.
    await enforce_auth_limits(request, container, action="telegram", account_key=None)
    user = container.telegram_login.mini_app(body.init_data)
    signed_in = await sign_in.execute(
        user, origin=origin, referral_code=body.referral_code
    )
    return sign_in_answer(signed_in.outcome, created=signed_in.created)


@router.post(
    "/widget",
    responses={200: {"model": SignInAnswer}},
    summary="Sign in with the Telegram Login Widget",
)
async def sign_in_with_widget(
    body: WidgetSignIn,
    request: Request,
    container: ContainerDep,
    origin: OriginDep,
    sign_in: SignInWithTelegramDep,
) -> SignInAnswer:
    """As the Mini App sign-in; each signed login is accepted once."""
    await enforce_auth_limits(
        request, container, action="telegram", account_key=f"telegram:{body.id}"
    )
    user = container.telegram_login.widget(body.signed_fields())
    signed_in = await sign_in.execute(
        user, origin=origin, referral_code=body.referral_code
    )
    return sign_in_answer(signed_in.outcome, created=signed_in.created)
