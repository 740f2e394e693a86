"""GET /metrics: what Prometheus scrapes (the worker serves the same itself)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Header
from fastapi.responses import Response

from cybervpn.domain.identity.errors import InvalidTokenError
from cybervpn.infrastructure.metrics.access import scrape_allowed
from cybervpn.infrastructure.metrics.exposition import (
    CONTENT_TYPE,
    backlog_families,
    render,
)
from cybervpn.presentation.http.dependencies import ContainerDep
from cybervpn.presentation.http.metrics.requests import REQUEST_LATENCIES
from cybervpn.presentation.http.metrics.use_cases import ReadBacklogDep

router = APIRouter(tags=["health"])


async def require_metrics_token(
    container: ContainerDep,
    authorization: Annotated[str | None, Header(max_length=512)] = None,
) -> None:
    """`Authorization: Bearer <METRICS_TOKEN>`; without a token configured (which
    only development allows) the endpoint is open."""
    token = container.settings.observability.metrics_token
    if not scrape_allowed(authorization, token.get_secret_value() if token else None):
        raise InvalidTokenError


@router.get(
    "/metrics",
    response_class=Response,
    dependencies=[Depends(require_metrics_token)],
    responses={
        200: {"content": {"text/plain": {"example": "cybervpn_paid_unprovisioned 0"}}}
    },
    summary="Prometheus metrics",
)
async def metrics(backlog: ReadBacklogDep, container: ContainerDep) -> Response:
    """Every process's counters and histograms, and the backlog read from the
    database now: background jobs not done, payments paid but not provisioned."""
    families = backlog_families(await backlog.execute(), container.clock.now())
    REQUEST_LATENCIES.flush()  # this process's last second too
    return Response(render(families), media_type=CONTENT_TYPE)
