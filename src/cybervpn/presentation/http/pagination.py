"""One shape for every paginated answer."""

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
