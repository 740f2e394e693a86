"""Fleet errors. The panel's own error codes never reach our clients."""

from typing import Final

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


class HostNotFoundError(NotFoundError):
    code = "host_not_found"
    default_message = "Host not found"


class SquadNotFoundError(NotFoundError):
    code = "squad_not_found"
    default_message = "Internal squad not found"


class ConfigProfileNotFoundError(NotFoundError):
    code = "config_profile_not_found"
    default_message = "Config profile not found"


class PanelResourceNotFoundError(NotFoundError):
    code = "panel_resource_not_found"
    default_message = "Resource not found in the VPN panel"


class PanelConflictError(ConflictError):
    code = "panel_conflict"
    default_message = "The VPN panel refused a duplicate or a state change"


class PanelRejectedError(BusinessRuleError):
    code = "panel_rejected"
    default_message = "The VPN panel rejected the request"


MAX_EXTEND_DAYS: Final = 3650
MAX_BULK_SIZE: Final = 500  # the panel's own limit per bulk call
MAX_SQUAD_MEMBERS_CHANGE: Final = 1000  # the panel's limit per membership call


class ExpiryInThePastError(BusinessRuleError):
    code = "expiry_in_the_past"
    default_message = "The expiry must be in the future"


class InvalidExtensionError(BusinessRuleError):
    code = "invalid_extension"
    default_message = f"Extend by 1 to {MAX_EXTEND_DAYS} days"


class BulkSizeError(BusinessRuleError):
    code = "bulk_size"
    default_message = f"Give between 1 and {MAX_BULK_SIZE} distinct ids"


class SquadMembersSizeError(BusinessRuleError):
    code = "squad_members_size"
    default_message = f"Give between 1 and {MAX_SQUAD_MEMBERS_CHANGE} distinct user ids"


class IncompleteInboundChangeError(BusinessRuleError):
    code = "incomplete_inbound_change"
    default_message = "A host's inbound is changed together with its config profile"


class IncompleteProfileChangeError(BusinessRuleError):
    code = "incomplete_profile_change"
    default_message = "A config profile change needs the profile and its inbounds"
