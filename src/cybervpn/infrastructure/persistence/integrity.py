"""Database errors in the business's words, translated where they are raised.

A unique key is the last word on a race that a use case's own check cannot see (two
sign-ups with one e-mail on PostgreSQL both find it free): the loser gets the same
conflict error as a sequential duplicate. A refused or lost connection becomes
`StorageUnavailableError`, so callers answer 503 and nothing half-done is committed.
"""

import re
from typing import Any

from sqlalchemy import UniqueConstraint, event
from sqlalchemy.engine import Engine, ExceptionContext
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from cybervpn.application.common.errors import StorageUnavailableError
from cybervpn.domain.billing.promo_code import PromoCodeTakenError
from cybervpn.domain.catalog.plan import PlanCodeTakenError
from cybervpn.domain.common.errors import ConflictError
from cybervpn.domain.identity.errors import (
    EmailAlreadyRegisteredError,
    IdentityTakenError,
    ProviderAlreadyLinkedError,
)
from cybervpn.infrastructure.persistence.base import Base

CONFLICT_BY_CONSTRAINT: dict[str, type[ConflictError]] = {
    "uq_accounts_email": EmailAlreadyRegisteredError,
    "uq_accounts_telegram_id": IdentityTakenError,
    "uq_identities_provider_user": IdentityTakenError,
    "uq_identities_account_provider": ProviderAlreadyLinkedError,
    "uq_plans_code": PlanCodeTakenError,
    "uq_promo_codes_code": PromoCodeTakenError,
}
# Keys whose inserts skip a duplicate (ON CONFLICT DO NOTHING) or hold random
# values: a violation of one of them is a bug, and stays a 500.
DEDUPLICATING_CONSTRAINTS = frozenset(
    {
        "uq_webhook_deliveries_key",
        "uq_payments_invoice",
        "uq_subscriptions_account_id",
        "uq_referral_codes_code",
        "uq_backup_codes_account_code",
        "uq_refresh_tokens_token_hash",
        "uq_service_tokens_token_digest",
        "uq_email_tokens_digest",
        "uq_payments_telegram_charge",
    }
)
# SQLite names the columns, not the key: "UNIQUE constraint failed: accounts.email".
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<columns>.+)$")


def _constraints_by_sqlite_columns() -> dict[str, str]:
    return {
        ", ".join(f"{table.name}.{column.name}" for column in constraint.columns): str(
            constraint.name
        )
        for table in Base.metadata.tables.values()
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    }


def _violated_constraint(error: BaseException) -> str | None:
    # asyncpg's exception, chained under the driver adapter's, names the key.
    cause = error.__cause__
    name = getattr(cause, "constraint_name", None)
    if isinstance(name, str):
        return name
    found = _SQLITE_UNIQUE.search(str(error))
    if found is None:
        return None
    return _constraints_by_sqlite_columns().get(found["columns"])


def translate(context: ExceptionContext) -> BaseException | None:
    """The business error a database error stands for, or None to keep it."""
    if context.is_pre_ping:
        # The pool's liveness check found a dead connection: the pool replaces it
        # and the request goes on.
        return None
    error = context.sqlalchemy_exception
    # A failed connect has no connection yet; a lost one is a disconnect.
    connecting = context.connection is None
    if context.is_disconnect or (
        connecting and isinstance(error, OperationalError | InterfaceError)
    ):
        return StorageUnavailableError()
    if isinstance(error, IntegrityError):
        conflict = CONFLICT_BY_CONSTRAINT.get(
            _violated_constraint(context.original_exception) or ""
        )
        if conflict is not None:
            return conflict()
    return None


def translate_errors(engine: Engine) -> None:
    """Raise business errors, not driver errors, from every statement and connect."""

    def handle_error(context: ExceptionContext) -> Any:
        translated = translate(context)
        if translated is not None:
            raise translated

    def connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        # asyncpg raises a refused or timed-out connect as a bare OSError, which
        # never reaches handle_error.
        try:
            return dialect.connect(*cargs, **cparams)
        except OSError as error:
            raise StorageUnavailableError from error

    event.listen(engine, "handle_error", handle_error)
    event.listen(engine, "do_connect", connect)
