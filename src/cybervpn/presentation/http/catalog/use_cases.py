"""The catalog's use cases, one dependency each (override them in tests)."""

from typing import Annotated

from fastapi import Depends

from cybervpn.application.catalog.list_plans import ListPlans
from cybervpn.application.catalog.manage_plans import ManagePlans
from cybervpn.presentation.http.dependencies import ContainerDep, UowDep


async def get_list_plans(uow: UowDep) -> ListPlans:
    return ListPlans(uow)


async def get_manage_plans(uow: UowDep, c: ContainerDep) -> ManagePlans:
    return ManagePlans(uow=uow, clock=c.clock)


ListPlansDep = Annotated[ListPlans, Depends(get_list_plans)]
ManagePlansDep = Annotated[ManagePlans, Depends(get_manage_plans)]
