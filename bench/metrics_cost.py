"""What the metrics cost: `/health` and `/auth/me` (32 connections), a login flood (16
connections, the OWASP Argon2id parameters) and paid-webhook ingestion (32
connections, one API process) with metrics on, and with them taken out
(`without_metrics.py`), alternating on and off in each round so drift on a shared
machine falls on both. Prints the medians and on/off ratios; asserts nothing.

    python3 -m uv run python bench/metrics_cost.py [--duration 8] [--runs 3]
"""

import argparse
import asyncio
import json
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from cybervpn.infrastructure.persistence import migrator
from payments import (  # bench/payments.py, on the path when run as a script
    BASE,
    _bin,
    _environment,
    _start,
    _wait_for,
    credited,
    ingest,
    seed,
    start_sandboxes,
)
from run import ARGON2, LUA, PASSWORD, admin_sql, wrk

COMMANDS = {
    "on": [_bin("cybervpn"), "serve"],
    "off": [
        sys.executable,
        str(Path(__file__).with_name("without_metrics.py")),
        "serve",
    ],
}


def _customer_headers() -> dict[str, str]:
    email = f"metrics-{uuid.uuid4().hex[:8]}@example.com"
    credentials = {"email": email, "password": PASSWORD}
    httpx.post(BASE + "/api/v1/auth/register", json=credentials, timeout=30)
    tokens = httpx.post(BASE + "/api/v1/auth/login", json=credentials, timeout=30)
    return {"Authorization": f"Bearer {tokens.json()['access_token']}"}


def seed_logins(env: dict[str, str], count: int = 16) -> None:
    """Customers for the login flood, their e-mails where `wrk/login.lua` reads them."""
    emails = [f"flood-{n}-{uuid.uuid4().hex[:6]}@example.com" for n in range(count)]
    with server("on", env):
        for email in emails:
            httpx.post(
                BASE + "/api/v1/auth/register",
                json={"email": email, "password": PASSWORD},
                timeout=30,
            ).raise_for_status()
    (LUA / "accounts.json").write_text(json.dumps(emails))


def logins(mode: str, env: dict[str, str], duration: int) -> dict[str, float]:
    with server(mode, env):
        flood = wrk(
            "/api/v1/auth/login",
            connections=16,
            duration=duration,
            script="login.lua",
            base=BASE,
        )
    return {
        "logins_per_s": flood["rps"],
        "p99_ms": flood["p99_ms"],
        "non_2xx": flood["non_2xx"],
    }


PAYMENTS_PER_RUN = 15000  # more than one API process credits in a run


@contextmanager
def server(mode: str, env: dict[str, str]) -> Iterator[None]:
    process = _start(COMMANDS[mode], env)
    try:
        _wait_for(BASE + "/health")
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def requests(mode: str, env: dict[str, str], duration: int) -> dict[str, float]:
    """`/health` then `/auth/me`, 32 connections each, on one server."""
    with server(mode, env):
        health = wrk("/health", connections=32, duration=duration, base=BASE)
        me = wrk(
            "/api/v1/auth/me",
            connections=32,
            duration=duration,
            headers=_customer_headers(),
            base=BASE,
        )
    return {
        "health_rps": health["rps"],
        "rps": me["rps"],
        "p99_ms": me["p99_ms"],
    }


def ingestion(
    mode: str,
    env: dict[str, str],
    dsn: str,
    token: str,
    payments: list[dict[str, Any]],
    duration: int,
) -> dict[str, float]:
    with server(mode, env):
        paid_before = asyncio.run(credited(dsn))[0]
        figures = ingest(token, payments, duration)
        paid = asyncio.run(credited(dsn))[0] - paid_before
    # The next run starts on a settled database, not on this one's cleanup.
    asyncio.run(admin_sql("CHECKPOINT"))
    return {
        "paid_per_s": round(paid / duration, 1),
        "p99_ms": figures.get("p99_ms", 0.0),
        "ran_out": float(paid >= len(payments)),
    }


def alternating(
    runs: int, measure: Callable[[str], dict[str, float]]
) -> dict[str, Any]:
    """`runs` rounds of on and off, the order swapped every round."""
    figures: dict[str, list[dict[str, float]]] = {"on": [], "off": []}
    for round_ in range(runs):
        for mode in ("on", "off") if round_ % 2 == 0 else ("off", "on"):
            figures[mode].append(measure(mode))
    medians = {
        mode: {k: statistics.median(r[k] for r in found) for k in found[0]}
        for mode, found in figures.items()
    }
    return {"medians": medians, "runs": figures}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is required (apt-get install wrk)")
    name = f"cybervpn_bench_{uuid.uuid4().hex[:8]}"
    asyncio.run(admin_sql(f'CREATE DATABASE "{name}"'))
    database = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    dsn = f"postgresql://postgres@127.0.0.1:5432/{name}"
    token = f"bench:{secrets.token_hex(16)}"
    results: dict[str, Any] = {}
    sandboxes: subprocess.Popen[bytes] | None = None
    try:
        migrator.upgrade(database)
        with tempfile.TemporaryDirectory() as data_dir:
            env = {
                **_environment(database, data_dir, token, api_processes=1),
                **ARGON2,
            }
            sandboxes = start_sandboxes(env, token)
            results["requests"] = alternating(
                args.runs, lambda mode: requests(mode, env, args.duration)
            )
            seed_logins(env)
            results["logins"] = alternating(
                args.runs, lambda mode: logins(mode, env, args.duration)
            )
            _, pending = asyncio.run(seed(dsn, PAYMENTS_PER_RUN * 2 * args.runs))
            slices = iter(
                pending[i : i + PAYMENTS_PER_RUN]
                for i in range(0, len(pending), PAYMENTS_PER_RUN)
            )
            results["webhook_ingestion"] = alternating(
                args.runs,
                lambda mode: ingestion(
                    mode, env, dsn, token, next(slices), args.duration
                ),
            )
    finally:
        if sandboxes is not None:
            sandboxes.terminate()
            sandboxes.wait(timeout=30)
        asyncio.run(admin_sql(f'DROP DATABASE "{name}" WITH (FORCE)'))
    results["on_over_off"] = {
        "health_rps": _ratio(results["requests"], "health_rps"),
        "auth_me_rps": _ratio(results["requests"], "rps"),
        "logins_per_s": _ratio(results["logins"], "logins_per_s"),
        "webhooks_paid_per_s": _ratio(results["webhook_ingestion"], "paid_per_s"),
    }
    print(json.dumps(results, indent=2))


def _ratio(figures: dict[str, Any], key: str) -> float:
    medians: dict[str, dict[str, float]] = figures["medians"]
    return round(medians["on"][key] / medians["off"][key], 3)


if __name__ == "__main__":
    main()
