"""The `cybervpn` executable.

prometheus_client decides when it is first imported whether metrics live in the
process or in files that several processes share (PROMETHEUS_MULTIPROC_DIR). The
commands that run several processes (API processes, worker processes) get that
directory here, before anything imports the client.
"""

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
MULTI_PROCESS_COMMANDS = frozenset({"serve", "worker"})


def prepare_metrics_directory() -> Path:
    """The operator's directory emptied of a previous run's files, or a private
    one removed at exit."""
    configured = os.environ.get(MULTIPROCESS_DIR_VARIABLE)
    if configured:
        directory = Path(configured)
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):
            stale.unlink()
        return directory
    directory = Path(tempfile.mkdtemp(prefix="cybervpn-metrics-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    os.environ[MULTIPROCESS_DIR_VARIABLE] = str(directory)
    return directory


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in MULTI_PROCESS_COMMANDS:
        prepare_metrics_directory()
    from cybervpn.presentation.cli import app  # noqa: PLC0415 - after the directory

    app()
