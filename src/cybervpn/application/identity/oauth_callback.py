"""The callback of a GitHub or Google flow: its state redeemed, then who the
provider says the code belongs to."""

from uuid import UUID

from cybervpn.application.identity.oauth import (
    OAuthFlow,
    OAuthProviders,
    OAuthStates,
)
from cybervpn.application.identity.proved_identity import ProvedIdentity
from cybervpn.domain.identity.errors import (
    OAuthFailedError,
    OAuthProviderUnavailableError,
)
from cybervpn.domain.identity.identity import OAuthProvider

# What OAuthProviders.identify raises: passed on to the caller (and listed in the
# OpenAPI document from here).
IDENTIFY_ERRORS = (OAuthFailedError, OAuthProviderUnavailableError)


async def prove_callback(
    states: OAuthStates,
    providers: OAuthProviders,
    provider: OAuthProvider,
    *,
    code: str,
    state: str,
    link_account_id: UUID | None,
) -> ProvedIdentity:
    """The flow `state` names is redeemed once, and must be this provider's and of
    this kind (a sign-in, or a link for this very account); then the provider
    vouches for the code's user."""
    subject = await states.redeem(state)
    if subject is None:
        raise OAuthFailedError
    flow = OAuthFlow.load(subject)
    if flow.provider is not provider or flow.link_account_id != link_account_id:
        raise OAuthFailedError
    return await providers.identify(provider, code=code, flow=flow)
