"""The sandboxes keep their state in the data directory in development, so a
restart of `cybervpn serve` loses neither the panel's VPN users nor the invoices
still waiting to be paid (a payment in the database points at both)."""

from contextlib import AsyncExitStack
from pathlib import Path
from typing import Protocol

import structlog

log = structlog.get_logger("cybervpn.sandbox")


class Snapshotted(Protocol):
    def snapshot(self) -> bytes: ...
    def restore(self, data: bytes) -> None: ...


def keep_between_runs(state: Snapshotted, path: Path, stack: AsyncExitStack) -> None:
    """Restore `state` from `path` now, and write it back when `stack` closes."""
    if path.exists():
        try:
            state.restore(path.read_bytes())
        except ValueError:
            # A file from an older sandbox: start from the seed, say so.
            log.warning("sandbox state unreadable; starting afresh", path=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    stack.callback(lambda: path.write_bytes(state.snapshot()))
