"""Bodies of the GitHub and Google sign-in and link flows."""

from typing import Annotated

from pydantic import BaseModel, Field

from cybervpn.presentation.http.identity.telegram_schemas import ReferralCode
from cybervpn.presentation.http.request_body import StrictBody

RedirectUri = Annotated[str, Field(min_length=1, max_length=2048)]


class AuthorizationUrl(BaseModel):
    authorization_url: str


class OAuthCallback(StrictBody):
    """What the provider sent back to the redirect URI. The client checks that
    `state` is the one its own flow started before posting it."""

    code: Annotated[str, Field(min_length=1, max_length=2048)]
    state: Annotated[str, Field(min_length=1, max_length=256)]


class OAuthSignInCallback(OAuthCallback):
    referral_code: ReferralCode = None


class LinkAuthorizeRequest(StrictBody):
    redirect_uri: RedirectUri
