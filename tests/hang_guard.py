"""A test that hangs ends the run at once, and says where it hung.

Without this a stuck await (a lock that is never granted, a future nobody sets)
holds the suite until CI's own limit kills it, and the log shows only the last
test that passed. Past `HANG_SECONDS` in one test (setup, call and teardown) every
asyncio task's await chain goes to stderr, then faulthandler dumps every thread
and ends the process with a failure.
"""

import asyncio
import faulthandler
import os
import sys
import threading
from collections.abc import Generator
from types import FrameType
from typing import Any

import pytest

# The slowest test takes seconds; CPU-starved CI machines are several times slower.
HANG_SECONDS = float(os.environ.get("TEST_HANG_SECONDS", "240"))
_TASKS_FIRST = 10.0  # the task dump needs the loop a moment before the exit

_loop: asyncio.AbstractEventLoop | None = None


@pytest.fixture(scope="session", autouse=True)
async def hang_guard_loop() -> None:
    global _loop  # noqa: PLW0603 - read by the watchdog thread
    _loop = asyncio.get_running_loop()


def _await_chain(task: asyncio.Task[Any]) -> list[str]:
    lines = []
    awaited: Any = task.get_coro()
    while awaited is not None:
        frame: FrameType | None = getattr(awaited, "cr_frame", None) or getattr(
            awaited, "ag_frame", None
        )
        if frame is not None:
            code = frame.f_code
            lines.append(f"  {code.co_filename}:{frame.f_lineno} in {code.co_name}")
        awaited = getattr(awaited, "cr_await", None) or getattr(
            awaited, "ag_await", None
        )
    return lines


def _dump_tasks() -> None:
    banner = f"=== a test ran past {HANG_SECONDS:.0f} s; asyncio tasks ==="
    print(f"\n{banner}", file=sys.stderr)
    for task in asyncio.all_tasks():
        print(f"{task.get_name()}:", file=sys.stderr)
        print("\n".join(_await_chain(task)) or "  (running)", file=sys.stderr)
    sys.stderr.flush()


def _report_hang(config: pytest.Config) -> None:
    # The run is about to end: what follows goes to the real stderr, not to the
    # capture of a test whose report will never be written.
    capture = config.pluginmanager.getplugin("capturemanager")
    if capture is not None:
        capture.suspend_global_capture(in_=True)
    if _loop is not None and not _loop.is_closed():
        _loop.call_soon_threadsafe(_dump_tasks)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None]:
    tasks_timer = threading.Timer(
        HANG_SECONDS - _TASKS_FIRST, _report_hang, args=(item.config,)
    )
    tasks_timer.daemon = True
    tasks_timer.start()
    # Descriptor 2: the process's own stderr again once the capture is suspended.
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True, file=2)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
        tasks_timer.cancel()
