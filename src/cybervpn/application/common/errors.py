"""Errors raised by application services rather than business rules."""


class ServiceBusyError(Exception):
    """A bounded resource is saturated; the caller should retry shortly."""

    def __init__(self, retry_after_seconds: int = 1) -> None:
        super().__init__("service busy")
        self.retry_after_seconds = retry_after_seconds
