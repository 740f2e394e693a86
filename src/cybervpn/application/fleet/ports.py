"""The VPN panel as the fleet use cases see it: one port per capability, so each
use case names (and a test fakes) only what it uses.

Implementations raise fleet errors only: PanelUnavailableError when the panel cannot
answer, not-found/conflict/rejected errors when it refuses.
"""

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from cybervpn.domain.fleet.device import Device, DeviceStats
from cybervpn.domain.fleet.errors import (
    ConfigProfileNotFoundError,
    HostNotFoundError,
    PanelConflictError,
    PanelRejectedError,
    PanelResourceNotFoundError,
    PanelUnavailableError,
    ServerNotFoundError,
    SquadNotFoundError,
    VpnUserNotFoundError,
)
from cybervpn.domain.fleet.monitoring import BandwidthStats, SystemStats
from cybervpn.domain.fleet.routing import (
    ConfigProfile,
    Host,
    HostChanges,
    InboundUsage,
    NewHost,
    NewSquad,
    Squad,
    SquadChanges,
    SquadMembership,
)
from cybervpn.domain.fleet.server import NewServer, Server, ServerAction, ServerChanges
from cybervpn.domain.fleet.vpn_user import (
    NewVpnUser,
    VpnUser,
    VpnUserAction,
    VpnUserChanges,
    VpnUserFilter,
)

# Everything an implementation may raise: the fleet use cases pass these on to
# their callers (and the OpenAPI document lists them from here).
PANEL_ERRORS = (
    PanelUnavailableError,
    PanelConflictError,
    PanelRejectedError,
    PanelResourceNotFoundError,
    VpnUserNotFoundError,
    ServerNotFoundError,
    SquadNotFoundError,
    HostNotFoundError,
    ConfigProfileNotFoundError,
)


class VpnUserPanel(Protocol):
    async def list_users(
        self, user_filter: VpnUserFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[VpnUser], int]: ...
    async def get_user(self, user_id: int) -> VpnUser: ...
    async def find_user_by_username(self, username: str) -> VpnUser | None: ...
    async def create_user(self, user: NewVpnUser) -> VpnUser: ...
    async def update_user(self, user_id: int, changes: VpnUserChanges) -> VpnUser: ...
    async def delete_user(self, user_id: int) -> None: ...
    async def apply_user_action(
        self, user_id: int, action: VpnUserAction, *, days: int | None = None
    ) -> VpnUser: ...
    async def apply_bulk_user_action(
        self, user_ids: Sequence[int], action: VpnUserAction, *, days: int | None = None
    ) -> None: ...


class ServerPanel(Protocol):
    async def list_servers(self) -> Sequence[Server]: ...
    async def get_server(self, server_uuid: UUID) -> Server: ...
    async def create_server(self, server: NewServer) -> Server: ...
    async def update_server(
        self, server_uuid: UUID, changes: ServerChanges
    ) -> Server: ...
    async def delete_server(self, server_uuid: UUID) -> None: ...
    async def apply_server_action(
        self, server_uuid: UUID, action: ServerAction
    ) -> None: ...


class RoutingPanel(Protocol):
    async def list_config_profiles(self) -> Sequence[ConfigProfile]: ...
    async def get_config_profile(self, profile_uuid: UUID) -> ConfigProfile: ...
    async def list_inbounds(self) -> Sequence[InboundUsage]: ...

    async def list_squads(self) -> Sequence[Squad]: ...
    async def get_squad(self, squad_uuid: UUID) -> Squad: ...
    async def create_squad(self, squad: NewSquad) -> Squad: ...
    async def update_squad(self, squad_uuid: UUID, changes: SquadChanges) -> Squad: ...
    async def delete_squad(self, squad_uuid: UUID) -> None: ...
    async def change_squad_members(
        self, squad_uuid: UUID, user_ids: Sequence[int], change: SquadMembership
    ) -> None:
        """Accepted by the panel and applied in the background (202)."""
        ...

    async def list_hosts(self) -> Sequence[Host]: ...
    async def get_host(self, host_uuid: UUID) -> Host: ...
    async def create_host(self, host: NewHost) -> Host: ...
    async def update_host(self, host_uuid: UUID, changes: HostChanges) -> Host: ...
    async def delete_host(self, host_uuid: UUID) -> None: ...


class PanelStats(Protocol):
    async def system_stats(self) -> SystemStats: ...
    async def bandwidth_stats(self) -> BandwidthStats: ...
    async def ping(self) -> None:
        """Raise PanelUnavailableError unless the panel answers."""
        ...


class DevicePanel(Protocol):
    """The panel's HWID devices. A user the panel does not know raises
    VpnUserNotFoundError."""

    async def list_devices(self, user_id: int) -> Sequence[Device]: ...
    async def delete_device(self, user_id: int, hwid: str) -> Sequence[Device]:
        """The user's devices left afterwards."""
        ...

    async def delete_all_devices(self, user_id: int) -> None: ...
    async def device_stats(self) -> DeviceStats: ...
