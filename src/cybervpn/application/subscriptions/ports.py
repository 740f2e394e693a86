"""The VPN panel as subscriptions see it: the few calls that provision access."""

from typing import Protocol

from cybervpn.domain.fleet.vpn_user import NewVpnUser, VpnUser, VpnUserChanges


class ProvisioningPanel(Protocol):
    """Raises fleet errors only, as the fleet's ports do."""

    async def get_user(self, user_id: int) -> VpnUser: ...
    async def find_user_by_username(self, username: str) -> VpnUser | None: ...
    async def create_user(self, user: NewVpnUser) -> VpnUser: ...
    async def update_user(self, user_id: int, changes: VpnUserChanges) -> VpnUser: ...
