"""Listing VPN users, filtered and paginated by the panel."""

from cybervpn.application.common.pagination import Page, PageRequest
from cybervpn.application.fleet.ports import VpnUserPanel
from cybervpn.domain.fleet.vpn_user import VpnUser, VpnUserFilter


class ListVpnUsers:
    def __init__(self, panel: VpnUserPanel) -> None:
        self._panel = panel

    async def execute(
        self, user_filter: VpnUserFilter, page: PageRequest
    ) -> Page[VpnUser]:
        users, total = await self._panel.list_users(
            user_filter, limit=page.limit, offset=page.offset
        )
        return Page(items=users, total=total, limit=page.limit, offset=page.offset)
