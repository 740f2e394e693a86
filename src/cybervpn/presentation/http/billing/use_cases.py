"""Billing's use cases, one dependency each (override them in tests)."""

from datetime import timedelta
from typing import Annotated

from fastapi import Depends

from cybervpn.application.billing.create_invoice import CreateInvoice, InvoiceTerms
from cybervpn.application.billing.create_stars_invoice import CreateStarsInvoice
from cybervpn.application.billing.credit_payment import CreditPayments
from cybervpn.application.billing.get_payment import GetPayment
from cybervpn.application.billing.list_payments import ListPayments
from cybervpn.application.billing.manage_promo_codes import ManagePromoCodes
from cybervpn.application.billing.preview_promo_price import PreviewPromoPrice
from cybervpn.application.billing.receive_payment_webhook import (
    ReceivePaymentWebhook,
)
from cybervpn.application.billing.receive_telegram_update import (
    ReceiveTelegramUpdate,
)
from cybervpn.application.billing.referrals import GetReferralSummary
from cybervpn.application.billing.refund_payment import RefundPayment
from cybervpn.application.billing.set_auto_renew import SetAutoRenew
from cybervpn.presentation.http.dependencies import ContainerDep, UowDep


async def get_create_invoice(uow: UowDep, c: ContainerDep) -> CreateInvoice:
    return CreateInvoice(
        uow=uow,
        clock=c.clock,
        provider=c.payments.provider,
        terms=InvoiceTerms(
            expires_in_seconds=c.settings.cryptobot.invoice_expires_seconds
        ),
    )


async def get_create_stars_invoice(uow: UowDep, c: ContainerDep) -> CreateStarsInvoice:
    return CreateStarsInvoice(
        uow=uow,
        clock=c.clock,
        stars=c.telegram_stars,
        expires_in=timedelta(seconds=c.settings.telegram.stars_invoice_expires_seconds),
    )


async def get_receive_telegram_update(c: ContainerDep) -> ReceiveTelegramUpdate:
    return ReceiveTelegramUpdate(
        uow_factory=c.uow_factory,
        clock=c.clock,
        stars=c.telegram_stars,
        credit=CreditPayments(
            clock=c.clock, referral_bonus_days=c.settings.commerce.referral_bonus_days
        ),
        # One-off payments are credited in shared batch transactions (the
        # container's GroupCommit over ReceiveStarsPayments).
        credit_paid=c.stars_payments.submit,
    )


async def get_refund_payment(uow: UowDep, c: ContainerDep) -> RefundPayment:
    return RefundPayment(uow=uow, clock=c.clock, stars=c.telegram_stars)


async def get_set_auto_renew(uow: UowDep, c: ContainerDep) -> SetAutoRenew:
    return SetAutoRenew(uow=uow, stars=c.telegram_stars)


async def get_list_payments(uow: UowDep) -> ListPayments:
    return ListPayments(uow)


async def get_get_payment(uow: UowDep) -> GetPayment:
    return GetPayment(uow)


async def get_receive_payment_webhook(c: ContainerDep) -> ReceivePaymentWebhook:
    # No request session: a paid delivery is credited in a shared batch
    # transaction (the container's GroupCommit over ReceivePaidInvoices).
    return ReceivePaymentWebhook(
        uow_factory=c.uow_factory, clock=c.clock, credit=c.paid_invoices.submit
    )


async def get_preview_promo_price(uow: UowDep, c: ContainerDep) -> PreviewPromoPrice:
    return PreviewPromoPrice(uow=uow, clock=c.clock)


async def get_manage_promo_codes(uow: UowDep, c: ContainerDep) -> ManagePromoCodes:
    return ManagePromoCodes(uow=uow, clock=c.clock)


async def get_referral_summary(uow: UowDep) -> GetReferralSummary:
    return GetReferralSummary(uow=uow)


CreateInvoiceDep = Annotated[CreateInvoice, Depends(get_create_invoice)]
ListPaymentsDep = Annotated[ListPayments, Depends(get_list_payments)]
GetPaymentDep = Annotated[GetPayment, Depends(get_get_payment)]
ReceivePaymentWebhookDep = Annotated[
    ReceivePaymentWebhook, Depends(get_receive_payment_webhook)
]
PreviewPromoPriceDep = Annotated[PreviewPromoPrice, Depends(get_preview_promo_price)]
ManagePromoCodesDep = Annotated[ManagePromoCodes, Depends(get_manage_promo_codes)]
GetReferralSummaryDep = Annotated[GetReferralSummary, Depends(get_referral_summary)]
CreateStarsInvoiceDep = Annotated[CreateStarsInvoice, Depends(get_create_stars_invoice)]
ReceiveTelegramUpdateDep = Annotated[
    ReceiveTelegramUpdate, Depends(get_receive_telegram_update)
]
RefundPaymentDep = Annotated[RefundPayment, Depends(get_refund_payment)]
SetAutoRenewDep = Annotated[SetAutoRenew, Depends(get_set_auto_renew)]
