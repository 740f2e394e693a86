"""The fleet's use cases, one dependency each (override them in tests).

Fleet changes act on the VPN panel and audit what it accepted in our database.
"""

from typing import Annotated

from fastapi import Depends

from cybervpn.application.fleet.apply_bulk_vpn_user_action import (
    ApplyBulkVpnUserAction,
)
from cybervpn.application.fleet.apply_server_action import ApplyServerAction
from cybervpn.application.fleet.apply_vpn_user_action import ApplyVpnUserAction
from cybervpn.application.fleet.create_server import CreateServer
from cybervpn.application.fleet.create_vpn_user import CreateVpnUser
from cybervpn.application.fleet.delete_server import DeleteServer
from cybervpn.application.fleet.delete_vpn_user import DeleteVpnUser
from cybervpn.application.fleet.get_bandwidth_stats import GetBandwidthStats
from cybervpn.application.fleet.get_fleet_stats import GetFleetStats
from cybervpn.application.fleet.get_server import GetServer
from cybervpn.application.fleet.get_system_stats import GetSystemStats
from cybervpn.application.fleet.get_vpn_user import GetVpnUser
from cybervpn.application.fleet.list_servers import ListServers
from cybervpn.application.fleet.list_vpn_users import ListVpnUsers
from cybervpn.application.fleet.manage_hosts import ManageHosts
from cybervpn.application.fleet.manage_squads import ManageSquads
from cybervpn.application.fleet.routing_catalog import RoutingCatalog
from cybervpn.application.fleet.server_geolocations import SetServerGeolocation
from cybervpn.application.fleet.update_server import UpdateServer
from cybervpn.application.fleet.update_vpn_user import UpdateVpnUser
from cybervpn.application.fleet.vpn_user_devices import (
    GetDeviceStats,
    ListVpnUserDevices,
    RemoveVpnUserDevices,
)
from cybervpn.presentation.http.dependencies import ContainerDep, UowDep

# --- VPN users ---------------------------------------------------------------


async def get_list_vpn_users(c: ContainerDep) -> ListVpnUsers:
    return ListVpnUsers(c.vpn_panel.panel.users)


async def get_get_vpn_user(c: ContainerDep) -> GetVpnUser:
    return GetVpnUser(c.vpn_panel.panel.users)


async def get_create_vpn_user(uow: UowDep, c: ContainerDep) -> CreateVpnUser:
    return CreateVpnUser(panel=c.vpn_panel.panel.users, uow=uow, clock=c.clock)


async def get_update_vpn_user(uow: UowDep, c: ContainerDep) -> UpdateVpnUser:
    return UpdateVpnUser(panel=c.vpn_panel.panel.users, uow=uow, clock=c.clock)


async def get_delete_vpn_user(uow: UowDep, c: ContainerDep) -> DeleteVpnUser:
    return DeleteVpnUser(panel=c.vpn_panel.panel.users, uow=uow, clock=c.clock)


async def get_vpn_user_action(uow: UowDep, c: ContainerDep) -> ApplyVpnUserAction:
    return ApplyVpnUserAction(panel=c.vpn_panel.panel.users, uow=uow, clock=c.clock)


async def get_bulk_vpn_user_action(
    uow: UowDep, c: ContainerDep
) -> ApplyBulkVpnUserAction:
    return ApplyBulkVpnUserAction(panel=c.vpn_panel.panel.users, uow=uow, clock=c.clock)


ListVpnUsersDep = Annotated[ListVpnUsers, Depends(get_list_vpn_users)]
GetVpnUserDep = Annotated[GetVpnUser, Depends(get_get_vpn_user)]
CreateVpnUserDep = Annotated[CreateVpnUser, Depends(get_create_vpn_user)]
UpdateVpnUserDep = Annotated[UpdateVpnUser, Depends(get_update_vpn_user)]
DeleteVpnUserDep = Annotated[DeleteVpnUser, Depends(get_delete_vpn_user)]
ApplyVpnUserActionDep = Annotated[ApplyVpnUserAction, Depends(get_vpn_user_action)]
ApplyBulkVpnUserActionDep = Annotated[
    ApplyBulkVpnUserAction, Depends(get_bulk_vpn_user_action)
]

# --- servers (nodes) and the panel's figures ----------------------------------


async def get_list_servers(uow: UowDep, c: ContainerDep) -> ListServers:
    return ListServers(panel=c.vpn_panel.panel.servers, uow=uow)


async def get_get_server(uow: UowDep, c: ContainerDep) -> GetServer:
    return GetServer(panel=c.vpn_panel.panel.servers, uow=uow)


async def get_fleet_stats(c: ContainerDep) -> GetFleetStats:
    return GetFleetStats(c.vpn_panel.panel.servers)


async def get_system_stats(c: ContainerDep) -> GetSystemStats:
    return GetSystemStats(c.vpn_panel.panel.stats)


async def get_bandwidth_stats(c: ContainerDep) -> GetBandwidthStats:
    return GetBandwidthStats(c.vpn_panel.panel.stats)


async def get_create_server(uow: UowDep, c: ContainerDep) -> CreateServer:
    return CreateServer(panel=c.vpn_panel.panel.servers, uow=uow, clock=c.clock)


async def get_update_server(uow: UowDep, c: ContainerDep) -> UpdateServer:
    return UpdateServer(panel=c.vpn_panel.panel.servers, uow=uow, clock=c.clock)


async def get_delete_server(uow: UowDep, c: ContainerDep) -> DeleteServer:
    return DeleteServer(panel=c.vpn_panel.panel.servers, uow=uow, clock=c.clock)


async def get_server_action(uow: UowDep, c: ContainerDep) -> ApplyServerAction:
    return ApplyServerAction(panel=c.vpn_panel.panel.servers, uow=uow, clock=c.clock)


async def get_set_server_geolocation(
    uow: UowDep, c: ContainerDep
) -> SetServerGeolocation:
    return SetServerGeolocation(panel=c.vpn_panel.panel.servers, uow=uow, clock=c.clock)


ListServersDep = Annotated[ListServers, Depends(get_list_servers)]
GetServerDep = Annotated[GetServer, Depends(get_get_server)]
GetFleetStatsDep = Annotated[GetFleetStats, Depends(get_fleet_stats)]
GetSystemStatsDep = Annotated[GetSystemStats, Depends(get_system_stats)]
GetBandwidthStatsDep = Annotated[GetBandwidthStats, Depends(get_bandwidth_stats)]
CreateServerDep = Annotated[CreateServer, Depends(get_create_server)]
UpdateServerDep = Annotated[UpdateServer, Depends(get_update_server)]
DeleteServerDep = Annotated[DeleteServer, Depends(get_delete_server)]
ApplyServerActionDep = Annotated[ApplyServerAction, Depends(get_server_action)]
SetServerGeolocationDep = Annotated[
    SetServerGeolocation, Depends(get_set_server_geolocation)
]

# --- routing: config profiles, inbounds, squads, hosts -------------------------


async def get_routing_catalog(c: ContainerDep) -> RoutingCatalog:
    return RoutingCatalog(c.vpn_panel.panel.routing)


async def get_manage_hosts(uow: UowDep, c: ContainerDep) -> ManageHosts:
    return ManageHosts(panel=c.vpn_panel.panel.routing, uow=uow, clock=c.clock)


async def get_manage_squads(uow: UowDep, c: ContainerDep) -> ManageSquads:
    return ManageSquads(panel=c.vpn_panel.panel.routing, uow=uow, clock=c.clock)


RoutingCatalogDep = Annotated[RoutingCatalog, Depends(get_routing_catalog)]
ManageHostsDep = Annotated[ManageHosts, Depends(get_manage_hosts)]
ManageSquadsDep = Annotated[ManageSquads, Depends(get_manage_squads)]


# --- devices (HWID) -------------------------------------------------------------


async def get_list_vpn_user_devices(c: ContainerDep) -> ListVpnUserDevices:
    return ListVpnUserDevices(c.vpn_panel.panel.devices)


async def get_device_stats(c: ContainerDep) -> GetDeviceStats:
    return GetDeviceStats(c.vpn_panel.panel.devices)


async def get_remove_vpn_user_devices(
    uow: UowDep, c: ContainerDep
) -> RemoveVpnUserDevices:
    return RemoveVpnUserDevices(panel=c.vpn_panel.panel.devices, uow=uow, clock=c.clock)


ListVpnUserDevicesDep = Annotated[
    ListVpnUserDevices, Depends(get_list_vpn_user_devices)
]
GetDeviceStatsDep = Annotated[GetDeviceStats, Depends(get_device_stats)]
RemoveVpnUserDevicesDep = Annotated[
    RemoveVpnUserDevices, Depends(get_remove_vpn_user_devices)
]
