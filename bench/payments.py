"""Payments benchmark: paid-webhook ingestion and end-to-end provisioning latency.

A real `cybervpn serve` and `cybervpn worker` on PostgreSQL + Redis, with the sandbox
panel and sandbox Crypto Pay as separate HTTP servers (bench/sandboxes.py). Prints
JSON figures; asserts nothing.

    python3 -m uv run python bench/payments.py [--webhooks 20000] [--samples 40]
        [--api-processes 1]

1. Ingestion: pending payments are seeded in the database, then wrk posts one
   correctly signed `invoice_paid` webhook per payment (32 connections, no worker
   running). Reported: accepted webhooks/s, and the exactly-once check (payments
   paid, deliveries processed, provisioning jobs written: each equal to the count).
   The same again for Telegram Stars: one `successful_payment` update per pending
   Stars payment, with the webhook's secret token (`stars_ingestion`).
2. The worker and the scheduler start and drain the provisioning backlog (VPN users
   created in the sandbox panel); reported: provisioned/s, and when the job queue
   (notifications too) was empty.
3. Latency: one payment at a time, the time from sending its webhook to the
   subscription being recorded as provisioned (the panel call done and committed).
"""

import argparse
import asyncio
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from cybervpn.infrastructure.cryptobot.signature import sign
from cybervpn.infrastructure.persistence import migrator
from run import admin_sql  # bench/run.py, on the path when run as a script

PORT, PANEL_PORT, CRYPTOPAY_PORT = 8898, 8897, 8896
TELEGRAM_SECRET = secrets.token_hex(20)
STARS = 250
BASE = f"http://127.0.0.1:{PORT}"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
LUA = Path(__file__).with_name("wrk")
PRICE = "4.99"


def _bin(name: str) -> str:
    return shutil.which(name) or str(Path(sys.executable).with_name(name))


def _environment(
    database: str, data_dir: str, token: str, api_processes: int
) -> dict[str, str]:
    return {
        **os.environ,
        "WEB_CONCURRENCY": str(api_processes),
        "ENVIRONMENT": "development",
        "DATABASE_URL": database,
        "REDIS_URL": REDIS_URL,
        "RATE_LIMIT_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
        "CYBERVPN_DATA_DIR": data_dir,
        "PORT": str(PORT),
        "REMNAWAVE_URL": f"http://127.0.0.1:{PANEL_PORT}",
        "REMNAWAVE_TOKEN": token,
        "CRYPTOBOT_TOKEN": token,
        "CRYPTOBOT_API_URL": f"http://127.0.0.1:{CRYPTOPAY_PORT}/api",
        "CRYPTOBOT_RECONCILE_SECONDS": "86400",
        # Crediting a Stars payment calls no Bot API method; the token only makes
        # the app use a real client instead of the in-process sandbox.
        "TELEGRAM_BOT_TOKEN": "0:bench",
        "TELEGRAM_API_URL": "http://127.0.0.1:9",
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "JOBS_QUEUE": f"cybervpn:bench-{uuid.uuid4().hex[:6]}",
    }


def _start(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def start_sandboxes(env: dict[str, str], token: str) -> subprocess.Popen[bytes]:
    """The sandbox panel and Crypto Pay (bench/sandboxes.py), once they answer."""
    process = _start(
        [
            sys.executable,
            str(Path(__file__).with_name("sandboxes.py")),
            str(PANEL_PORT),
            str(CRYPTOPAY_PORT),
            token,
        ],
        env,
    )
    _wait_for(f"http://127.0.0.1:{PANEL_PORT}/")
    return process


def _wait_for(url: str) -> None:
    for _ in range(150):
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


async def seed(
    dsn: str, count: int, *, stars: bool = False
) -> tuple[str, list[dict[str, Any]]]:
    """A plan, `count` customers, one pending payment each: with its invoice id at
    Crypto Pay, or (`stars`) a pending Telegram Stars payment."""
    connection = await asyncpg.connect(dsn)
    now = datetime.now(UTC)
    plan_id = uuid.uuid4()
    try:
        await connection.execute(
            """INSERT INTO plans (id, code, name, description, duration_days,
               traffic_limit_bytes, traffic_limit_strategy, device_limit,
               squad_uuids, price, price_stars, is_active, sort_order, created_at,
               updated_at)
               VALUES ($1, $3, 'One month', '', 30, 107374182400, 'MONTH', 3,
               '[]', 4.99, 250, true, 0, $2, $2)""",
            plan_id,
            now,
            "stars-month" if stars else "month",
        )
        payments: list[dict[str, Any]] = []
        for n in range(count):
            payments.append(
                {
                    "account_id": uuid.uuid4(),
                    "payment_id": uuid.uuid4(),
                    "invoice_id": 10_000_000 + n,
                }
            )
        await connection.copy_records_to_table(
            "accounts",
            records=[
                (
                    p["account_id"],
                    f"{p['account_id'].hex}@bench.test",
                    "x",
                    "customer",
                    True,
                    False,
                    None,
                    now,
                    now,
                    None,
                )
                for p in payments
            ],
            columns=[
                "id",
                "email",
                "password_hash",
                "role",
                "is_active",
                "two_factor_enabled",
                "telegram_id",
                "created_at",
                "updated_at",
                "last_login_at",
            ],
        )
        if stars:
            await connection.executemany(
                """INSERT INTO payments (id, account_id, plan_id, provider, pay_url,
                   amount, currency, status, bonus_days, created_at)
                   VALUES ($1, $2, $3, 'telegram_stars', 'https://t.me/$bench',
                   $4, 'XTR', 'pending', 0, $5)""",
                [
                    (p["payment_id"], p["account_id"], plan_id, STARS, now)
                    for p in payments
                ],
            )
        else:
            await connection.executemany(
                """INSERT INTO payments (id, account_id, plan_id, provider,
                   invoice_id, amount, currency, status, bonus_days, created_at)
                   VALUES ($1, $2, $3, 'cryptobot', $4, 4.99, 'USD', 'pending',
                   0, $5)""",
                [
                    (p["payment_id"], p["account_id"], plan_id, p["invoice_id"], now)
                    for p in payments
                ],
            )
        # Statistics, as autovacuum keeps them in production: the planner would
        # otherwise take the tables seeded a moment ago for empty ones.
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return str(plan_id), payments


def signed_webhook(token: str, payment: dict[str, Any]) -> tuple[str, str]:
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    update = {
        "update_id": secrets.randbelow(2**31),
        "update_type": "invoice_paid",
        "request_date": now,
        "payload": {
            "invoice_id": payment["invoice_id"],
            "hash": secrets.token_hex(6),
            "currency_type": "fiat",
            "fiat": "USD",
            "amount": PRICE,
            "status": "paid",
            "payload": str(payment["payment_id"]),
            "paid_at": now,
            "paid_asset": "USDT",
            "paid_amount": PRICE,
            "created_at": now,
        },
    }
    body = json.dumps(update, separators=(",", ":"))
    return body, sign(token, body.encode())


def stars_update(payment: dict[str, Any], n: int) -> tuple[str, str]:
    """Telegram's `successful_payment` update for a pending Stars payment, and the
    webhook's secret token."""
    update = {
        "update_id": 500_000_000 + n,
        "message": {
            "message_id": n + 1,
            "date": int(time.time()),
            "chat": {"id": 100_000_000 + n, "type": "private"},
            "from": {"id": 100_000_000 + n, "is_bot": False, "first_name": "Bench"},
            "successful_payment": {
                "currency": "XTR",
                "total_amount": STARS,
                "invoice_payload": str(payment["payment_id"]),
                "telegram_payment_charge_id": f"stxBench{payment['payment_id'].hex}",
                "provider_payment_charge_id": "",
            },
        },
    }
    return json.dumps(update, separators=(",", ":")), TELEGRAM_SECRET


def ingest(
    token: str, payments: list[dict[str, Any]], duration: int, *, stars: bool = False
) -> dict[str, float]:
    bodies = (
        [stars_update(p, n) for n, p in enumerate(payments)]
        if stars
        else [signed_webhook(token, p) for p in payments]
    )
    (LUA / "webhooks.tsv").write_text(
        "".join(f"{header}\t{body}\n" for body, header in bodies)
    )
    path = "/api/v1/webhooks/telegram" if stars else "/api/v1/webhooks/cryptobot"
    header = "X-Telegram-Bot-Api-Secret-Token" if stars else "crypto-pay-api-signature"
    output = subprocess.run(
        [
            "wrk",
            "-t1",
            "-c32",
            f"-d{duration}s",
            "--latency",
            "-s",
            str(LUA / "webhooks.lua"),
            BASE + path,
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=LUA,
        env={**os.environ, "WEBHOOK_HEADER": header},
    ).stdout
    (LUA / "webhooks.tsv").unlink()
    figures = {}
    for line in output.splitlines():
        parts = line.split()
        if parts[:1] == ["Requests/sec:"]:
            figures["requests_per_s"] = float(parts[1])
        if parts[:1] == ["50%"] or parts[:1] == ["99%"]:
            figures[f"p{parts[0][:-1]}_ms"] = _ms(parts[1])
        if "requests in" in line:
            figures["requests"] = float(parts[0])
        if parts[:2] == ["Non-2xx", "or"]:
            figures["non_2xx"] = float(parts[-1])
    return figures


def _ms(value: str) -> float:
    for unit, factor in (("ms", 1.0), ("us", 0.001), ("s", 1000.0)):
        if value.endswith(unit):
            return round(float(value[: -len(unit)]) * factor, 2)
    return float(value)


PAID_COUNT = "SELECT count(*) FROM payments WHERE status = 'paid'"
STARS_PAID = (
    "SELECT count(*) FROM payments"
    " WHERE status = 'paid' AND provider = 'telegram_stars'"
)


async def _settled(connection: asyncpg.Connection, count: str) -> tuple[int, int]:
    """The count now, and once it stops moving (the requests wrk left in flight
    credited too)."""
    now = last = await connection.fetchval(count)
    while True:
        await asyncio.sleep(0.5)
        if (settled := await connection.fetchval(count)) == last:
            return now, settled
        last = settled


async def stars_credited(dsn: str, seeded: int) -> tuple[int, dict[str, int]]:
    """As `credited`, for the Stars payments: paid once each, one processed
    delivery per payment, no charge id twice."""
    connection = await asyncpg.connect(dsn)
    try:
        paid_at_stop, paid = await _settled(connection, STARS_PAID)
        figures = {
            "seeded": seeded,
            "payments_paid": paid,
            "deliveries_processed": await connection.fetchval(
                "SELECT count(*) FROM webhook_deliveries"
                " WHERE provider = 'telegram' AND outcome = 'processed'"
            ),
            "distinct_charges": await connection.fetchval(
                "SELECT count(DISTINCT telegram_charge_id) FROM payments"
                " WHERE provider = 'telegram_stars' AND status = 'paid'"
            ),
        }
        return paid_at_stop, figures
    finally:
        await connection.close()


async def credited(dsn: str) -> tuple[int, dict[str, int]]:
    """The payments paid when wrk stopped, then the exactly-once figures once the
    requests it left in flight are credited too (the paid count stops moving), so
    they compare a finished state."""
    connection = await asyncpg.connect(dsn)
    try:
        paid_at_stop, paid = await _settled(connection, PAID_COUNT)
        figures = {
            "payments_paid": paid,
            "deliveries_processed": await connection.fetchval(
                "SELECT count(*) FROM webhook_deliveries WHERE outcome = 'processed'"
            ),
            "deliveries_duplicate": await connection.fetchval(
                "SELECT count(*) FROM webhook_deliveries WHERE outcome = 'duplicate'"
            ),
            "provisioning_jobs": await connection.fetchval(
                "SELECT count(*) FROM outbox_messages"
                " WHERE topic = 'subscription.provision'"
            ),
            "subscriptions_over_30_days": await connection.fetchval(
                "SELECT count(*) FROM subscriptions"
                " WHERE expires_at > now() + interval '31 days'"
            ),
        }
        return paid_at_stop, figures
    finally:
        await connection.close()


async def drain(dsn: str, expected: int, limit_s: float = 600) -> dict[str, float]:
    """Until every subscription is provisioned and the job queue is empty (the
    customers' notifications too), so the latency samples do not queue behind the
    backlog."""
    connection = await asyncpg.connect(dsn)
    started = time.perf_counter()
    provisioned_s = None
    try:
        while time.perf_counter() - started < limit_s:
            done = await connection.fetchval(
                "SELECT count(*) FROM subscriptions"
                " WHERE provisioned_version >= version"
            )
            if done >= expected and provisioned_s is None:
                provisioned_s = time.perf_counter() - started
            queued = await connection.fetchval(
                "SELECT count(*) FROM outbox_messages"
                " WHERE status IN ('pending', 'processing')"
            )
            if provisioned_s is not None and not queued:
                break
            await asyncio.sleep(0.2)
    finally:
        await connection.close()
    seconds = provisioned_s or time.perf_counter() - started
    return {
        "provisioned": done,
        "seconds": round(seconds, 1),
        "provisioned_per_s": round(done / seconds, 1),
        "queue_empty_after_s": round(time.perf_counter() - started, 1),
    }


async def latency(dsn: str, token: str, samples: int) -> dict[str, float]:
    _, payments = await seed_more(dsn, samples)
    connection = await asyncpg.connect(dsn)
    timings = []
    try:
        async with httpx.AsyncClient(base_url=BASE) as client:
            for payment in payments:
                body, signature = signed_webhook(token, payment)
                started = time.perf_counter()
                response = await client.post(
                    "/api/v1/webhooks/cryptobot",
                    content=body,
                    headers={
                        "crypto-pay-api-signature": signature,
                        "content-type": "application/json",
                    },
                )
                assert response.json().get("status") == "processed", response.text
                while not await connection.fetchval(  # noqa: ASYNC110 - the measure
                    """SELECT provisioned_version >= version FROM subscriptions
                       WHERE account_id = $1""",
                    payment["account_id"],
                ):
                    await asyncio.sleep(0.005)
                timings.append((time.perf_counter() - started) * 1000)
    finally:
        await connection.close()
    ordered = sorted(timings)
    return {
        "samples": len(timings),
        "median_ms": round(statistics.median(timings), 1),
        "p90_ms": round(ordered[int(len(ordered) * 0.9) - 1], 1),
        "max_ms": round(ordered[-1], 1),
    }


async def seed_more(dsn: str, count: int) -> tuple[str, list[dict[str, Any]]]:
    connection = await asyncpg.connect(dsn)
    try:
        plan_id = await connection.fetchval("SELECT id FROM plans LIMIT 1")
        base = await connection.fetchval("SELECT max(invoice_id) FROM payments")
    finally:
        await connection.close()
    now = datetime.now(UTC)
    payments = [
        {
            "account_id": uuid.uuid4(),
            "payment_id": uuid.uuid4(),
            "invoice_id": base + 1 + n,
        }
        for n in range(count)
    ]
    connection = await asyncpg.connect(dsn)
    try:
        for p in payments:
            await connection.execute(
                """INSERT INTO accounts (id, email, password_hash, role, is_active,
                   two_factor_enabled, created_at, updated_at)
                   VALUES ($1, $2, 'x', 'customer', true, false, $3, $3)""",
                p["account_id"],
                f"{p['account_id'].hex}@bench.test",
                now,
            )
            await connection.execute(
                """INSERT INTO payments (id, account_id, plan_id, provider, invoice_id,
                   amount, currency, status, bonus_days, created_at)
                   VALUES ($1, $2, $3, 'cryptobot', $4, 4.99, 'USD', 'pending',
                   0, $5)""",
                p["payment_id"],
                p["account_id"],
                plan_id,
                p["invoice_id"],
                now,
            )
    finally:
        await connection.close()
    return str(plan_id), payments


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--webhooks", type=int, default=20000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--api-processes", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is required (apt-get install wrk)")
    name = f"cybervpn_bench_{uuid.uuid4().hex[:8]}"
    asyncio.run(admin_sql(f'CREATE DATABASE "{name}"'))
    database = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    dsn = f"postgresql://postgres@127.0.0.1:5432/{name}"
    token = f"bench:{secrets.token_hex(16)}"
    processes: list[subprocess.Popen[bytes]] = []
    results: dict[str, Any] = {}
    try:
        migrator.upgrade(database)
        with tempfile.TemporaryDirectory() as data_dir:
            env = _environment(database, data_dir, token, args.api_processes)
            processes.append(start_sandboxes(env, token))
            processes.append(_start([_bin("cybervpn"), "serve"], env))
            _wait_for(BASE + "/health")
            if args.api_processes > 1:
                time.sleep(10)  # /health answers once the first process is up
            _, payments = asyncio.run(seed(dsn, args.webhooks))
            results["api_processes"] = args.api_processes
            results["ingestion"] = ingest(token, payments, args.duration)
            # Paid when wrk stopped: every request a first delivery, unless the
            # list ran out (then the rest were duplicates and this a lower bound).
            paid, results["exactly_once"] = asyncio.run(credited(dsn))
            results["ingestion"]["paid_per_s"] = round(paid / args.duration, 1)
            results["ingestion"]["ran_out"] = paid == args.webhooks
            _, stars_payments = asyncio.run(seed(dsn, args.webhooks, stars=True))
            results["stars_ingestion"] = ingest(
                token, stars_payments, args.duration, stars=True
            )
            paid, results["stars_exactly_once"] = asyncio.run(
                stars_credited(dsn, args.webhooks)
            )
            results["stars_ingestion"]["paid_per_s"] = round(paid / args.duration, 1)
            results["stars_ingestion"]["ran_out"] = paid == args.webhooks
            # The worker takes kicked jobs; the scheduler's sweep retries those that
            # failed (a panel error under load), as in production.
            processes.append(_start([_bin("cybervpn"), "worker"], env))
            processes.append(_start([_bin("cybervpn"), "scheduler"], env))
            results["provisioning_drain"] = asyncio.run(
                drain(dsn, results["exactly_once"]["payments_paid"])
            )
            results["provisioning_latency"] = asyncio.run(
                latency(dsn, token, args.samples)
            )
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=30)
        asyncio.run(admin_sql(f'DROP DATABASE "{name}" WITH (FORCE)'))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
