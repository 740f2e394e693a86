"""/auth/oauth: sign in with GitHub or Google (OAuth 2 with PKCE; Google through
OpenID Connect)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from cybervpn.domain.identity.identity import OAuthProvider
from cybervpn.presentation.http.dependencies import ContainerDep, OriginDep
from cybervpn.presentation.http.identity.oauth_schemas import (
    AuthorizationUrl,
    OAuthSignInCallback,
)
from cybervpn.presentation.http.identity.schemas import (
    SignInAnswer,
    sign_in_answer,
)
from cybervpn.presentation.http.identity.use_cases import (
    SignInWithOAuthDep,
    StartOAuthDep,
)
from cybervpn.presentation.http.rate_limits import enforce_auth_limits

router = APIRouter(prefix="/auth/oauth", tags=["auth"])


@router.get("/{provider}/authorize", summary="Start signing in with GitHub or Google")
async def authorize(
    provider: OAuthProvider,
    redirect_uri: Annotated[str, Query(min_length=1, max_length=2048)],
    request: Request,
    container: ContainerDep,
    start: StartOAuthDep,
) -> AuthorizationUrl:
    """Where to send the browser. `redirect_uri` must be one of
    `OAUTH_REDIRECT_URIS`; the `state` in the URL is good once, for 10 minutes."""
    await enforce_auth_limits(request, container, action="oauth", account_key=None)
    url = await start.execute(provider, redirect_uri=redirect_uri)
    return AuthorizationUrl(authorization_url=url)


@router.post(
    "/{provider}/callback",
    responses={200: {"model": SignInAnswer}},
    summary="Finish signing in with GitHub or Google",
)
async def callback(
    provider: OAuthProvider,
    body: OAuthSignInCallback,
    request: Request,
    container: ContainerDep,
    origin: OriginDep,
    sign_in: SignInWithOAuthDep,
) -> SignInAnswer:
    """The login answer (tokens, or the 2FA challenge), with `created: true` when
    the account is new. A used, unknown or expired `state`, a refused code or a bad
    id_token is 401 `oauth_failed`."""
    await enforce_auth_limits(request, container, action="oauth", account_key=None)
    signed_in = await sign_in.execute(
        provider,
        code=body.code,
        state=body.state,
        origin=origin,
        referral_code=body.referral_code,
    )
    return sign_in_answer(signed_in.outcome, created=signed_in.created)
