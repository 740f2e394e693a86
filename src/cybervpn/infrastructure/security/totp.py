"""TOTP (RFC 6238) with pyotp: SHA-1, 6 digits, 30 s steps, one step of drift."""

import pyotp


class PyotpTotp:
    def __init__(self, issuer: str) -> None:
        self._issuer = issuer

    def new_secret(self) -> str:
        return pyotp.random_base32()  # 160 bits from a CSPRNG

    def provisioning_uri(self, secret: str, account_name: str) -> str:
        uri: str = pyotp.TOTP(secret).provisioning_uri(
            name=account_name, issuer_name=self._issuer
        )
        return uri

    def matching_timecode(self, secret: str, code: str) -> int | None:
        try:
            timecode: int = pyotp.TOTP(secret).verify_and_get_timecode(
                code, valid_window=1
            )
        except pyotp.OTPVerificationError:
            return None
        return timecode
