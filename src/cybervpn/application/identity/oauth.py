"""What signing in with GitHub or Google needs: the providers, and somewhere to
keep a flow between its start and its callback."""

import json
from dataclasses import asdict, dataclass
from typing import Protocol
from uuid import UUID

from cybervpn.application.identity.proved_identity import ProvedIdentity
from cybervpn.domain.identity.identity import OAuthProvider

# How long a started sign-in may take before its callback (the provider's code
# itself lives 10 minutes).
OAUTH_FLOW_SECONDS = 600


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowSecrets:
    """PKCE's verifier (its S256 challenge goes to the provider) and, for OpenID
    Connect, the nonce the id_token must carry."""

    code_verifier: str
    nonce: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OAuthFlow:
    """A started sign-in (or link, for `link_account_id`), kept server-side under
    its `state` until the callback redeems it, once."""

    provider: OAuthProvider
    redirect_uri: str
    code_verifier: str
    nonce: str | None
    link_account_id: UUID | None

    def dump(self) -> str:
        fields = asdict(self)
        fields["link_account_id"] = (
            None if self.link_account_id is None else str(self.link_account_id)
        )
        return json.dumps(fields)

    @classmethod
    def load(cls, text: str) -> "OAuthFlow":
        fields = json.loads(text)
        link = fields.pop("link_account_id")
        return cls(
            **fields | {"provider": OAuthProvider(fields["provider"])},
            link_account_id=None if link is None else UUID(link),
        )


class OAuthStates(Protocol):
    """Single-use, expiring tickets: the `state` of each flow."""

    async def issue(self, subject: str, ttl_seconds: int) -> str: ...
    async def redeem(self, ticket: str) -> str | None: ...


class OAuthProviders(Protocol):
    def is_configured(self, provider: OAuthProvider) -> bool: ...

    def new_secrets(self, provider: OAuthProvider) -> FlowSecrets: ...

    async def authorization_url(
        self,
        provider: OAuthProvider,
        *,
        redirect_uri: str,
        state: str,
        flow_secrets: FlowSecrets,
    ) -> str: ...

    async def identify(
        self, provider: OAuthProvider, *, code: str, flow: OAuthFlow
    ) -> ProvedIdentity:
        """Who the code belongs to, as the provider vouches for it (the id_token's
        signature, issuer, audience, expiry and nonce for Google). Raises one of
        `oauth_callback.IDENTIFY_ERRORS`."""
        ...
