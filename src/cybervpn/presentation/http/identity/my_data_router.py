"""GET /auth/me/export, DELETE /auth/me and PUT /auth/me/language: a customer's
data, theirs to take and to remove, and the language they are written to in."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, ConfigDict, Field

from cybervpn.application.identity.delete_my_account import DeletionProof
from cybervpn.application.identity.export_my_data import MyData
from cybervpn.domain.identity.identity import IdentityProvider
from cybervpn.domain.identity.roles import Role
from cybervpn.domain.notifications.notification import NotificationStatus
from cybervpn.presentation.http.dependencies import (
    CallerDep,
    ContainerDep,
    OriginDep,
)
from cybervpn.presentation.http.identity.schemas import Code, GivenPassword, Language
from cybervpn.presentation.http.identity.use_cases import (
    DeleteMyAccountDep,
    ExportMyDataDep,
    SetMyLanguageDep,
)
from cybervpn.presentation.http.request_body import StrictBody

router = APIRouter(prefix="/auth/me", tags=["auth"])


class _Exported(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ExportedAccount(_Exported):
    id: UUID
    email: str | None
    email_verified_at: datetime | None
    role: Role
    telegram_id: int | None
    two_factor_enabled: bool
    created_at: datetime
    last_login_at: datetime | None


class ExportedIdentity(_Exported):
    provider: IdentityProvider
    provider_user_id: str
    username: str | None
    email: str | None
    language_code: str | None
    linked_at: datetime
    last_used_at: datetime | None


class ExportedSubscription(_Exported):
    id: UUID
    plan_id: UUID | None
    is_trial: bool
    expires_at: datetime
    subscription_url: str | None
    created_at: datetime


class ExportedPayment(_Exported):
    id: UUID
    plan_id: UUID
    provider: str
    amount: Decimal
    currency: str
    status: str
    created_at: datetime
    paid_at: datetime | None
    refunded_at: datetime | None
    telegram_charge_id: str | None
    payer_telegram_id: int | None


class ExportedReferrals(_Exported):
    code: str | None
    referred: int
    rewarded: int
    reward_days: int


class ExportedNotification(_Exported):
    template: str
    payload: dict[str, Any]
    status: NotificationStatus
    created_at: datetime
    sent_at: datetime | None


class MyDataExport(_Exported):
    exported_at: datetime
    account: ExportedAccount
    identities: list[ExportedIdentity]
    subscription: ExportedSubscription | None
    payments: list[ExportedPayment]
    referrals: ExportedReferrals
    notifications: list[ExportedNotification]


class LanguageRequest(StrictBody):
    language: Language | None  # null: English


class DeleteAccountRequest(StrictBody):
    """Proof that the owner asks: the password (and `code` with 2FA); for an
    account without a password, fresh Mini App `init_data` of its Telegram user."""

    password: GivenPassword | None = None
    code: Code | None = None
    init_data: Annotated[str | None, Field(min_length=1, max_length=8192)] = None


@router.get("/export", summary="Everything we hold about the caller, as JSON")
async def export_my_data(
    caller: CallerDep, export: ExportMyDataDep, c: ContainerDep
) -> MyDataExport:
    """Account, linked sign-ins, VPN access, payments, referrals and the messages
    sent; no password or 2FA material."""
    data: MyData = await export.execute(caller.account.id)
    return MyDataExport.model_validate(
        {
            "exported_at": c.clock.now(),
            "account": data.account,
            "identities": data.identities,
            "subscription": data.subscription,
            "payments": data.payments,
            "referrals": data.referrals,
            "notifications": data.notifications,
        }
    )


@router.delete(
    "", status_code=status.HTTP_204_NO_CONTENT, summary="Delete the caller's account"
)
async def delete_my_account(
    body: DeleteAccountRequest,
    caller: CallerDep,
    origin: OriginDep,
    delete: DeleteMyAccountDep,
    c: ContainerDep,
) -> Response:
    """Ends every session, deletes the VPN user and the personal data; payments
    stay for accounting with amounts and dates only. An account with neither a
    password nor Telegram signs in again first (403 `reauthentication_required`).
    Staff accounts cannot delete themselves (403 `staff_account`)."""
    telegram = (
        None if body.init_data is None else c.telegram_login.mini_app(body.init_data)
    )
    proof = DeletionProof(password=body.password, code=body.code, telegram=telegram)
    await delete.execute(caller.account.id, proof, origin=origin)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put(
    "/language",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="The language of the caller's messages",
)
async def set_my_language(
    body: LanguageRequest, caller: CallerDep, set_language: SetMyLanguageDep
) -> Response:
    """English or Russian, for Telegram messages and e-mail alike. An account
    made by a Telegram sign-in starts in Telegram's language."""
    await set_language.execute(caller.account.id, body.language)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
