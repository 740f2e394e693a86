"""Small steps that many tests take: sign up, log in, make staff, read TOTP codes."""

import time
from typing import Any

import httpx
import pyotp
from fastapi import FastAPI

from cybervpn.application.identity.create_account import CreateAccount
from cybervpn.domain.audit.entry import AuditOrigin
from cybervpn.domain.identity.roles import Role
from cybervpn.infrastructure.persistence.unit_of_work import SqlUnitOfWork
from cybervpn.presentation.http.container import Container

API = "/api/v1"
PASSWORD = "correct horse battery staple"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def register(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD, **extra: Any
) -> httpx.Response:
    return await client.post(
        f"{API}/auth/register", json={"email": email, "password": password, **extra}
    )


async def login(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD
) -> httpx.Response:
    return await client.post(
        f"{API}/auth/login", json={"email": email, "password": password}
    )


async def signed_up_tokens(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD
) -> dict[str, Any]:
    assert (await register(client, email, password)).status_code == 201
    response = await login(client, email, password)
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


async def create_staff(
    app: FastAPI, email: str, role: Role, password: str = PASSWORD
) -> None:
    """Staff are created the way the console does it (there is no self sign-up)."""
    container: Container = app.state.container
    async with container.session_factory() as session:
        await CreateAccount(
            uow=SqlUnitOfWork(session),
            hasher=container.password_hasher,
            clock=container.clock,
        ).execute(
            actor=None, email=email, password=password, role=role, origin=AuditOrigin()
        )


async def staff_tokens(
    app: FastAPI, client: httpx.AsyncClient, email: str, role: Role
) -> dict[str, Any]:
    await create_staff(app, email, role)
    response = await login(client, email)
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


def totp_code(secret: str, step_offset: int = 0) -> str:
    code: str = pyotp.TOTP(secret).at(time.time() + 30 * step_offset)
    return code


async def enable_two_factor(
    client: httpx.AsyncClient, access_token: str, password: str = PASSWORD
) -> tuple[str, list[str]]:
    """Turn 2FA on; returns the secret and the backup codes."""
    setup = await client.post(
        f"{API}/2fa/setup", json={"password": password}, headers=bearer(access_token)
    )
    assert setup.status_code == 200, setup.text
    secret: str = setup.json()["secret"]
    enabled = await client.post(
        f"{API}/2fa/enable",
        json={"code": totp_code(secret)},
        headers=bearer(access_token),
    )
    assert enabled.status_code == 200, enabled.text
    codes: list[str] = enabled.json()["backup_codes"]
    return secret, codes
