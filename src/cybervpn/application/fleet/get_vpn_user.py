"""One VPN user, as the panel has it now."""

from cybervpn.application.fleet.ports import VpnUserPanel
from cybervpn.domain.fleet.vpn_user import VpnUser


class GetVpnUser:
    def __init__(self, panel: VpnUserPanel) -> None:
        self._panel = panel

    async def execute(self, user_id: int) -> VpnUser:
        return await self._panel.get_user(user_id)
