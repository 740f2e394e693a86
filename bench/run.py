"""Benchmark harness: a real `cybervpn serve` on PostgreSQL + Redis, and beside it the
ceiling (`bench/ceiling.py`, a bare FastAPI app doing only the minimum), load from
wrk, each scenario measured on both in the same pass so the figures read as ratios.

Prints figures; asserts nothing. Usage (PostgreSQL and Redis running locally, wrk on
PATH):

    python3 -m uv run python bench/run.py [--duration 10] [--runs 3]

Scenarios: GET /health against the ceiling's /hello; GET /auth/me against its /me (32
connections); a login flood against its /login, with GET /health latency measured
during it; the machine's Argon2id limit (one process per core); login throughput again
with 10,000 sessions in the database. Both apps hash with the OWASP parameters
(m=19 MiB, t=2, p=1).
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

from cybervpn.infrastructure.persistence import migrator

PORT = 8899
BASE = f"http://127.0.0.1:{PORT}"
CEILING_PORT = 8898
CEILING = f"http://127.0.0.1:{CEILING_PORT}"
# OWASP's Argon2id minimum, for both apps and the machine's limit.
ARGON2 = {
    "PASSWORD_HASH_TIME_COST": "2",
    "PASSWORD_HASH_MEMORY_KIB": "19456",
    "PASSWORD_HASH_PARALLELISM": "1",
}
JWT_SECRET = "bench-" + "s" * 48
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
        [*command, base + path], capture_output=True, text=True, check=True, cwd=LUA
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
    """Verifications per second, one process per core, nothing else running."""
    cores = os.cpu_count() or 1
    job = (
        int(ARGON2["PASSWORD_HASH_TIME_COST"]),
        int(ARGON2["PASSWORD_HASH_MEMORY_KIB"]),
        int(ARGON2["PASSWORD_HASH_PARALLELISM"]),
        seconds,
    )
    with multiprocessing.Pool(cores) as pool:
        return sum(pool.map(_argon2_worker, [job] * cores)) / seconds


class Server:
    """`cybervpn serve`, or with `ceiling=True` the ceiling app, at the same log
    level and Argon2id parameters."""

    def __init__(self, database: str, data_dir: Path, *, ceiling: bool = False) -> None:
        self.env = {
            **os.environ,
            **ARGON2,
            "ENVIRONMENT": "development",
            "DATABASE_URL": database,
            "CEILING_DATABASE_URL": database.replace(
                "postgresql+asyncpg", "postgresql"
            ),
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
            "JWT_SECRET": JWT_SECRET,
            "RATE_LIMIT_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
            "CYBERVPN_DATA_DIR": str(data_dir),
            "PORT": str(PORT),
            "PYTHONPATH": str(Path(__file__).parent.parent),
        }
        self.ceiling = ceiling
        self.process: subprocess.Popen[bytes] | None = None

    def _command(self) -> list[str]:
        if self.ceiling:
            return [
                sys.executable, "-m", "uvicorn", "bench.ceiling:app",
                "--host", "127.0.0.1", "--port", str(CEILING_PORT),
                "--loop", "uvloop", "--http", "httptools",
                "--log-level", "warning", "--no-access-log",
            ]  # fmt: skip
        cybervpn = shutil.which("cybervpn") or str(
            Path(sys.executable).with_name("cybervpn")
        )
        return [cybervpn, "serve"]

    def __enter__(self) -> "Server":
        self.process = subprocess.Popen(
            self._command(),
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        probe = CEILING + "/hello" if self.ceiling else BASE + "/health"
        for _ in range(100):
            try:
                if httpx.get(probe).status_code == 200:
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
    accounts: list[dict[str, Any]],
    duration: int,
    *,
    url: str = BASE + "/api/v1/auth/login",
) -> tuple[dict[str, float], dict[str, float]]:
    """Logins at 16 connections while a paced probe (2 connections, about 100 req/s)
    measures the product's /health latency."""
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
            url or BASE + "/api/v1/auth/login",
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


def both(
    runs: int, ceiling: Any, product: Any
) -> tuple[dict[str, float], dict[str, float]]:
    """Medians of `runs` measurements of each, taking turns (the order swapped
    every run), so the machine's drift falls on both."""
    ours: list[dict[str, float]] = []
    theirs: list[dict[str, float]] = []
    for run in range(runs):
        for measure, into in (
            ((ceiling, theirs), (product, ours))
            if run % 2 == 0
            else ((product, ours), (ceiling, theirs))
        ):
            into.append(measure())
    return median_of(theirs), median_of(ours)


def ratio(ours: float, ceiling: float) -> float:
    return round(ours / ceiling, 3) if ceiling else 0.0


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
    d = args.duration
    results: dict[str, Any] = {}
    try:
        migrator.upgrade(database)
        with (
            tempfile.TemporaryDirectory() as data_dir,
            Server(database, Path(data_dir)),
            Server(database, Path(data_dir), ceiling=True),
        ):
            accounts = asyncio.run(seed_accounts(64))
            bearer = {"Authorization": f"Bearer {accounts[0]['access_token']}"}
            results["ceiling_hello"], results["health"] = both(
                args.runs,
                lambda: wrk("/hello", connections=32, duration=d, base=CEILING),
                lambda: wrk("/health", connections=32, duration=d),
            )
            results["ceiling_me"], results["auth_me"] = both(
                args.runs,
                lambda: wrk(
                    "/me", connections=32, duration=d, headers=bearer, base=CEILING
                ),
                lambda: wrk(
                    "/api/v1/auth/me", connections=32, duration=d, headers=bearer
                ),
            )
            results.update(login_floods(args.runs, accounts, d))
            asyncio.run(add_sessions(database, 10_000))
            results["login_flood_with_10k_sessions"] = median_of(
                [login_flood(accounts, d)[0] for _ in range(args.runs)]
            )
        results["ratios"] = {
            "health_to_ceiling_hello": ratio(
                results["health"]["rps"], results["ceiling_hello"]["rps"]
            ),
            "auth_me_to_ceiling_me": ratio(
                results["auth_me"]["rps"], results["ceiling_me"]["rps"]
            ),
            "auth_me_p99_to_ceiling_me_p99": ratio(
                results["auth_me"]["p99_ms"], results["ceiling_me"]["p99_ms"]
            ),
            **results.pop("login_ratios"),
        }
    finally:
        asyncio.run(admin_sql(f'DROP DATABASE "{name}" WITH (FORCE)'))
    print(json.dumps(results, indent=2))


def _median_ratio(floods: list[dict[str, float]]) -> float:
    return round(statistics.median(f["to_limit"] for f in floods), 3)


def login_floods(
    runs: int, accounts: list[dict[str, Any]], duration: int
) -> dict[str, Any]:
    """Each turn measures the machine's Argon2id limit (the servers idle), then both
    floods, the order swapped every turn. Each flood is a ratio to its own turn's
    limit, so the machine's drift between turns (±5 % in the limit alone) falls on
    all three figures alike; the medians are taken over the turns."""
    limits: list[dict[str, float]] = []
    ceiling: list[dict[str, float]] = []
    product: list[dict[str, float]] = []
    probes: list[dict[str, float]] = []
    for run in range(runs):
        limit = argon2_limit(duration)
        limits.append({"per_s": limit})
        for which in ("ceiling", "product") if run % 2 == 0 else ("product", "ceiling"):
            if which == "ceiling":
                flood = login_flood(accounts, duration, url=CEILING + "/login")[0]
                ceiling.append({**flood, "to_limit": flood["rps"] / limit})
            else:
                flood, probe = login_flood(accounts, duration)
                product.append({**flood, "to_limit": flood["rps"] / limit})
                probes.append(probe)
    return {
        "argon2_limit_per_s": median_of(limits)["per_s"],
        "ceiling_login_flood": median_of(ceiling),
        "login_flood": median_of(product),
        "health_during_login_flood": median_of(probes),
        "login_ratios": {
            "login_to_argon2_limit": _median_ratio(product),
            "ceiling_login_to_argon2_limit": _median_ratio(ceiling),
        },
    }


async def admin_sql(statement: str) -> None:
    connection = await asyncpg.connect(ADMIN_DSN)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


if __name__ == "__main__":
    main()
