"""Where a server is on the map. The panel knows only a country code, so the exact
position is ours, kept per panel node."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from cybervpn.domain.common.errors import BusinessRuleError


class InvalidGeolocationError(BusinessRuleError):
    code = "invalid_geolocation"
    default_message = (
        "Give an ISO 3166-1 alpha-2 country code, "
        "a latitude in [-90, 90] and a longitude in [-180, 180]"
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Geolocation:
    country_code: str
    latitude: float
    longitude: float
    city: str | None = None

    def __post_init__(self) -> None:
        if (
            len(self.country_code) != 2
            or not self.country_code.isascii()
            or not self.country_code.isupper()
            or not -90 <= self.latitude <= 90
            or not -180 <= self.longitude <= 180
        ):
            raise InvalidGeolocationError


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerGeolocation:
    server_uuid: UUID
    location: Geolocation
    updated_at: datetime


class ServerGeolocationRepository(Protocol):
    async def get(self, server_uuid: UUID) -> ServerGeolocation | None: ...
    async def get_many(
        self, server_uuids: list[UUID]
    ) -> dict[UUID, ServerGeolocation]: ...
    async def save(self, geolocation: ServerGeolocation) -> None: ...
    async def delete(self, server_uuid: UUID) -> None: ...
