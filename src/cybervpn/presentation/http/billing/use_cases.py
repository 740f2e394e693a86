"""Billing's use cases, one dependency each (override them in tests)."""

from typing import Annotated

from fastapi import Depends

from cybervpn.application.billing.create_invoice import CreateInvoice, InvoiceTerms
from cybervpn.application.billing.get_payment import GetPayment
from cybervpn.application.billing.list_payments import ListPayments
from cybervpn.application.billing.manage_promo_codes import ManagePromoCodes
from cybervpn.application.billing.preview_promo_price import PreviewPromoPrice
from cybervpn.application.billing.receive_payment_webhook import (
    ReceivePaymentWebhook,
)
from cybervpn.application.billing.referrals import GetReferralSummary
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
