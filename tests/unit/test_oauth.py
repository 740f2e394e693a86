"""GitHub and Google sign-in, below HTTP: the settings a deployment needs, PKCE's
challenge (RFC 7636's own example), and a flow kept between start and callback."""

from uuid import uuid4

import pytest

from cybervpn.application.identity.oauth import OAuthFlow
from cybervpn.application.identity.start_oauth import StartOAuth
from cybervpn.config import OAuthSettings
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.errors import (
    OAuthProviderNotConfiguredError,
    StaffAccountError,
)
from cybervpn.domain.identity.identity import OAuthProvider
from cybervpn.domain.identity.roles import Role
from cybervpn.infrastructure.oauth.providers import OAuthGateway, connect_oauth, s256
from cybervpn.infrastructure.security.tickets import MemoryTicketStore
from tests.oauth_provider import REDIRECT_URI, SETTINGS
from tests.unit.fakes import FakeClock

pytestmark = pytest.mark.unit


def test_pkce_s256_matches_rfc_7636_appendix_b() -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert s256(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_a_flow_survives_the_round_trip_through_the_store() -> None:
    for link in (None, uuid4()):
        flow = OAuthFlow(
            provider=OAuthProvider.GOOGLE,
            redirect_uri=REDIRECT_URI,
            code_verifier="v" * 86,
            nonce="n",
            link_account_id=link,
        )
        assert OAuthFlow.load(flow.dump()) == flow


def test_a_provider_needs_its_secret_and_redirect_uris() -> None:
    half = OAuthSettings(github_client_id="id", github_client_secret=None)
    problems = "\n".join(half.problems())
    assert "GITHUB_CLIENT_SECRET is required" in problems
    assert "OAUTH_REDIRECT_URIS is required" in problems
    assert SETTINGS.problems() == []
    assert OAuthSettings().problems() == []  # off entirely: fine


async def test_an_unconfigured_provider_and_staff_links_are_refused() -> None:
    unconfigured = StartOAuth(
        providers=OAuthGateway({}),
        states=MemoryTicketStore(),
        allowed_redirect_uris=[REDIRECT_URI],
    )
    with pytest.raises(OAuthProviderNotConfiguredError):
        await unconfigured.execute(OAuthProvider.GITHUB, redirect_uri=REDIRECT_URI)

    gateway, http = connect_oauth(SETTINGS)
    configured = StartOAuth(
        providers=gateway,
        states=MemoryTicketStore(),
        allowed_redirect_uris=[REDIRECT_URI],
    )
    staff = Account.open(
        email="ops@example.com",
        password_hash="x",
        role=Role.OPERATOR,
        now=FakeClock().now(),
    )
    with pytest.raises(StaffAccountError):
        await configured.execute(
            OAuthProvider.GITHUB, redirect_uri=REDIRECT_URI, link_to=staff
        )
    await http.aclose()
