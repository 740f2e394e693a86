"""Group commit: items that arrive together are handled in one transaction.

A paid webhook costs a dozen statements and a commit; fifty of them arriving at
once cost the same dozen statements in one batch. Nothing waits for a batch to
fill: an item that finds no batch running starts one after `linger`, and items
that arrive while it runs form the next one (up to `max_batch`), so under load the
batches grow by themselves.

The linger is short (milliseconds) and matters under load: when a batch finishes,
its callers answer their clients, whose next requests are already on their way.
Without it the first of them would start a batch alone and the rest would wait
for it, splitting a steady load into half-size batches.
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence

import structlog

log = structlog.get_logger("cybervpn.group_commit")

type BatchHandler[T, R] = Callable[[Sequence[T]], Awaitable[Sequence[R]]]


class GroupCommit[T, R]:
    """`submit` returns what the handler gave for that item. The handler gets a
    batch and returns one result per item, in order; batches run one at a time.
    If a batch fails, each of its items is tried again alone, so one bad item (or
    a deadlock between processes' batches) fails only its own caller."""

    def __init__(
        self, handler: BatchHandler[T, R], *, max_batch: int, linger: float = 0.0
    ) -> None:
        self._handler = handler
        self._max_batch = max_batch
        self._linger = linger
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._runner: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._run(), name="group-commit")
        # A caller that goes away (a client disconnect) cancels only its future:
        # its item is still handled with the rest of its batch.
        return await future

    async def aclose(self) -> None:
        """Wait for the items already submitted (shutdown)."""
        if self._runner is not None:
            await self._runner

    async def _run(self) -> None:
        while self._waiting:
            if len(self._waiting) < self._max_batch and self._linger:
                await asyncio.sleep(self._linger)
            batch = self._waiting[: self._max_batch]
            del self._waiting[: self._max_batch]
            await self._settle(batch)

    async def _settle(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            results = await self._handler([item for item, _ in batch])
        except Exception as error:  # noqa: BLE001 - passed to the caller below
            if len(batch) > 1:
                log.warning(
                    "batch failed; trying its items one by one",
                    size=len(batch),
                    error=type(error).__name__,
                )
                for one in batch:
                    await self._settle([one])
                return
            _, future = batch[0]
            if not future.done():
                future.set_exception(error)
            return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)
