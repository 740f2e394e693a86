"""Liveness and readiness probes, at the root (not rate limited)."""

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from cybervpn.presentation.http.dependencies import ContainerDep

router = APIRouter(tags=["health"])
CHECK_TIMEOUT_SECONDS = 2.0


_ALIVE = b'{"status":"ok"}'


@router.get(
    "/health",
    response_class=Response,
    responses={200: {"content": {"application/json": {"example": {"status": "ok"}}}}},
    summary="Liveness probe",
)
async def liveness() -> Response:
    """The process is up. Says nothing about dependencies, on purpose.

    A fixed body: load balancers call this often, so it skips serialization.
    """
    return Response(_ALIVE, media_type="application/json")


@router.get(
    "/ready",
    responses={503: {"description": "A dependency is unavailable"}},
    summary="Readiness probe: database, Redis, panel",
)
async def readiness(container: ContainerDep) -> JSONResponse:
    """Ready to serve: the database answers, and Redis when it is configured.

    The VPN panel is reported but does not make us unready: without it only the
    fleet routes fail (503), and taking the whole API out of rotation would turn a
    panel outage into a full outage.
    """
    checks = {"database": await _check(_database(container))}
    if container.redis is not None:
        checks["redis"] = await _check(container.redis.ping())
    is_ready = all(state == "ok" for state in checks.values())
    checks["vpn_panel"] = await _check(container.vpn_panel.panel.stats.ping())
    return JSONResponse(
        {"status": "ready" if is_ready else "unavailable", "checks": checks},
        status_code=200 if is_ready else 503,
    )


async def _database(container: ContainerDep) -> None:
    async with container.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def _check(probe: object) -> str:
    try:
        await asyncio.wait_for(probe, CHECK_TIMEOUT_SECONDS)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return "unavailable"
    return "ok"
