"""What the panel reports about itself: system and bandwidth figures."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class SystemStats:
    cpu_cores: int
    memory_total: int
    memory_used: int
    uptime_seconds: float
    users_by_status: dict[str, int]
    total_users: int
    online_now: int
    online_last_day: int
    nodes_online: int
    total_traffic_bytes: int
    measured_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class BandwidthPeriod:
    current: str
    previous: str
    difference: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BandwidthStats:
    """The panel's figures are human-readable strings (e.g. "1.2 GB"); kept as is."""

    last_two_days: BandwidthPeriod
    last_seven_days: BandwidthPeriod
    last_30_days: BandwidthPeriod
    calendar_month: BandwidthPeriod
    current_year: BandwidthPeriod
