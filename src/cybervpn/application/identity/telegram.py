"""What the identity use cases need to trust a Telegram sign-in."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from cybervpn.application.identity.proved_identity import ProvedIdentity
from cybervpn.domain.identity.identity import IdentityProvider


@dataclass(frozen=True, slots=True)
class TelegramUser:
    """A Telegram user whose sign-in data Telegram signed for our bot."""

    id: int
    username: str | None = None
    first_name: str | None = None
    language_code: str | None = None
    # Mini App only: the `startapp` parameter (a referral code, say).
    start_param: str | None = None
    # Login Widget only: the data is accepted once; this names it.
    replay_key: str | None = None

    def proved(self) -> ProvedIdentity:
        return ProvedIdentity(
            provider=IdentityProvider.TELEGRAM,
            provider_user_id=str(self.id),
            username=self.username,
            language_code=self.language_code,
        )


class TelegramLoginVerifier(Protocol):
    def mini_app(self, init_data: str) -> TelegramUser:
        """The user of a Mini App's raw `initData`; TelegramAuthInvalidError when
        the signature, the key, the age or the shape does not hold."""
        ...

    def widget(self, fields: Mapping[str, str]) -> TelegramUser:
        """The user of the Login Widget's fields, as received."""
        ...
