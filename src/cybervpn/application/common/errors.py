"""Errors raised by application services rather than business rules."""


class ServiceBusyError(Exception):
    """A bounded resource is saturated; the caller should retry shortly."""

    def __init__(self, retry_after_seconds: int = 1) -> None:
        super().__init__("service busy")
        self.retry_after_seconds = retry_after_seconds


class StorageUnavailableError(ServiceBusyError):
    """The database refused or lost the connection; nothing of the request was
    committed, so the caller may retry it as it is."""

    def __init__(self, retry_after_seconds: int = 5) -> None:
        super().__init__(retry_after_seconds)
        self.args = ("storage unavailable",)
