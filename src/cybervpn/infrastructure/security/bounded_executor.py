"""A thread pool with a hard cap on waiting work.

Argon2 takes tens of milliseconds of CPU and tens of MiB of memory per call. Running it
on the event loop would stall every other request; queueing without limit would turn a
login flood into unbounded memory and latency. So: a fixed number of worker threads,
a bounded queue, and an immediate ServiceBusyError (503) beyond that.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from cybervpn.application.common.errors import ServiceBusyError


class BoundedExecutor:
    def __init__(
        self,
        *,
        workers: int,
        queue_limit: int,
        name: str,
        on_refused: Callable[[], object] = lambda: None,
    ) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._capacity = workers + queue_limit
        self._in_flight = 0
        self._on_refused = on_refused  # operators count refusals: saturation

    @property
    def in_flight(self) -> int:
        return self._in_flight

    async def run[T](self, function: Callable[..., T], *args: object) -> T:
        if self._in_flight >= self._capacity:
            self._on_refused()
            raise ServiceBusyError(retry_after_seconds=1)
        self._in_flight += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._pool, function, *args)
        finally:
            self._in_flight -= 1

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
