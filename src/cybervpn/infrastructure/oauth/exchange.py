"""The OAuth 2 code exchange (httpx-oauth) over our own HTTP client, and how its
failures map to ours."""

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
from httpx_oauth.oauth2 import BaseOAuth2, GetAccessTokenError

from cybervpn.domain.identity.errors import (
    OAuthFailedError,
    OAuthProviderUnavailableError,
)


class CodeExchange(BaseOAuth2[dict[str, Any]]):
    """httpx-oauth's client, on the pooled client with our timeouts."""

    def __init__(self, http: httpx.AsyncClient, **options: Any) -> None:
        super().__init__(**options)
        self._http = http

    @contextlib.asynccontextmanager
    async def _shared(self) -> AsyncIterator[httpx.AsyncClient]:
        yield self._http  # the client outlives the exchange: never closed here

    def get_httpx_client(
        self,
    ) -> contextlib.AbstractAsyncContextManager[httpx.AsyncClient]:
        return self._shared()

    async def access_token(
        self, code: str, redirect_uri: str, verifier: str
    ) -> dict[str, Any]:
        """The token response; a refused code (GitHub refuses with a 200 and an
        `error`) is OAuthFailedError, an unreachable or failing provider
        OAuthProviderUnavailableError."""
        try:
            token = await self.get_access_token(code, redirect_uri, verifier)
        except GetAccessTokenError as error:
            raise provider_error(error.response) from error
        if not isinstance(token.get("access_token"), str):
            raise OAuthFailedError
        return dict(token)


def provider_error(response: httpx.Response | None) -> Exception:
    """No answer or a 5xx: the provider is down. Any other refusal: this sign-in
    failed."""
    if response is None or response.status_code >= 500:
        return OAuthProviderUnavailableError()
    return OAuthFailedError()


async def get_json(http: httpx.AsyncClient, url: str, access_token: str) -> Any:
    try:
        response = await http.get(
            url,
            headers={
                "Authorization": f"Bearer {access_token}",
                "Accept": "application/json",
            },
        )
    except httpx.HTTPError as error:
        raise OAuthProviderUnavailableError from error
    if response.status_code != 200:
        raise provider_error(response)
    try:
        return response.json()
    except ValueError as error:
        raise OAuthFailedError from error
