"""One page of a filtered list, newest first, and the total it was taken from."""

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession


async def paginate[Row, Entity](
    session: AsyncSession,
    model: type[Row],
    conditions: Sequence[ColumnElement[bool]],
    *,
    newest_first: Any,
    to_entity: Callable[[Row], Entity],
    limit: int,
    offset: int,
) -> tuple[list[Entity], int]:
    """`newest_first` is the timestamp column; ties fall back to the primary key,
    so pages never overlap or skip a row."""
    total = await session.scalar(
        select(func.count()).select_from(model).where(*conditions)
    )
    rows = await session.scalars(
        select(model)
        .where(*conditions)
        .order_by(newest_first.desc(), model.id)  # type: ignore[attr-defined]
        .limit(limit)
        .offset(offset)
    )
    return [to_entity(row) for row in rows], int(total or 0)
