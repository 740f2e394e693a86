"""The base of every request body: each text field must be storable (422 naming
the field otherwise), on PostgreSQL and SQLite alike."""

from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from cybervpn.infrastructure.persistence.storable import REASON, is_storable


class RequestBody(BaseModel):
    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        if not is_storable(value):
            raise ValueError(REASON)
        return value


class StrictBody(RequestBody):
    """Unknown fields are refused (422), never silently ignored."""

    model_config = ConfigDict(extra="forbid")
