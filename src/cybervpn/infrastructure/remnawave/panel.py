"""The Remnawave HTTP API v3, one adapter per capability of the panel.

Every adapter holds the same `PanelCalls` (transport, error mapping, read cache);
the fleet use cases each take the one port they need.
"""

from cybervpn.infrastructure.remnawave.calls import PanelCalls
from cybervpn.infrastructure.remnawave.devices import RemnawaveDevices
from cybervpn.infrastructure.remnawave.read_cache import PanelReadCache
from cybervpn.infrastructure.remnawave.routing import RemnawaveRouting
from cybervpn.infrastructure.remnawave.servers import RemnawaveServers
from cybervpn.infrastructure.remnawave.stats import RemnawaveStats
from cybervpn.infrastructure.remnawave.transport import PanelTransport
from cybervpn.infrastructure.remnawave.users import RemnawaveVpnUsers


class RemnawavePanel:
    def __init__(
        self, transport: PanelTransport, cache: PanelReadCache | None = None
    ) -> None:
        calls = PanelCalls(transport, cache)
        self.users = RemnawaveVpnUsers(calls)
        self.servers = RemnawaveServers(calls)
        self.routing = RemnawaveRouting(calls)
        self.stats = RemnawaveStats(calls)
        self.devices = RemnawaveDevices(calls)
