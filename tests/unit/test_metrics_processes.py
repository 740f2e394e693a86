"""Several processes, one scrape: counters add up across API and worker processes,
a dead process's live gauges stop counting, and the worker's endpoint keeps the
API's token rule. Each process is a real one (prometheus_client picks its storage
when first imported)."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

RECORD = """
from cybervpn.infrastructure.metrics.instruments import PAYMENTS, RATE_LIMIT_FALLBACK
PAYMENTS.labels("cryptobot", "paid").inc()
RATE_LIMIT_FALLBACK.set(1)
"""

SCRAPE = """
import json, urllib.error, urllib.request
from cybervpn.infrastructure.metrics.worker_endpoint import serve_metrics
server = serve_metrics("127.0.0.1", 0, "t" * 40)
url = f"http://127.0.0.1:{server.server_port}/metrics"
def get(headers):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
print(json.dumps({
    "anonymous": get({}),
    "wrong": get({"Authorization": "Bearer nope"}),
    "token": get({"Authorization": "Bearer " + "t" * 40}),
}))
server.shutdown()
"""


def _run(code: str, directory: Path) -> str:
    env = os.environ | {"PROMETHEUS_MULTIPROC_DIR": str(directory)}
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def test_two_processes_add_up_and_the_worker_endpoint_needs_the_token(
    tmp_path: Path,
) -> None:
    _run(RECORD, tmp_path)
    _run(RECORD, tmp_path)
    answers = json.loads(_run(SCRAPE, tmp_path))
    assert answers["anonymous"][0] == 401
    assert answers["wrong"][0] == 401
    status, text = answers["token"]
    assert status == 200
    assert 'cybervpn_payments_total{outcome="paid",provider="cryptobot"} 2.0' in text
    # Both recording processes have exited: their fallback no longer counts.
    assert "cybervpn_rate_limit_fallback 1.0" not in text
