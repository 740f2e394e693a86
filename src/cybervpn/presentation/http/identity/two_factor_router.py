"""/2fa: TOTP enrolment, backup codes and status for the logged-in account."""

from fastapi import APIRouter, Request, status

from cybervpn.presentation.http.dependencies import CallerDep, ContainerDep, OriginDep
from cybervpn.presentation.http.identity.schemas import (
    BackupCodesResponse,
    TwoFactorCodeRequest,
    TwoFactorConfirmRequest,
    TwoFactorSetupRequest,
    TwoFactorSetupResponse,
    TwoFactorStatusResponse,
)
from cybervpn.presentation.http.identity.use_cases import (
    DisableTwoFactorDep,
    EnableTwoFactorDep,
    GetTwoFactorStatusDep,
    RegenerateBackupCodesDep,
    SetupTwoFactorDep,
)
from cybervpn.presentation.http.rate_limits import enforce_auth_limits

router = APIRouter(prefix="/2fa", tags=["two-factor"])


@router.post("/setup", summary="Start two-factor setup: a TOTP secret and QR URI")
async def setup(
    body: TwoFactorSetupRequest,
    caller: CallerDep,
    origin: OriginDep,
    setup_use_case: SetupTwoFactorDep,
) -> TwoFactorSetupResponse:
    result = await setup_use_case.execute(
        account_id=caller.account.id, password=body.password, origin=origin
    )
    return TwoFactorSetupResponse.model_validate(result)


@router.post(
    "/enable", summary="Confirm a TOTP code and turn two-factor authentication on"
)
async def enable(
    body: TwoFactorCodeRequest,
    request: Request,
    caller: CallerDep,
    container: ContainerDep,
    origin: OriginDep,
    enable_use_case: EnableTwoFactorDep,
) -> BackupCodesResponse:
    await enforce_auth_limits(
        request, container, action="2fa", account_key=str(caller.account.id)
    )
    codes = await enable_use_case.execute(
        account_id=caller.account.id, code=body.code, origin=origin
    )
    return BackupCodesResponse(backup_codes=codes)


@router.post(
    "/disable",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Turn two-factor authentication off",
)
async def disable(
    body: TwoFactorConfirmRequest,
    request: Request,
    caller: CallerDep,
    container: ContainerDep,
    origin: OriginDep,
    disable_use_case: DisableTwoFactorDep,
) -> None:
    await enforce_auth_limits(
        request, container, action="2fa", account_key=str(caller.account.id)
    )
    await disable_use_case.execute(
        account_id=caller.account.id,
        password=body.password,
        code=body.code,
        origin=origin,
    )


@router.post("/backup-codes", summary="Replace the backup codes")
async def regenerate_backup_codes(
    body: TwoFactorConfirmRequest,
    request: Request,
    caller: CallerDep,
    container: ContainerDep,
    origin: OriginDep,
    regenerate: RegenerateBackupCodesDep,
) -> BackupCodesResponse:
    await enforce_auth_limits(
        request, container, action="2fa", account_key=str(caller.account.id)
    )
    codes = await regenerate.execute(
        account_id=caller.account.id,
        password=body.password,
        code=body.code,
        origin=origin,
    )
    return BackupCodesResponse(backup_codes=codes)


@router.get("/status", summary="Whether two-factor authentication is on")
async def get_two_factor_status(
    caller: CallerDep,
    get_status: GetTwoFactorStatusDep,
) -> TwoFactorStatusResponse:
    result = await get_status.execute(caller.account.id)
    return TwoFactorStatusResponse.model_validate(result)
