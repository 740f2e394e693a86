"""/auth/email/* and /auth/password/*: proving an address, changing it, and a
forgotten password, through links sent by e-mail."""

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, EmailStr

from cybervpn.domain.identity.email import normalize_email
from cybervpn.presentation.http.dependencies import (
    CallerDep,
    ContainerDep,
    OriginDep,
)
from cybervpn.presentation.http.identity.schemas import (
    GivenPassword,
    NewPassword,
    OpaqueToken,
)
from cybervpn.presentation.http.identity.use_cases import (
    ChangeEmailDep,
    ForgotPasswordDep,
    RequestEmailVerificationDep,
    ResetPasswordDep,
    VerifyEmailDep,
)
from cybervpn.presentation.http.rate_limits import enforce_auth_limits
from cybervpn.presentation.http.request_body import StrictBody

router = APIRouter(prefix="/auth", tags=["auth"])
RESET_QUEUED = "If an account has this address, a reset link is on its way"


class Queued(BaseModel):
    detail: str


class VerifyEmailRequest(StrictBody):
    token: OpaqueToken


class ForgotPasswordRequest(StrictBody):
    email: EmailStr


class ResetPasswordRequest(StrictBody):
    token: OpaqueToken
    new_password: NewPassword


class ChangeEmailRequest(StrictBody):
    new_email: EmailStr
    password: GivenPassword | None = None  # required when the account has one


@router.post(
    "/email/verify/request",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Mail a link that verifies the caller's e-mail",
)
async def request_email_verification(
    caller: CallerDep,
    request: Request,
    container: ContainerDep,
    send: RequestEmailVerificationDep,
) -> Queued:
    """The link works once, for 24 hours; asking again retires the earlier one."""
    await enforce_auth_limits(
        request, container, action="verify", account_key=str(caller.account.id)
    )
    await send.execute(caller.account.id)
    return Queued(detail="A verification link is on its way")


@router.post(
    "/email/verify",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Verify an e-mail address with the mailed link's token",
)
async def verify_email(
    body: VerifyEmailRequest,
    request: Request,
    container: ContainerDep,
    origin: OriginDep,
    verify: VerifyEmailDep,
) -> Response:
    """400 `invalid_token` for a used, expired or unknown token."""
    await enforce_auth_limits(request, container, action="verify", account_key=None)
    await verify.execute(body.token, origin=origin)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/email/change",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Change the caller's e-mail (applies once the new one is verified)",
)
async def change_email(
    body: ChangeEmailRequest,
    caller: CallerDep,
    request: Request,
    container: ContainerDep,
    origin: OriginDep,
    change: ChangeEmailDep,
) -> Queued:
    """A link goes to the new address and the old one is told."""
    await enforce_auth_limits(
        request, container, action="email", account_key=str(caller.account.id)
    )
    await change.execute(
        caller.account.id,
        new_email=str(body.new_email),
        password=body.password,
        origin=origin,
    )
    return Queued(detail="A verification link is on its way to the new address")


@router.post(
    "/password/forgot",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Mail a password-reset link",
)
async def forgot_password(
    body: ForgotPasswordRequest,
    request: Request,
    container: ContainerDep,
    forgot: ForgotPasswordDep,
) -> Queued:
    """Always the same answer, in the same time, whether or not an account has
    the address. Limited per client address and per e-mail."""
    await enforce_auth_limits(
        request, container, action="forgot", account_key=normalize_email(body.email)
    )
    await forgot.execute(str(body.email))
    return Queued(detail=RESET_QUEUED)


@router.post(
    "/password/reset",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Choose a new password with the mailed link's token",
)
async def reset_password(
    body: ResetPasswordRequest,
    request: Request,
    container: ContainerDep,
    origin: OriginDep,
    reset: ResetPasswordDep,
) -> Response:
    """The link works once, for 30 minutes (400 `invalid_token` otherwise). Every
    session ends; 2FA is still asked at the next sign-in."""
    await enforce_auth_limits(request, container, action="reset", account_key=None)
    await reset.execute(body.token, body.new_password, origin=origin)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
