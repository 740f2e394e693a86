"""Benchmark harness: a real `cybervpn serve` on PostgreSQL + Redis, load from wrk.

Prints figures; asserts nothing. Usage (PostgreSQL and Redis running locally, wrk on
PATH):

    python3 -m uv run python bench/run.py [--duration 10] [--runs 3]

Scenarios: GET /health; GET /auth/me (32 connections); a login flood with GET /health
latency measured during it; the machine's Argon2id limit (one process per core, the
server's parameters); login throughput again with 10,000 sessions in the database.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from argon2 import PasswordHasher

from cybervpn.config import SecuritySettings
from cybervpn.infrastructure.persistence import migrator

PORT = 8899
BASE = f"http://127.0.0.1:{PORT}"
ADMIN_DSN = os.environ.get(
    "BENCH_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "benchmark password 1"
LUA = Path(__file__).with_name("wrk")


def wrk(
    path: str,
    *,
    connections: int,
    duration: int,
    script: str | None = None,
    headers: dict[str, str] | None = None,
    threads: int = 1,
    base: str = BASE,
) -> dict[str, float]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(LUA / script)]
    output = subprocess.run(
        [*command, base + path], capture_output=True, text=True, check=True
    ).stdout
    return _parse_wrk(output)


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if match is None:
        raise ValueError(f"unexpected wrk latency {value!r}")
    number, unit = match.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def _parse_wrk(output: str) -> dict[str, float]:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = int(non2xx.group(1)) if non2xx else 0
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "non_2xx": errors}


def _argon2_worker(args: tuple[int, int, int, float]) -> int:
    time_cost, memory, parallelism, seconds = args
    hasher = PasswordHasher(
        time_cost=time_cost, memory_cost=memory, parallelism=parallelism
    )
    encoded = hasher.hash(PASSWORD)
    done, deadline = 0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        hasher.verify(encoded, PASSWORD)
        done += 1
    return done


def argon2_limit(seconds: float) -> float:
    """Verifications per second, one process per core, the server's parameters."""
    s = SecuritySettings()
    cores = os.cpu_count() or 1
    job = (
        s.password_hash_time_cost,
        s.password_hash_memory_kib,
        s.password_hash_parallelism,
        seconds,
    )
    with multiprocessing.Pool(cores) as pool:
        return sum(pool.map(_argon2_worker, [job] * cores)) / seconds


class Server:
    def __init__(self, database: str, data_dir: Path) -> None:
        self.env = {
            **os.environ,
            "ENVIRONMENT": "development",
            "DATABASE_URL": database,
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
            "RATE_LIMIT_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
            "CYBERVPN_DATA_DIR": str(data_dir),
            "PORT": str(PORT),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "Server":
        cybervpn = shutil.which("cybervpn") or str(
            Path(sys.executable).with_name("cybervpn")
        )
        self.process = subprocess.Popen(
            [cybervpn, "serve"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                if httpx.get(BASE + "/health").status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def __exit__(self, *_: object) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=30)


async def seed_accounts(count: int) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=BASE, timeout=60) as client:
        limiter = asyncio.Semaphore(8)

        async def one(n: int) -> dict[str, Any]:
            async with limiter:
                email = f"bench{n}-{uuid.uuid4().hex[:6]}@example.com"
                await client.post(
                    "/api/v1/auth/register", json={"email": email, "password": PASSWORD}
                )
                tokens = (
                    await client.post(
                        "/api/v1/auth/login",
                        json={"email": email, "password": PASSWORD},
                    )
                ).json()
                return {"email": email, **tokens}

        return list(await asyncio.gather(*(one(n) for n in range(count))))


async def add_sessions(database: str, count: int) -> None:
    """Bulk-insert sessions (what 10,000 logins leave behind) for one seeded account."""
    dsn = database.replace("postgresql+asyncpg", "postgresql")
    connection = await asyncpg.connect(dsn)
    try:
        account_id = await connection.fetchval("SELECT id FROM accounts LIMIT 1")
        await connection.execute(
            """INSERT INTO auth_sessions (id, account_id, created_at, expires_at)
               SELECT gen_random_uuid(), $1, now(), now() + interval '30 days'
               FROM generate_series(1, $2)""",
            account_id,
            count,
        )
    finally:
        await connection.close()


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.median(r[key] for r in runs), 2) for key in runs[0]}


def login_flood(
    accounts: list[dict[str, Any]], duration: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Logins at 16 connections while a paced probe (2 connections, about 100 req/s)
    measures /health latency."""
    body_file = LUA / "accounts.json"
    body_file.write_text(json.dumps([a["email"] for a in accounts]))
    flood = subprocess.Popen(
        [
            "wrk",
            "-t1",
            "-c16",
            f"-d{duration}s",
            "--latency",
            "-s",
            str(LUA / "login.lua"),
            BASE + "/api/v1/auth/login",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=LUA,
    )
    time.sleep(1)
    health = wrk(
        "/health", connections=2, duration=max(1, duration - 2), script="probe.lua"
    )
    out, _ = flood.communicate()
    # wrk stops with 16 logins still queued in the server; let them finish so the
    # next run does not start by paying for this one's.
    time.sleep(3)
    return _parse_wrk(out), health


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is required (apt-get install wrk)")

    name = f"cybervpn_bench_{uuid.uuid4().hex[:8]}"
    asyncio.run(admin_sql(f'CREATE DATABASE "{name}"'))
    database = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    results: dict[str, Any] = {}
    try:
        migrator.upgrade(database)
        results["argon2_limit_per_s"] = round(argon2_limit(args.duration), 2)
        with (
            tempfile.TemporaryDirectory() as data_dir,
            Server(database, Path(data_dir)),
        ):
            accounts = asyncio.run(seed_accounts(64))
            me_headers = {"Authorization": f"Bearer {accounts[0]['access_token']}"}
            results["health"] = median_of(
                [
                    wrk("/health", connections=32, duration=args.duration)
                    for _ in range(args.runs)
                ]
            )
            results["auth_me"] = median_of(
                [
                    wrk(
                        "/api/v1/auth/me",
                        connections=32,
                        duration=args.duration,
                        headers=me_headers,
                    )
                    for _ in range(args.runs)
                ]
            )
            floods = [login_flood(accounts, args.duration) for _ in range(args.runs)]
            results["login_flood"] = median_of([f[0] for f in floods])
            results["health_during_login_flood"] = median_of([f[1] for f in floods])
            asyncio.run(add_sessions(database, 10_000))
            results["login_flood_with_10k_sessions"] = median_of(
                [login_flood(accounts, args.duration)[0] for _ in range(args.runs)]
            )
        results["login_share_of_argon2_limit"] = round(
            results["login_flood"]["rps"] / results["argon2_limit_per_s"], 3
        )
    finally:
        asyncio.run(admin_sql(f'DROP DATABASE "{name}" WITH (FORCE)'))
    print(json.dumps(results, indent=2))


async def admin_sql(statement: str) -> None:
    connection = await asyncpg.connect(ADMIN_DSN)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


if __name__ == "__main__":
    main()
