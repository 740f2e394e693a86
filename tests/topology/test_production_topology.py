"""What compose runs, run as processes: `cybervpn migrate`, `serve` with two API
processes, `worker` and `scheduler`, on PostgreSQL and Redis, in production
settings, with the panel, Crypto Pay and Telegram as separate HTTP servers. A
purchase goes from invoice to VPN access; then the worker is killed (SIGKILL, the
whole process group, as a container is) in the middle of a backlog and started
again: every paid customer ends with exactly one VPN user and one month of access.
"""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from redis import Redis

from cybervpn.infrastructure.sandbox.cryptobot.webhooks import signed_update
from tests.commerce import MONTH_PLAN
from tests.conftest import POSTGRES_ADMIN_DSN, _admin_sql

pytestmark = pytest.mark.topology
ROOT = Path(__file__).parents[2]
CYBERVPN = str(Path(sys.prefix) / "bin" / "cybervpn")
REDIS_URL = os.environ.get("TOPOLOGY_REDIS_URL", "redis://127.0.0.1:6379/14")
TOKEN = "topology-" + "k" * 40
METRICS_TOKEN = "m" * 40
PASSWORD = "topology passphrase 2026"
BACKLOG = 12  # customers paid while the worker is down


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Process:
    """A command in its own process group, its output in a log file."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], logs: Path):
        self.name, self.args, self.env = name, args, env
        self.log = logs / f"{name}.log"
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> "Process":
        with self.log.open("ab") as output:
            self.popen = subprocess.Popen(  # noqa: S603 - our own executable
                self.args,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=ROOT,
            )
        return self

    def kill(self, sig: signal.Signals = signal.SIGKILL) -> None:
        if self.popen is not None and self.popen.poll() is None:
            os.killpg(self.popen.pid, sig)
            self.popen.wait(timeout=30)

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=25)
        except subprocess.TimeoutExpired:
            self.kill()


@pytest.fixture
def database() -> Iterator[str]:
    name = f"cybervpn_topology_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin_sql(f'CREATE DATABASE "{name}"'))
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "")
    yield f"postgresql+asyncpg://{base}/{name}"
    asyncio.run(_admin_sql(f'DROP DATABASE "{name}" WITH (FORCE)'))


@pytest.fixture
def topology(database: str, tmp_path: Path) -> Iterator[dict[str, Any]]:
    with Redis.from_url(REDIS_URL) as redis:
        redis.flushdb()
    panel, cryptopay, telegram, api, worker_metrics, smtp = (
        _free_port() for _ in range(6)
    )
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),  # noqa: S108
        "ENVIRONMENT": "production",
        "DATABASE_URL": database,
        "DATABASE_POOL_SIZE": "5",
        "DATABASE_MAX_OVERFLOW": "5",
        "REDIS_URL": REDIS_URL,
        "JOBS_QUEUE": f"cybervpn:topology-{uuid.uuid4().hex[:8]}",
        "JWT_SECRET": "j" * 48,
        "ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "REMNAWAVE_URL": f"http://127.0.0.1:{panel}",
        "REMNAWAVE_TOKEN": TOKEN,
        "REMNAWAVE_WEBHOOK_SECRET": "w" * 40,
        "CRYPTOBOT_TOKEN": TOKEN,
        "CRYPTOBOT_API_URL": f"http://127.0.0.1:{cryptopay}/api",
        "CRYPTOBOT_RECONCILE_SECONDS": "5",
        "TELEGRAM_BOT_TOKEN": "123456:" + "t" * 35,
        "TELEGRAM_API_URL": f"http://127.0.0.1:{telegram}",
        "TELEGRAM_ADMIN_CHAT_ID": "-100123",
        "TELEGRAM_WEBHOOK_SECRET": "s" * 40,
        "CORS_ORIGINS": "https://app.cybervpn.test",
        # No customer here has a verified address, so no mail is sent.
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp),
        "WEB_APP_URL": "https://app.cybervpn.test",
        "METRICS_TOKEN": METRICS_TOKEN,
        "WORKER_METRICS_PORT": str(worker_metrics),
        "HOST": "127.0.0.1",
        "PORT": str(api),
        "WEB_CONCURRENCY": "2",
        # Staff would enrol a second factor first; the purchase path does not
        # depend on it.
        "STAFF_REQUIRE_2FA": "false",
        # A killed worker's claimed jobs come back after the lease; the sweep
        # looks every second.
        "OUTBOX_LEASE_SECONDS": "5",
        "OUTBOX_SWEEP_SECONDS": "1",
        "RATE_LIMIT_ENABLED": "false",
        "LOG_LEVEL": "INFO",
    }
    outside = Process(
        "outside",
        [sys.executable, "-m", "tests.topology.outside_services"]
        + [str(p) for p in (panel, cryptopay, telegram)]
        + [TOKEN],
        env | {"PYTHONPATH": str(ROOT)},
        tmp_path,
    ).start()
    processes = {"outside": outside}
    try:
        migrate = subprocess.run(  # noqa: S603
            [CYBERVPN, "migrate"], env=env, capture_output=True, text=True, cwd=ROOT
        )
        assert migrate.returncode == 0, migrate.stderr
        check = subprocess.run(  # noqa: S603
            [CYBERVPN, "migrate", "--check"], env=env, capture_output=True, cwd=ROOT
        )
        assert check.returncode == 0
        admin = subprocess.run(  # noqa: S603
            [CYBERVPN, "create-admin", "--email", "ops@example.com"]
            + ["--password", PASSWORD, "--role", "admin"],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert admin.returncode == 0, admin.stderr
        processes["api"] = Process("api", [CYBERVPN, "serve"], env, tmp_path).start()
        processes["worker"] = Process(
            "worker", [CYBERVPN, "worker", "--processes", "2"], env, tmp_path
        ).start()
        processes["scheduler"] = Process(
            "scheduler", [CYBERVPN, "scheduler"], env, tmp_path
        ).start()
        yield {
            "api": f"http://127.0.0.1:{api}",
            "panel": f"http://127.0.0.1:{panel}",
            "cryptopay": f"http://127.0.0.1:{cryptopay}",
            "worker_metrics": f"http://127.0.0.1:{worker_metrics}/metrics",
            "processes": processes,
        }
    finally:
        for process in reversed(processes.values()):
            process.stop()
        for process in processes.values():
            sys.stdout.write(f"--- {process.name}\n{process.log.read_text()[-3000:]}\n")


async def _eventually(check: Any, seconds: float = 60, what: str = "") -> Any:
    for _ in range(int(seconds / 0.25)):
        try:
            result = await check()
        except httpx.TransportError:
            result = None
        if result:
            return result
        await asyncio.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what or check}")


async def _json(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _customer(api: httpx.AsyncClient, email: str) -> dict[str, str]:
    credentials = {"email": email, "password": PASSWORD}
    await _json(await api.post("/api/v1/auth/register", json=credentials), 201)
    tokens = await _json(await api.post("/api/v1/auth/login", json=credentials))
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def _buy_and_pay(
    api: httpx.AsyncClient,
    cryptopay: httpx.AsyncClient,
    buyer: dict[str, str],
    plan_id: str,
) -> None:
    invoice = await _json(
        await api.post(
            "/api/v1/payments/crypto/invoice", json={"plan_id": plan_id}, headers=buyer
        ),
        201,
    )
    update = await _json(await cryptopay.post(f"/control/pay/{invoice['invoice_id']}"))
    body, headers = signed_update(TOKEN, update)
    ack = await _json(
        await api.post("/api/v1/webhooks/cryptobot", content=body, headers=headers)
    )
    assert ack == {"status": "processed"}


async def _status(api: httpx.AsyncClient, buyer: dict[str, str]) -> str | None:
    response = await api.get("/api/v1/subscriptions/me", headers=buyer)
    if response.status_code != 200:
        return None
    status: str = response.json()["status"]
    return status


async def test_a_purchase_provisions_and_a_killed_worker_loses_nothing(
    topology: dict[str, Any],
) -> None:
    async with (
        httpx.AsyncClient(base_url=topology["api"], timeout=30) as api,
        httpx.AsyncClient(base_url=topology["panel"], timeout=30) as panel,
        httpx.AsyncClient(base_url=topology["cryptopay"], timeout=30) as cryptopay,
    ):

        async def ready() -> bool:
            return (await api.get("/ready")).status_code == 200

        await _eventually(ready, what="the API to be ready")
        tokens = await _json(
            await api.post(
                "/api/v1/auth/login",
                json={"email": "ops@example.com", "password": PASSWORD},
            )
        )
        admin = {"Authorization": f"Bearer {tokens['access_token']}"}
        plan = await _json(
            await api.post(
                "/api/v1/admin/plans",
                json=MONTH_PLAN,
                headers=admin,
            ),
            201,
        )

        # One purchase, from invoice to VPN access, through every process.
        first = await _customer(api, "first@example.com")
        await _buy_and_pay(api, cryptopay, first, plan["id"])
        await _eventually(
            lambda: _active(api, first), what="the first purchase to provision"
        )

        # A backlog while the worker is down, then a slow panel and a SIGKILL
        # once some of it is provisioned.
        worker: Process = topology["processes"]["worker"]
        worker.kill()
        buyers = [
            await _customer(api, f"backlog{i}@example.com") for i in range(BACKLOG)
        ]
        for buyer in buyers:
            await _buy_and_pay(api, cryptopay, buyer, plan["id"])
        statuses = [await _status(api, b) for b in buyers]
        assert statuses == ["provisioning"] * BACKLOG, statuses  # paid, waiting
        await _json(await panel.post("/control/latency", params={"seconds": 0.2}))
        worker.start()

        # Counted in the panel itself: the API's own reads would wait behind the
        # slow panel.
        async def vpn_users() -> list[dict[str, Any]]:
            users = await _json(await panel.get("/control/users"))
            return [u for u in users if u["username"].startswith("cv_")]

        async def some_provisioned() -> bool:
            return len(await vpn_users()) >= 3

        await _eventually(some_provisioned, what="part of the backlog")
        worker.kill()
        assert len(await vpn_users()) < BACKLOG + 1, "killed too late to prove much"
        await _json(await panel.post("/control/latency", params={"seconds": 0}))
        worker.start()

        async def all_provisioned() -> bool:
            return all([await _active(api, b) for b in buyers])

        await _eventually(all_provisioned, seconds=90, what="the whole backlog")

        # Exactly one VPN user per paying customer, each with one month.
        cv_users = await vpn_users()
        assert len(cv_users) == BACKLOG + 1
        assert len({u["username"] for u in cv_users}) == BACKLOG + 1
        for user in cv_users:
            left = datetime.fromisoformat(user["expire_at"]) - datetime.now(
                tz=datetime.fromisoformat(user["expire_at"]).tzinfo
            )
            assert timedelta(days=29) < left <= timedelta(days=30)

        # What operators see agrees: nothing paid waits, nothing died.
        scrape = await api.get(
            "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
        )
        assert scrape.status_code == 200
        assert "\ncybervpn_paid_unprovisioned 0.0\n" in scrape.text
        assert 'cybervpn_outbox_jobs{state="dead"} 0.0' in scrape.text
        assert (await api.get("/metrics")).status_code == 401
        worker_scrape = await _json_text(
            topology["worker_metrics"], {"Authorization": f"Bearer {METRICS_TOKEN}"}
        )
        assert 'cybervpn_outbox_processed_total{outcome="done"}' in worker_scrape


async def _active(api: httpx.AsyncClient, buyer: dict[str, str]) -> bool:
    return await _status(api, buyer) == "active"


async def _json_text(url: str, headers: dict[str, str]) -> str:
    async def scrape() -> str | None:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.get(url, headers=headers)
        return response.text if response.status_code == 200 else None

    text: str = await _eventually(scrape, what="the worker's metrics")
    return text
