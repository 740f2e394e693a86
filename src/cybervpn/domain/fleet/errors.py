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


class ExpiryInThePastError(BusinessRuleError):
    code = "expiry_in_the_past"
    default_message = "The expiry must be in the future"


class InvalidExtensionError(BusinessRuleError):
    code = "invalid_extension"
    default_message = f"Extend by 1 to {MAX_EXTEND_DAYS} days"


class BulkSizeError(BusinessRuleError):
    code = "bulk_size"
    default_message = f"Give between 1 and {MAX_BULK_SIZE} distinct ids"


class IncompleteProfileChangeError(BusinessRuleError):
    code = "incomplete_profile_change"
    default_message = "A config profile change needs the profile and its inbounds"
