"""Dependencies that build the fleet use cases from the container."""

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.fleet.apply_bulk_vpn_user_action import (
    ApplyBulkVpnUserAction,
)
from cybervpn.application.fleet.apply_server_action import ApplyServerAction
from cybervpn.application.fleet.apply_vpn_user_action import ApplyVpnUserAction
from cybervpn.application.fleet.create_server import CreateServer
from cybervpn.application.fleet.create_vpn_user import CreateVpnUser
from cybervpn.application.fleet.delete_server import DeleteServer
from cybervpn.application.fleet.delete_vpn_user import DeleteVpnUser
from cybervpn.application.fleet.manage_hosts import ManageHosts
from cybervpn.application.fleet.manage_squads import ManageSquads
from cybervpn.application.fleet.ports import VpnPanel
from cybervpn.application.fleet.server_geolocations import SetServerGeolocation
from cybervpn.application.fleet.update_server import UpdateServer
from cybervpn.application.fleet.update_vpn_user import UpdateVpnUser
from cybervpn.presentation.http.container import Container
from cybervpn.presentation.http.dependencies import ContainerDep, UowDep


async def get_panel(c: ContainerDep) -> VpnPanel:
    return c.vpn_panel.panel


PanelDep = Annotated[VpnPanel, Depends(get_panel)]

type PanelChange = (
    CreateVpnUser
    | UpdateVpnUser
    | DeleteVpnUser
    | ApplyVpnUserAction
    | ApplyBulkVpnUserAction
    | CreateServer
    | UpdateServer
    | DeleteServer
    | ApplyServerAction
    | ManageHosts
    | ManageSquads
    | SetServerGeolocation
)


def _change[T: PanelChange](
    kind: type[T],
) -> Callable[[UnitOfWork, Container], Coroutine[Any, Any, T]]:
    async def build(uow: UowDep, c: ContainerDep) -> T:
        return kind(panel=c.vpn_panel.panel, uow=uow, clock=c.clock)

    return build


get_create_vpn_user = _change(CreateVpnUser)
get_update_vpn_user = _change(UpdateVpnUser)
get_delete_vpn_user = _change(DeleteVpnUser)
get_vpn_user_action = _change(ApplyVpnUserAction)
get_bulk_vpn_user_action = _change(ApplyBulkVpnUserAction)
get_create_server = _change(CreateServer)
get_update_server = _change(UpdateServer)
get_delete_server = _change(DeleteServer)
get_server_action = _change(ApplyServerAction)
get_manage_hosts = _change(ManageHosts)
get_manage_squads = _change(ManageSquads)
get_set_server_geolocation = _change(SetServerGeolocation)
