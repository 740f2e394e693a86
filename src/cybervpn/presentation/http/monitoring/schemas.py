"""Messages of the staff live monitoring feed."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class TicketResponse(BaseModel):
    ticket: str
    expires_in: int


class NodeStatus(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    uuid: UUID
    name: str
    country_code: str
    is_connected: bool
    is_connecting: bool
    is_disabled: bool
    users_online: int
    last_status_change: datetime | None
    last_status_message: str | None


class NodeStatusMessage(BaseModel):
    """Every node's state. `nodes` is null while the panel cannot be reached."""

    type: Literal["node_status"] = "node_status"
    nodes: list[NodeStatus] | None
    detail: str | None = None
