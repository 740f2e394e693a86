"""Fleet data we keep beside the panel."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from cybervpn.infrastructure.persistence.base import Base


class ServerGeolocationModel(Base):
    """One row per panel node; `server_uuid` is the node's uuid on the panel."""

    __tablename__ = "server_geolocations"

    server_uuid: Mapped[UUID] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(100))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime]
