"""/admin/promo-codes (staff) and /promo/validate (customers)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, status

from cybervpn.application.billing.manage_promo_codes import NewPromoCode
from cybervpn.application.identity.authenticate import Caller
from cybervpn.domain.billing.promo_code import PromoCodeChanges, normalize
from cybervpn.domain.identity.roles import Permission
from cybervpn.presentation.http.billing.promo_schemas import (
    PromoCodeCreate,
    PromoCodeResponse,
    PromoCodeUpdate,
    PromoPreview,
    PromoValidate,
)
from cybervpn.presentation.http.billing.use_cases import (
    ManagePromoCodesDep,
    PreviewPromoPriceDep,
)
from cybervpn.presentation.http.bodies import patch_values
from cybervpn.presentation.http.dependencies import (
    CallerDep,
    OriginDep,
    PageDep,
    require,
)
from cybervpn.presentation.http.pagination import PageResponse

router = APIRouter(tags=["promo-codes"])
PromoManager = Annotated[Caller, require(Permission.PROMO_CODES_MANAGE)]
NULLABLE = frozenset({"valid_from", "valid_until", "max_uses"})


@router.post("/promo/validate", summary="Price a plan with a promo code")
async def validate_promo_code(
    body: PromoValidate, caller: CallerDep, preview: PreviewPromoPriceDep
) -> PromoPreview:
    """The price the caller would pay for the plan with this code. 422
    `promo_code_not_applicable` with the reason when the code cannot be used."""
    priced = await preview.execute(caller.account, plan_id=body.plan_id, code=body.code)
    return PromoPreview(
        code=normalize(body.code),
        plan_id=body.plan_id,
        original_price=priced.original,
        price=priced.price,
        discount=priced.discount,
        bonus_days=priced.bonus_days,
    )


@router.get("/admin/promo-codes", summary="List promo codes")
async def list_promo_codes(
    _caller: PromoManager, promo_codes: ManagePromoCodesDep, page: PageDep
) -> PageResponse[PromoCodeResponse]:
    items, total = await promo_codes.list(limit=page.limit, offset=page.offset)
    return PageResponse[PromoCodeResponse].of(items, total, page)


@router.post(
    "/admin/promo-codes",
    status_code=status.HTTP_201_CREATED,
    summary="Create a promo code",
)
async def create_promo_code(
    body: PromoCodeCreate,
    caller: PromoManager,
    origin: OriginDep,
    promo_codes: ManagePromoCodesDep,
) -> PromoCodeResponse:
    promo = await promo_codes.create(
        NewPromoCode(**body.model_dump()), actor=caller.account, origin=origin
    )
    return PromoCodeResponse.model_validate(promo)


@router.patch(
    "/admin/promo-codes/{promo_id}",
    summary="Change a promo code's window, limits or state",
)
async def update_promo_code(
    promo_id: UUID,
    body: PromoCodeUpdate,
    caller: PromoManager,
    origin: OriginDep,
    promo_codes: ManagePromoCodesDep,
) -> PromoCodeResponse:
    values = patch_values(body, nullable=NULLABLE)
    promo = await promo_codes.update(
        promo_id,
        PromoCodeChanges(fields_set=frozenset(values), **values),
        actor=caller.account,
        origin=origin,
    )
    return PromoCodeResponse.model_validate(promo)


@router.delete(
    "/admin/promo-codes/{promo_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a promo code no payment used",
)
async def delete_promo_code(
    promo_id: UUID,
    caller: PromoManager,
    origin: OriginDep,
    promo_codes: ManagePromoCodesDep,
) -> None:
    """Only a code no payment has used; otherwise 409 `promo_code_used`."""
    await promo_codes.delete(promo_id, actor=caller.account, origin=origin)
