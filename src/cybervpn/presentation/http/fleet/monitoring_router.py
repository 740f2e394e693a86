"""/monitoring: the panel's system and bandwidth figures."""

from typing import Annotated

from fastapi import APIRouter

from cybervpn.application.fleet.get_bandwidth_stats import GetBandwidthStats
from cybervpn.application.fleet.get_system_stats import GetSystemStats
from cybervpn.application.identity.authenticate import Caller
from cybervpn.domain.identity.roles import Permission
from cybervpn.presentation.http.dependencies import require
from cybervpn.presentation.http.fleet.schemas import (
    BandwidthStatsResponse,
    SystemStatsResponse,
)
from cybervpn.presentation.http.fleet.use_cases import PanelDep

router = APIRouter(prefix="/monitoring", tags=["fleet: monitoring"])
Reader = Annotated[Caller, require(Permission.FLEET_READ)]


@router.get("/stats")
async def system_stats(_caller: Reader, panel: PanelDep) -> SystemStatsResponse:
    return SystemStatsResponse.model_validate(await GetSystemStats(panel).execute())


@router.get("/bandwidth")
async def bandwidth_stats(_caller: Reader, panel: PanelDep) -> BandwidthStatsResponse:
    stats = await GetBandwidthStats(panel).execute()
    return BandwidthStatsResponse.model_validate(stats)
