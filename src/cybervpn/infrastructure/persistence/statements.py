"""Statements whose SQL differs between PostgreSQL and SQLite."""

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Insert, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_or_skip(
    session: AsyncSession, target: Any, *, conflict: Sequence[str] | None = None
) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING (on the `conflict` columns, else on any
    unique key): of concurrent inserts of one key exactly one row lands, and the
    others are skipped without an error."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(target).on_conflict_do_nothing(
        index_elements=None if conflict is None else list(conflict)
    )


def table_of(model: Any) -> Table:
    """A mapped class's table, for Core statements such as an executemany UPDATE
    (the ORM's bulk path costs more per row)."""
    return cast("Table", model.__table__)
