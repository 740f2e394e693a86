"""Shared FastAPI dependencies: container, unit of work, caller, permissions.

Routes declare what they need with these `Annotated` aliases; tests swap any of them
through `app.dependency_overrides`.
"""

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.requests import HTTPConnection

from cybervpn.application.common.pagination import PageRequest
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.authenticate import Authenticate, Caller
from cybervpn.domain.audit.entry import AuditOrigin
from cybervpn.domain.common.errors import PermissionDeniedError
from cybervpn.domain.identity.errors import InvalidTokenError, TwoFactorRequiredError
from cybervpn.domain.identity.roles import Permission
from cybervpn.infrastructure.persistence.unit_of_work import SqlUnitOfWork
from cybervpn.presentation.http.bounds import INT32_MAX
from cybervpn.presentation.http.container import Container


async def get_container(connection: HTTPConnection) -> Container:
    # HTTPConnection, not Request: WebSocket routes resolve it too.
    container: Container = connection.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


async def get_uow(container: ContainerDep) -> AsyncIterator[UnitOfWork]:
    """One session per request; closing it rolls back whatever was not committed."""
    async with container.session_factory() as session:
        yield SqlUnitOfWork(session, container.dispatcher.dispatch)


UowDep = Annotated[UnitOfWork, Depends(get_uow)]


async def get_origin(request: Request) -> AuditOrigin:
    return AuditOrigin(
        ip=request.client.host if request.client else None,
        user_agent=(request.headers.get("user-agent") or "")[:512] or None,
        request_id=request.scope.get("state", {}).get("request_id"),
    )


OriginDep = Annotated[AuditOrigin, Depends(get_origin)]

_bearer = HTTPBearer(auto_error=False, description="Access token from /auth/login")


async def get_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    # Every authenticated request resolves this: it reads the container itself and
    # uses no unit of work, so the dependency graph stays shallow.
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise InvalidTokenError
    container: Container = request.app.state.container
    return await Authenticate(
        lookup=container.account_sessions,
        clock=container.clock,
        access_tokens=container.access_tokens,
    ).execute(credentials.credentials)


CallerDep = Annotated[Caller, Depends(get_caller)]


def require(permission: Permission) -> Any:
    """A dependency that lets through only callers holding `permission`.

    Where staff must use two-factor authentication (production by default), a staff
    account without it is refused until it turns 2FA on.
    """

    async def check(caller: CallerDep, container: ContainerDep) -> Caller:
        if not caller.account.can(permission):
            raise PermissionDeniedError
        return enforce_staff_two_factor(caller, container)

    return Depends(check)


def enforce_staff_two_factor(caller: Caller, container: Container) -> Caller:
    """Where staff must use 2FA, a staff account without it acts on no staff
    route (and on no shared route where it would see more than a customer)."""
    account = caller.account
    if (
        account.role.is_staff
        and container.settings.require_staff_2fa
        and not account.two_factor_enabled
    ):
        raise TwoFactorRequiredError
    return caller


async def get_page(
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=INT32_MAX)] = 0,
) -> PageRequest:
    return PageRequest(limit=limit, offset=offset)


PageDep = Annotated[PageRequest, Depends(get_page)]
