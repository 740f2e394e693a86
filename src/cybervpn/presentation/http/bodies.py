"""Request bodies turned into the values use cases take."""

from collections.abc import Collection
from typing import Any

from pydantic import BaseModel


def domain_values(body: BaseModel, *, only_sent: bool = False) -> dict[str, Any]:
    """A request body as keyword arguments for a frozen domain dataclass (lists
    become tuples). `only_sent`: the fields the client sent, for PATCH changes."""
    values = body.model_dump(exclude_unset=only_sent)
    return {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}


def patch_values(body: BaseModel, *, nullable: Collection[str]) -> dict[str, Any]:
    """The fields a PATCH sent. A null clears only the fields in `nullable`; for
    any other field a null is ignored, so it can never blank a required value."""
    return {
        k: v
        for k, v in domain_values(body, only_sent=True).items()
        if v is not None or k in nullable
    }
