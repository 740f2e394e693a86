"""Base errors of the business layers.

They carry no HTTP: the presentation layer maps each kind to a status and a generic,
non-leaking message in one registry.
"""

from typing import ClassVar


class DomainError(Exception):
    """A business rule refused the operation."""

    code: ClassVar[str] = "domain_error"
    default_message: ClassVar[str] = "The request could not be completed"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)


class NotFoundError(DomainError):
    code = "not_found"
    default_message = "Resource not found"


class PaymentRequiredError(DomainError):
    """What was asked for needs access that has run out: paying again gives it."""

    code = "payment_required"
    default_message = "Payment required"


class ConflictError(DomainError):
    code = "conflict"
    default_message = "The request conflicts with the current state"


class PermissionDeniedError(DomainError):
    code = "permission_denied"
    default_message = "Insufficient permissions"


class AuthenticationError(DomainError):
    code = "authentication_failed"
    default_message = "Authentication failed"


class BusinessRuleError(DomainError):
    """Well-formed input that a business rule does not allow."""

    code = "business_rule_violated"
