"""/monitoring: the panel's system and bandwidth figures."""

from typing import Annotated

from fastapi import APIRouter

from cybervpn.application.identity.authenticate import Caller
from cybervpn.domain.identity.roles import Permission
from cybervpn.presentation.http.dependencies import require
from cybervpn.presentation.http.fleet.schemas import (
    BandwidthStatsResponse,
    SystemStatsResponse,
)
from cybervpn.presentation.http.fleet.use_cases import (
    GetBandwidthStatsDep,
    GetSystemStatsDep,
)

router = APIRouter(prefix="/monitoring", tags=["panel-stats"])
Reader = Annotated[Caller, require(Permission.FLEET_READ)]


@router.get("/stats", summary="The panel's system figures")
async def system_stats(
    _caller: Reader, reader: GetSystemStatsDep
) -> SystemStatsResponse:
    return SystemStatsResponse.model_validate(await reader.execute())


@router.get("/bandwidth", summary="The panel's bandwidth figures")
async def bandwidth_stats(
    _caller: Reader, reader: GetBandwidthStatsDep
) -> BandwidthStatsResponse:
    stats = await reader.execute()
    return BandwidthStatsResponse.model_validate(stats)
