"""Group commit: batches form from what arrives together, and fail item by item."""

import asyncio
from collections.abc import Sequence

import pytest

from cybervpn.infrastructure.group_commit import GroupCommit

pytestmark = pytest.mark.unit


class Recorder:
    """Doubles each item; refuses a batch holding a negative one."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.release = asyncio.Event()
        self.release.set()

    async def handle(self, items: Sequence[int]) -> list[int]:
        self.batches.append(list(items))
        await self.release.wait()
        if any(item < 0 for item in items):
            raise ValueError("negative")
        return [item * 2 for item in items]


async def test_a_lone_item_goes_at_once() -> None:
    recorder = Recorder()
    batcher = GroupCommit(recorder.handle, max_batch=10)
    assert await batcher.submit(4) == 8
    assert recorder.batches == [[4]]


async def test_items_arriving_while_a_batch_runs_form_the_next_batch() -> None:
    recorder = Recorder()
    recorder.release.clear()
    batcher = GroupCommit(recorder.handle, max_batch=3)
    first = asyncio.create_task(batcher.submit(1))
    await asyncio.sleep(0)  # the first batch is running, held by the handler
    rest = [asyncio.create_task(batcher.submit(n)) for n in range(2, 7)]
    await asyncio.sleep(0)
    recorder.release.set()
    assert await first == 2
    assert await asyncio.gather(*rest) == [4, 6, 8, 10, 12]
    assert recorder.batches == [[1], [2, 3, 4], [5, 6]]


async def test_a_failed_batch_fails_only_the_bad_item() -> None:
    recorder = Recorder()
    recorder.release.clear()
    batcher = GroupCommit(recorder.handle, max_batch=10)
    head = asyncio.create_task(batcher.submit(0))
    await asyncio.sleep(0)
    items = [asyncio.create_task(batcher.submit(n)) for n in (1, -1, 2)]
    await asyncio.sleep(0)
    recorder.release.set()
    assert await head == 0
    assert await items[0] == 2 and await items[2] == 4
    with pytest.raises(ValueError, match="negative"):
        await items[1]
    assert recorder.batches == [[0], [1, -1, 2], [1], [-1], [2]]


async def test_a_caller_that_goes_away_still_has_its_item_handled() -> None:
    recorder = Recorder()
    recorder.release.clear()
    batcher = GroupCommit(recorder.handle, max_batch=10)
    gone = asyncio.create_task(batcher.submit(3))
    await asyncio.sleep(0)
    gone.cancel()
    stays = asyncio.create_task(batcher.submit(5))
    await asyncio.sleep(0)
    recorder.release.set()
    assert await stays == 10
    await batcher.aclose()
    assert recorder.batches == [[3], [5]]
    assert gone.cancelled()


async def test_items_arriving_within_the_linger_share_the_batch() -> None:
    recorder = Recorder()
    batcher = GroupCommit(recorder.handle, max_batch=10, linger=0.2)
    first = asyncio.create_task(batcher.submit(1))
    await asyncio.sleep(0.01)  # without a linger, 1 would be done by now
    second = asyncio.create_task(batcher.submit(2))
    assert await first == 2 and await second == 4
    assert recorder.batches == [[1, 2]]
