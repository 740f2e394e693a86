"""Sign in with GitHub and Google, and link them: the code goes back only to a
registered redirect URI, each flow's state works once and only for its own kind and
provider, PKCE binds the code to the flow, Google's id_token must be signed for us
with the flow's nonce, and a provider's e-mail never takes over an account whose
own e-mail nobody proved."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from sqlalchemy import update

from cybervpn.infrastructure.persistence.models.identity import AccountModel
from tests.helpers import API, bearer, register, signed_up_tokens
from tests.oauth_provider import REDIRECT_URI, FakeProviders

pytestmark = pytest.mark.integration
FAILED = {
    "detail": "Sign-in with the provider failed; start again",
    "code": "oauth_failed",
}
OCTOCAT = {
    "id": 583231,
    "login": "octocat",
    "emails": [
        {"email": "old@example.com", "primary": False, "verified": True},
        {"email": "Octo@Example.com", "primary": True, "verified": True},
    ],
}
ALICE = {"sub": "109876543210", "email": "alice@example.com", "email_verified": True}


@pytest.fixture
def providers() -> Iterator[FakeProviders]:
    fake = FakeProviders()
    with respx.mock(assert_all_called=False, assert_all_mocked=False) as router:
        fake.install(router)
        yield fake


async def _authorize(client: httpx.AsyncClient, provider: str) -> str:
    answer = await client.get(
        f"{API}/auth/oauth/{provider}/authorize",
        params={"redirect_uri": REDIRECT_URI},
    )
    assert answer.status_code == 200, answer.text
    url: str = answer.json()["authorization_url"]
    return url


async def _callback(
    client: httpx.AsyncClient, provider: str, code: str, state: str
) -> httpx.Response:
    return await client.post(
        f"{API}/auth/oauth/{provider}/callback", json={"code": code, "state": state}
    )


async def _sign_in(
    client: httpx.AsyncClient,
    providers: FakeProviders,
    provider: str,
    user: dict[str, Any],
    **consent: Any,
) -> httpx.Response:
    code, state = providers.consent(await _authorize(client, provider), user, **consent)
    return await _callback(client, provider, code, state)


async def _me(client: httpx.AsyncClient, answer: httpx.Response) -> dict[str, Any]:
    headers = bearer(answer.json()["access_token"])
    me: dict[str, Any] = (await client.get(f"{API}/auth/me", headers=headers)).json()
    return me


async def test_a_github_user_gets_an_account_then_signs_in_to_it(
    client: httpx.AsyncClient, providers: FakeProviders
) -> None:
    url = await _authorize(client, "github")
    query = parse_qs(urlsplit(url).query)
    assert query["redirect_uri"] == [REDIRECT_URI]
    assert query["code_challenge_method"] == ["S256"] and "nonce" not in query

    first = await _sign_in(client, providers, "github", OCTOCAT)
    assert first.status_code == 200, first.text
    assert first.json()["created"] is True
    me = await _me(client, first)
    assert me["email"] == "octo@example.com"  # the verified primary one
    again = await _sign_in(client, providers, "github", OCTOCAT)
    assert again.json()["created"] is False
    assert (await _me(client, again))["id"] == me["id"]
    listed = await client.get(
        f"{API}/auth/identities", headers=bearer(again.json()["access_token"])
    )
    assert [
        (i["provider"], i["provider_user_id"], i["username"]) for i in listed.json()
    ] == [("github", "583231", "octocat")]


async def test_a_state_works_once_for_its_own_provider_and_kind(
    client: httpx.AsyncClient, providers: FakeProviders
) -> None:
    code, state = providers.consent(await _authorize(client, "github"), OCTOCAT)
    other_provider = await _callback(client, "google", code, state)
    assert (other_provider.status_code, other_provider.json()) == (401, FAILED)
    # That attempt used the state up.
    assert (await _callback(client, "github", code, state)).status_code == 401

    code, state = providers.consent(await _authorize(client, "github"), OCTOCAT)
    assert (await _callback(client, "github", code, "made-up-state")).status_code == 401
    assert (await _callback(client, "github", code, state)).status_code == 200
    reused = await _callback(client, "github", code, state)
    assert (reused.status_code, reused.json()) == (401, FAILED)

    # A sign-in's state does not finish a link, nor the other way round.
    access = (await signed_up_tokens(client, "kinds@example.com"))["access_token"]
    code, state = providers.consent(await _authorize(client, "github"), OCTOCAT)
    as_link = await client.post(
        f"{API}/auth/identities/github/callback",
        json={"code": code, "state": state},
        headers=bearer(access),
    )
    assert as_link.status_code == 401


async def test_pkce_binds_the_code_to_the_flow_that_asked_for_it(
    client: httpx.AsyncClient, providers: FakeProviders
) -> None:
    stolen_code, _ = providers.consent(await _authorize(client, "github"), OCTOCAT)
    _, own_state = providers.consent(await _authorize(client, "github"), OCTOCAT)
    # The attacker's own flow, with a code issued for another flow's challenge.
    injected = await _callback(client, "github", stolen_code, own_state)
    assert (injected.status_code, injected.json()) == (401, FAILED)


async def test_only_registered_redirect_uris_and_known_providers(
    client: httpx.AsyncClient,
) -> None:
    elsewhere = await client.get(
        f"{API}/auth/oauth/github/authorize",
        params={"redirect_uri": "https://evil.example/callback"},
    )
    assert elsewhere.status_code == 422
    assert elsewhere.json()["code"] == "redirect_uri_not_allowed"
    for provider in ("telegram", "facebook"):
        unknown = await client.get(
            f"{API}/auth/oauth/{provider}/authorize",
            params={"redirect_uri": REDIRECT_URI},
        )
        assert unknown.status_code == 422, provider


async def test_a_google_id_token_must_be_ours_signed_and_carry_the_nonce(
    client: httpx.AsyncClient, providers: FakeProviders
) -> None:
    url = await _authorize(client, "google")
    assert parse_qs(urlsplit(url).query)["nonce"]
    stranger_key = rsa.generate_private_key(65537, 2048)
    for tampering in (
        {"id_token_changes": {"nonce": "another-flows-nonce"}},
        {"id_token_changes": {"nonce": None}},
        {"id_token_changes": {"aud": "someone-else.apps.googleusercontent.com"}},
        {"id_token_changes": {"iss": "https://accounts.evil.example"}},
        {"id_token_changes": {"exp": 1_000_000_000}},
        {"signing_key": stranger_key},
    ):
        refused = await _sign_in(client, providers, "google", ALICE, **tampering)
        assert (refused.status_code, refused.json()) == (401, FAILED), tampering
    good = await _sign_in(client, providers, "google", ALICE)
    assert good.status_code == 200 and good.json()["created"] is True
    assert (await _me(client, good))["email"] == "alice@example.com"


async def test_a_provider_email_never_takes_over_an_unproved_account(
    app: FastAPI, client: httpx.AsyncClient, providers: FakeProviders
) -> None:
    # Someone registered the e-mail first (typed in, never proved).
    assert (await register(client, "alice@example.com")).status_code == 201
    refused = await _sign_in(client, providers, "google", ALICE)
    assert refused.status_code == 409
    assert refused.json()["code"] == "account_exists_sign_in_to_link"

    async with app.state.container.session_factory() as session:
        await session.execute(
            update(AccountModel)
            .where(AccountModel.email == "alice@example.com")
            .values(email_verified_at=datetime.now(UTC))
        )
        await session.commit()
    linked = await _sign_in(client, providers, "google", ALICE)
    assert linked.status_code == 200 and linked.json()["created"] is False
    assert (await _me(client, linked))["email"] == "alice@example.com"


async def test_an_unverified_provider_email_is_not_taken_as_the_accounts(
    client: httpx.AsyncClient, providers: FakeProviders
) -> None:
    assert (await register(client, "bob@example.com")).status_code == 201
    unverified = {
        "id": 777,
        "login": "bob-gh",
        "emails": [{"email": "bob@example.com", "primary": True, "verified": False}],
    }
    answer = await _sign_in(client, providers, "github", unverified)
    assert answer.status_code == 200 and answer.json()["created"] is True
    assert (await _me(client, answer))["email"] is None
    google_unverified = ALICE | {"sub": "5", "email": "bob@example.com"}
    google_unverified["email_verified"] = False
    answer = await _sign_in(client, providers, "google", google_unverified)
    assert answer.status_code == 200 and (await _me(client, answer))["email"] is None


async def test_a_signed_in_customer_links_github_and_no_one_else_can(
    client: httpx.AsyncClient, providers: FakeProviders
) -> None:
    access = (await signed_up_tokens(client, "linker@example.com"))["access_token"]
    other = (await signed_up_tokens(client, "other@example.com"))["access_token"]

    async def start(token: str) -> str:
        answer = await client.post(
            f"{API}/auth/identities/github/authorize",
            json={"redirect_uri": REDIRECT_URI},
            headers=bearer(token),
        )
        assert answer.status_code == 200, answer.text
        url: str = answer.json()["authorization_url"]
        return url

    async def finish(token: str, code: str, state: str) -> httpx.Response:
        return await client.post(
            f"{API}/auth/identities/github/callback",
            json={"code": code, "state": state},
            headers=bearer(token),
        )

    code, state = providers.consent(await start(access), OCTOCAT)
    # Another account cannot finish this account's link.
    assert (await finish(other, code, state)).status_code == 401
    code, state = providers.consent(await start(access), OCTOCAT)
    linked = await finish(access, code, state)
    assert linked.status_code == 200, linked.text
    assert linked.json()["provider"] == "github"
    assert linked.json()["email"] == "Octo@Example.com"
    me = await client.get(f"{API}/auth/me", headers=bearer(access))
    assert me.json()["email"] == "linker@example.com"  # the account's own stays

    code, state = providers.consent(await start(other), OCTOCAT)
    taken = await finish(other, code, state)
    assert taken.status_code == 409 and taken.json()["code"] == "identity_taken"
    signed_in = await _sign_in(client, providers, "github", OCTOCAT)
    assert (await _me(client, signed_in))["id"] == me.json()["id"]


async def test_a_provider_outage_is_a_503_and_nothing_is_created(
    client: httpx.AsyncClient, providers: FakeProviders
) -> None:
    providers.down = True
    for provider, user in (("github", OCTOCAT), ("google", ALICE)):
        answer = await _sign_in(client, providers, provider, user)
        assert answer.status_code == 503
        assert answer.json()["code"] == "oauth_provider_unavailable"
    providers.down = False
    assert (await _sign_in(client, providers, "github", OCTOCAT)).json()["created"]
