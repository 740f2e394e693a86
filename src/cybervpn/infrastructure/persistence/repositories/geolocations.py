"""Server geolocations in SQL."""

from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from cybervpn.domain.fleet.geolocation import Geolocation, ServerGeolocation
from cybervpn.infrastructure.persistence.models.fleet import ServerGeolocationModel


def _to_entity(row: ServerGeolocationModel) -> ServerGeolocation:
    return ServerGeolocation(
        server_uuid=row.server_uuid,
        location=Geolocation(
            country_code=row.country_code,
            city=row.city,
            latitude=row.latitude,
            longitude=row.longitude,
        ),
        updated_at=row.updated_at,
    )


class SqlServerGeolocationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, server_uuid: UUID) -> ServerGeolocation | None:
        row = await self._session.get(ServerGeolocationModel, server_uuid)
        return None if row is None else _to_entity(row)

    async def get_many(self, server_uuids: list[UUID]) -> dict[UUID, ServerGeolocation]:
        if not server_uuids:
            return {}
        rows = await self._session.scalars(
            select(ServerGeolocationModel).where(
                ServerGeolocationModel.server_uuid.in_(server_uuids)
            )
        )
        return {row.server_uuid: _to_entity(row) for row in rows}

    async def save(self, geolocation: ServerGeolocation) -> None:
        location = geolocation.location
        await self._session.merge(
            ServerGeolocationModel(
                server_uuid=geolocation.server_uuid,
                country_code=location.country_code,
                city=location.city,
                latitude=location.latitude,
                longitude=location.longitude,
                updated_at=geolocation.updated_at,
            )
        )

    async def delete(self, server_uuid: UUID) -> None:
        await self._session.execute(
            delete(ServerGeolocationModel).where(
                ServerGeolocationModel.server_uuid == server_uuid
            )
        )
