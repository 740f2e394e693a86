"""Rate limits: the default per-IP limit, the auth limits, Redis-down fallback."""

from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY
from redis.asyncio import Redis

from cybervpn.config import HttpSettings, RateLimitSettings, RedisSettings
from tests.conftest import TEST_REDIS_URL
from tests.helpers import API, login, register

pytestmark = pytest.mark.integration


def limits(requests: int = 100, auth_requests: int = 5) -> RateLimitSettings:
    return RateLimitSettings(
        enabled=True, requests=requests, window=60, auth_requests=auth_requests
    )


async def test_default_limit_answers_429_with_retry_after(
    client_factory: Any, redis: Redis
) -> None:
    async with client_factory(rate_limit=limits(requests=3)) as (_, client):
        statuses = [(await client.get(f"{API}/auth/me")).status_code for _ in range(3)]
        limited = await client.get(f"{API}/auth/me")
        probes = [(await client.get("/health")).status_code for _ in range(5)]
    assert statuses == [401, 401, 401]
    assert limited.status_code == 429
    assert limited.json() == {"detail": "Too many requests", "code": "rate_limited"}
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert probes == [200] * 5


async def test_sixth_login_in_a_window_is_refused(
    client_factory: Any, redis: Redis
) -> None:
    async with client_factory(rate_limit=limits()) as (_, client):
        statuses = [
            (await login(client, "target@example.com", "guess number x")).status_code
            for _ in range(6)
        ]
    assert statuses == [401] * 5 + [429]


async def test_one_account_is_protected_across_many_addresses(
    client_factory: Any, redis: Redis
) -> None:
    behind_proxy = HttpSettings(cors_origins=[], trusted_proxies=["203.0.113.10"])
    async with client_factory(rate_limit=limits(), http=behind_proxy) as (_, client):
        statuses = [
            (
                await client.post(
                    f"{API}/auth/login",
                    json={"email": "target@example.com", "password": "guess number x"},
                    headers={"X-Forwarded-For": f"198.51.100.{n}"},
                )
            ).status_code
            for n in range(6)
        ]
    assert statuses == [401] * 5 + [429]


async def test_registration_is_limited_per_address(
    client_factory: Any, redis: Redis
) -> None:
    async with client_factory(rate_limit=limits(auth_requests=2)) as (_, client):
        statuses = [
            (await register(client, f"bulk{n}@example.com")).status_code
            for n in range(3)
        ]
    assert statuses == [201, 201, 429]


async def test_limits_are_shared_between_processes_through_redis(
    client_factory: Any, redis: Redis
) -> None:
    shared = RedisSettings(url=TEST_REDIS_URL)
    async with client_factory(rate_limit=limits(requests=2), redis=shared) as (
        _,
        first,
    ):
        async with client_factory(rate_limit=limits(requests=2), redis=shared) as (
            _,
            second,
        ):
            assert (await first.get(f"{API}/auth/me")).status_code == 401
            assert (await second.get(f"{API}/auth/me")).status_code == 401
            assert (await first.get(f"{API}/auth/me")).status_code == 429
            assert (await second.get(f"{API}/auth/me")).status_code == 429


async def test_redis_down_keeps_serving_with_in_process_limits(
    client_factory: Any,
) -> None:
    down = RedisSettings(url="redis://127.0.0.1:1/0")
    async with client_factory(rate_limit=limits(requests=2), redis=down) as (_, client):
        served = [(await client.get(f"{API}/auth/me")).status_code for _ in range(2)]
        # The sliding window weighs the last window's hits: one request over the
        # limit may still pass when the window turns between the two, never two.
        over = [(await client.get(f"{API}/auth/me")).status_code for _ in range(2)]
        ready = await client.get("/ready")
        fallback = REGISTRY.get_sample_value("cybervpn_rate_limit_fallback")
    assert fallback == 1  # operators see it (an alert rule watches this)
    assert served == [401, 401]
    assert over[-1] == 429
    assert ready.status_code == 503
    assert ready.json()["checks"]["redis"] == "unavailable"


async def test_redis_outage_does_not_block_health(client_factory: Any) -> None:
    down = RedisSettings(url="redis://127.0.0.1:1/0")
    async with client_factory(rate_limit=limits(), redis=down) as (_, client):
        response: httpx.Response = await client.get("/health")
    assert response.status_code == 200


async def test_password_reset_requests_are_limited_per_address(
    client_factory: Any, redis: Redis
) -> None:
    behind_proxy = HttpSettings(cors_origins=[], trusted_proxies=["203.0.113.10"])
    async with client_factory(
        rate_limit=limits(auth_requests=3), http=behind_proxy
    ) as (_, client):
        statuses = [
            (
                await client.post(
                    f"{API}/auth/password/forgot",
                    json={"email": "Target@Example.com"},
                    headers={"X-Forwarded-For": f"198.51.100.{n}"},
                )
            ).status_code
            for n in range(4)
        ]
    assert statuses == [202] * 3 + [429]
