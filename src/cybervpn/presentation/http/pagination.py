"""One shape for every collection: `{items, total}`, and `limit`/`offset` when
the collection is paginated. Never a bare array, so a field can be added later
without breaking clients."""

from collections.abc import Sequence

from pydantic import BaseModel

from cybervpn.application.common.pagination import PageRequest


class PageResponse[T](BaseModel):
    items: list[T]
    total: int
    limit: int
    offset: int

    @classmethod
    def of(
        cls, items: Sequence[object], total: int, page: PageRequest
    ) -> "PageResponse[T]":
        """`items` may be domain objects; each item schema reads their attributes."""
        return cls.model_validate(
            {"items": items, "total": total, "limit": page.limit, "offset": page.offset}
        )


class ListResponse[T](BaseModel):
    """A whole, unpaginated collection (the panel's routing objects, the plans)."""

    items: list[T]
    total: int

    @classmethod
    def of(cls, items: Sequence[object]) -> "ListResponse[T]":
        return cls.model_validate({"items": items, "total": len(items)})
