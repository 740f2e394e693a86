"""/plans (public) and /admin/plans (staff with plans:manage)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, status

from cybervpn.application.catalog.manage_plans import NewPlan
from cybervpn.application.identity.authenticate import Caller
from cybervpn.domain.catalog.plan import AccessLimits, PlanChanges
from cybervpn.domain.identity.roles import Permission
from cybervpn.presentation.http.bodies import domain_values, patch_values
from cybervpn.presentation.http.catalog.schemas import (
    PlanCreate,
    PlanResponse,
    PlanUpdate,
)
from cybervpn.presentation.http.catalog.use_cases import ListPlansDep, ManagePlansDep
from cybervpn.presentation.http.dependencies import OriginDep, require
from cybervpn.presentation.http.pagination import ListResponse

router = APIRouter(tags=["plans"])
PlanManager = Annotated[Caller, require(Permission.PLANS_MANAGE)]


@router.get("/plans", summary="List the plans on sale")
async def list_active_plans(list_plans: ListPlansDep) -> ListResponse[PlanResponse]:
    """The plans on sale, in display order. No login needed."""
    plans = await list_plans.execute(active_only=True)
    return ListResponse[PlanResponse].of([PlanResponse.of(plan) for plan in plans])


@router.get("/admin/plans", summary="List every plan, on sale or not")
async def list_all_plans(
    _caller: PlanManager, list_plans: ListPlansDep
) -> ListResponse[PlanResponse]:
    plans = await list_plans.execute(active_only=False)
    return ListResponse[PlanResponse].of([PlanResponse.of(plan) for plan in plans])


@router.post(
    "/admin/plans", status_code=status.HTTP_201_CREATED, summary="Create a plan"
)
async def create_plan(
    body: PlanCreate,
    caller: PlanManager,
    origin: OriginDep,
    plans: ManagePlansDep,
) -> PlanResponse:
    values = domain_values(body)
    limits = AccessLimits(
        traffic_limit_bytes=values.pop("traffic_limit_bytes"),
        traffic_limit_strategy=values.pop("traffic_limit_strategy"),
        device_limit=values.pop("device_limit"),
        squad_uuids=values.pop("squad_uuids"),
    )
    plan = await plans.create(
        NewPlan(limits=limits, **values), actor=caller.account, origin=origin
    )
    return PlanResponse.of(plan)


@router.patch("/admin/plans/{plan_id}", summary="Change or deactivate a plan")
async def update_plan(
    plan_id: UUID,
    body: PlanUpdate,
    caller: PlanManager,
    origin: OriginDep,
    plans: ManagePlansDep,
) -> PlanResponse:
    """Deactivate with `{"is_active": false}`: the plan leaves the shop, its
    buyers keep what they bought."""
    values = patch_values(body, nullable={"device_limit", "price_stars"})
    plan = await plans.update(
        plan_id,
        PlanChanges(fields_set=frozenset(values), **values),
        actor=caller.account,
        origin=origin,
    )
    return PlanResponse.of(plan)


@router.delete(
    "/admin/plans/{plan_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a plan that was never sold",
)
async def delete_plan(
    plan_id: UUID, caller: PlanManager, origin: OriginDep, plans: ManagePlansDep
) -> None:
    """Only a plan never sold; a sold plan answers 409 `plan_sold`."""
    await plans.delete(plan_id, actor=caller.account, origin=origin)
