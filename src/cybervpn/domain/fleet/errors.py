"""Fleet errors. The panel's own error codes never reach our clients."""

from cybervpn.domain.common.errors import (
    BusinessRuleError,
    ConflictError,
    DomainError,
    NotFoundError,
)


class PanelUnavailableError(DomainError):
    """The panel cannot be reached, fails, or its circuit is open."""

    code = "panel_unavailable"
    default_message = "VPN panel unavailable"


class VpnUserNotFoundError(NotFoundError):
    code = "vpn_user_not_found"
    default_message = "VPN user not found"


class ServerNotFoundError(NotFoundError):
    code = "server_not_found"
    default_message = "Server not found"


class PanelResourceNotFoundError(NotFoundError):
    code = "panel_resource_not_found"
    default_message = "Resource not found in the VPN panel"


class PanelConflictError(ConflictError):
    code = "panel_conflict"
    default_message = "The VPN panel refused a duplicate or a state change"


class PanelRejectedError(BusinessRuleError):
    code = "panel_rejected"
    default_message = "The VPN panel rejected the request"
