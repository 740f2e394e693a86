"""The panel's figures and health over the Remnawave API v3."""

from datetime import UTC, datetime

from cybervpn.domain.fleet.errors import (
    PanelUnavailableError,
)
from cybervpn.domain.fleet.monitoring import (
    BandwidthPeriod,
    BandwidthStats,
    SystemStats,
)
from cybervpn.infrastructure.remnawave.calls import PanelCalls
from cybervpn.infrastructure.remnawave.schemas import (
    PanelBandwidth,
    PanelBandwidthPeriod,
    PanelSystemStats,
)


class RemnawaveStats:
    """`PanelStats`."""

    def __init__(self, calls: PanelCalls) -> None:
        self._calls = calls

    async def system_stats(self) -> SystemStats:
        stats = await self._calls.call(
            "GET", "/api/system/stats", PanelSystemStats, not_found=None
        )
        return SystemStats(
            cpu_cores=stats.cpu.cores,
            memory_total=stats.memory.total,
            memory_used=stats.memory.used,
            uptime_seconds=stats.uptime,
            users_by_status=dict(stats.users.status_counts),
            total_users=stats.users.total_users,
            online_now=stats.online_stats.online_now,
            online_last_day=stats.online_stats.last_day,
            nodes_online=stats.nodes.total_online,
            total_traffic_bytes=int(stats.nodes.total_bytes_lifetime or 0),
            measured_at=datetime.fromtimestamp(stats.timestamp / 1000, UTC),
        )

    async def bandwidth_stats(self) -> BandwidthStats:
        stats = await self._calls.call(
            "GET", "/api/system/stats/bandwidth", PanelBandwidth, not_found=None
        )
        return BandwidthStats(
            last_two_days=_period(stats.bandwidth_last_two_days),
            last_seven_days=_period(stats.bandwidth_last_seven_days),
            last_30_days=_period(stats.bandwidth_last30_days),
            calendar_month=_period(stats.bandwidth_calendar_month),
            current_year=_period(stats.bandwidth_current_year),
        )

    async def ping(self) -> None:
        response = await self._calls.transport.send("GET", "/api/system/health")
        if response.status_code != 200:
            raise PanelUnavailableError


def _period(period: PanelBandwidthPeriod) -> BandwidthPeriod:
    return BandwidthPeriod(
        current=period.current, previous=period.previous, difference=period.difference
    )
