"""Sign-up, login, refresh rotation, logout and password change over HTTP."""

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from cybervpn.config import SecuritySettings
from cybervpn.infrastructure.persistence.models import AccountModel
from cybervpn.presentation.http.container import Container
from tests.helpers import API, PASSWORD, bearer, login, register, signed_up_tokens

pytestmark = pytest.mark.integration


async def test_register_normalises_email_and_never_returns_the_hash(
    client: httpx.AsyncClient,
) -> None:
    response = await register(client, "  Mixed.Case@Example.COM ")
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "mixed.case@example.com"
    assert body["role"] == "customer"
    assert "password" not in str(body) and "hash" not in str(body)


async def test_register_twice_with_same_email_in_other_case_conflicts(
    client: httpx.AsyncClient,
) -> None:
    assert (await register(client, "dup@example.com")).status_code == 201
    again = await register(client, "DUP@example.com")
    assert again.status_code == 409
    assert again.json() == {
        "detail": "Email is already registered",
        "code": "email_taken",
    }


async def test_register_cannot_choose_a_role(client: httpx.AsyncClient) -> None:
    response = await register(client, "sneaky@example.com", role="super_admin")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "role"]


async def test_short_password_is_refused_without_echoing_it(
    client: httpx.AsyncClient,
) -> None:
    response = await register(client, "short@example.com", password="abc1234")
    assert response.status_code == 422
    assert "abc1234" not in response.text
    assert set(response.json()["detail"][0]) == {"loc", "msg", "type"}


async def test_overlong_password_is_refused(client: httpx.AsyncClient) -> None:
    response = await register(client, "long@example.com", password="x" * 129)
    assert response.status_code == 422


@pytest.mark.parametrize("case", ["unknown", "wrong_password", "inactive"])
async def test_every_login_failure_looks_the_same(
    client: httpx.AsyncClient, app: Any, case: str
) -> None:
    await register(client, "victim@example.com")
    if case == "inactive":
        container: Container = app.state.container
        async with container.session_factory() as session:
            row = await session.scalar(select(AccountModel))
            assert row is not None
            row.is_active = False
            await session.commit()
    email = "nobody@example.com" if case == "unknown" else "victim@example.com"
    password = "not the password" if case == "wrong_password" else PASSWORD
    response = await login(client, email, password)
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Invalid credentials",
        "code": "invalid_credentials",
    }
    assert response.headers["www-authenticate"] == "Bearer"


async def test_login_upgrades_a_hash_made_with_older_parameters(
    client: httpx.AsyncClient, app: Any, client_factory: Any, settings: Any
) -> None:
    await register(client, "legacy@example.com")
    container: Container = app.state.container

    async def stored_hash() -> str:
        async with container.session_factory() as session:
            value: str | None = await session.scalar(select(AccountModel.password_hash))
            assert value is not None
            return value

    before = await stored_hash()
    stronger = settings.security.model_copy(update={"password_hash_time_cost": 2})
    assert isinstance(stronger, SecuritySettings)
    async with client_factory(security=stronger) as (_, upgraded_client):
        assert (await login(upgraded_client, "legacy@example.com")).status_code == 200
    after = await stored_hash()
    assert after != before
    assert "t=2" in after and "t=1" in before
    assert (await login(client, "legacy@example.com")).status_code == 200


async def test_refresh_rotates_and_reuse_revokes_the_whole_family(
    client: httpx.AsyncClient,
) -> None:
    first = await signed_up_tokens(client, "rotate@example.com")
    second = (
        await client.post(
            f"{API}/auth/refresh", json={"refresh_token": first["refresh_token"]}
        )
    ).json()
    third = (
        await client.post(
            f"{API}/auth/refresh", json={"refresh_token": second["refresh_token"]}
        )
    ).json()
    assert third["access_token"]

    replay = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert replay.status_code == 401
    assert replay.json()["code"] == "invalid_token"
    latest = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": third["refresh_token"]}
    )
    assert latest.status_code == 401
    me = await client.get(f"{API}/auth/me", headers=bearer(third["access_token"]))
    assert me.status_code == 401


async def test_unknown_refresh_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{API}/auth/refresh", json={"refresh_token": "nope"})
    assert response.status_code == 401


async def test_logout_all_ends_every_session(client: httpx.AsyncClient) -> None:
    phone = await signed_up_tokens(client, "many@example.com")
    laptop = (await login(client, "many@example.com")).json()
    response = await client.post(
        f"{API}/auth/logout-all", headers=bearer(laptop["access_token"])
    )
    assert response.status_code == 204
    for tokens in (phone, laptop):
        me = await client.get(f"{API}/auth/me", headers=bearer(tokens["access_token"]))
        assert me.status_code == 401


async def test_logout_with_unknown_token_is_accepted(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{API}/auth/logout", json={"refresh_token": "unknown"}
    )
    assert response.status_code == 204


async def test_change_password_keeps_this_session_and_ends_the_others(
    client: httpx.AsyncClient,
) -> None:
    other = await signed_up_tokens(client, "changer@example.com")
    current = (await login(client, "changer@example.com")).json()

    wrong = await client.post(
        f"{API}/auth/change-password",
        json={
            "current_password": "not it at all",
            "new_password": "a brand new secret",
        },
        headers=bearer(current["access_token"]),
    )
    assert wrong.status_code == 422
    assert wrong.json()["code"] == "wrong_password"

    changed = await client.post(
        f"{API}/auth/change-password",
        json={"current_password": PASSWORD, "new_password": "a brand new secret"},
        headers=bearer(current["access_token"]),
    )
    assert changed.status_code == 204
    assert (
        await client.get(f"{API}/auth/me", headers=bearer(current["access_token"]))
    ).status_code == 200
    assert (
        await client.get(f"{API}/auth/me", headers=bearer(other["access_token"]))
    ).status_code == 401
    assert (await login(client, "changer@example.com")).status_code == 401
    assert (
        await login(client, "changer@example.com", "a brand new secret")
    ).status_code == 200


async def test_me_without_a_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/auth/me")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Invalid or expired token",
        "code": "invalid_token",
    }
