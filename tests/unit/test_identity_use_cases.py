"""Identity use cases against in-memory ports: the business rules, without I/O."""

from datetime import timedelta

import pytest

from cybervpn.application.audit.list_audit_log import ListAuditLog
from cybervpn.application.common.pagination import PageRequest
from cybervpn.application.identity.authenticate import Authenticate
from cybervpn.application.identity.create_account import CreateAccount
from cybervpn.application.identity.dtos import (
    TokenPair,
    TwoFactorChallenge,
)
from cybervpn.application.identity.list_accounts import ListAccounts
from cybervpn.application.identity.ports import PasswordCheck
from cybervpn.application.identity.register_customer import RegisterCustomer
from cybervpn.application.identity.update_account import UpdateAccount
from cybervpn.domain.audit.entry import AuditAction
from cybervpn.domain.audit.repositories import AuditFilter
from cybervpn.domain.identity.errors import (
    EmailAlreadyRegisteredError,
    InvalidCredentialsError,
    InvalidTokenError,
    RoleChangeForbiddenError,
    SelfModificationError,
)
from cybervpn.domain.identity.repositories import AccountFilter
from cybervpn.domain.identity.roles import Role
from tests.unit.fakes import (
    ORIGIN,
    World,
)

pytestmark = pytest.mark.unit


async def test_register_makes_a_customer_and_audits_it(world: World) -> None:
    register = RegisterCustomer(uow=world.uow, hasher=world.hasher, clock=world.clock)
    view = await register.execute(
        email=" New@Example.com", password="pw", origin=ORIGIN
    )
    assert view.email == "new@example.com" and view.role is Role.CUSTOMER
    assert world.uow.audit_log.actions() == ["account.registered"]
    assert world.uow.commits == 1
    with pytest.raises(EmailAlreadyRegisteredError):
        await register.execute(email="NEW@example.com", password="pw", origin=ORIGIN)


async def test_an_account_without_a_password_fails_a_password_login_in_equal_time(
    world: World,
) -> None:
    account = await world.account("telegram-only@example.com")
    world.uow.accounts.rows[account.id].password_hash = None
    with pytest.raises(InvalidCredentialsError):
        await world.login().execute(
            email="telegram-only@example.com", password="pw", origin=ORIGIN
        )
    assert world.hasher.burned == 1  # a hash's time spent all the same


async def test_unknown_email_still_costs_a_hash_and_is_audited(world: World) -> None:
    with pytest.raises(InvalidCredentialsError):
        await world.login().execute(
            email="ghost@example.com", password="pw", origin=ORIGIN
        )
    assert world.hasher.burned == 1
    assert world.uow.audit_log.actions() == ["auth.login_failed"]
    assert world.uow.commits == 1


async def test_login_rehashes_outdated_hashes(world: World) -> None:
    account = await world.account("old@example.com")
    world.hasher.version = 2
    outcome = await world.login().execute(
        email="old@example.com", password="pw", origin=ORIGIN
    )
    assert isinstance(outcome, TokenPair)
    stored = world.uow.accounts.rows[account.id]
    assert stored.password_hash is not None
    assert stored.password_hash.endswith(":v2")
    assert stored.last_login_at == world.clock.now()
    (succeeded,) = world.uow.audit_log.entries
    assert succeeded.action is AuditAction.LOGIN_SUCCEEDED
    assert (succeeded.actor_id, succeeded.after) == (account.id, {"method": "password"})


async def test_login_does_not_undo_a_deactivation_made_while_hashing(
    world: World,
) -> None:
    account = await world.account("racing@example.com")
    verify = world.hasher.verify

    async def verify_while_an_admin_deactivates(
        password_hash: str | None, password: str
    ) -> PasswordCheck:
        world.uow.accounts.rows[account.id].is_active = False
        return await verify(password_hash, password)

    world.hasher.verify = verify_while_an_admin_deactivates  # type: ignore[method-assign]
    await world.login().execute(
        email="racing@example.com", password="pw", origin=ORIGIN
    )
    stored = world.uow.accounts.rows[account.id]
    assert stored.is_active is False
    assert stored.last_login_at == world.clock.now()


async def test_login_with_2fa_gives_a_challenge_not_tokens(world: World) -> None:
    account = await world.account("2fa@example.com")
    world.uow.accounts.rows[account.id].two_factor_enabled = True
    outcome = await world.login().execute(
        email="2fa@example.com", password="pw", origin=ORIGIN
    )
    assert isinstance(outcome, TwoFactorChallenge)
    assert world.uow.sessions.rows == {}
    (challenged,) = world.uow.audit_log.entries
    assert challenged.action is AuditAction.LOGIN_CHALLENGED
    assert (challenged.actor_id, challenged.after) == (account.id, None)
    assert world.uow.accounts.rows[account.id].last_login_at is None


async def test_refresh_token_expiry_is_capped_by_the_session_age(world: World) -> None:
    await world.account("cap@example.com")
    tokens = await world.login().execute(
        email="cap@example.com", password="pw", origin=ORIGIN
    )
    assert isinstance(tokens, TokenPair)
    for _ in range(5):  # rotate for 25 days, inside the 30-day session
        world.clock.advance(timedelta(days=5))
        tokens = await world.refresh().execute(
            refresh_token=tokens.refresh_token, origin=ORIGIN
        )
    world.clock.advance(timedelta(days=6))  # 31 days after login
    with pytest.raises(InvalidTokenError):
        await world.refresh().execute(refresh_token=tokens.refresh_token, origin=ORIGIN)


async def test_reusing_a_rotated_refresh_token_revokes_the_session(
    world: World,
) -> None:
    await world.account("reuse@example.com")
    first = await world.login().execute(
        email="reuse@example.com", password="pw", origin=ORIGIN
    )
    assert isinstance(first, TokenPair)
    second = await world.refresh().execute(
        refresh_token=first.refresh_token, origin=ORIGIN
    )
    with pytest.raises(InvalidTokenError):
        await world.refresh().execute(refresh_token=first.refresh_token, origin=ORIGIN)
    assert "auth.refresh_reuse_detected" in world.uow.audit_log.actions()
    with pytest.raises(InvalidTokenError):
        await world.refresh().execute(refresh_token=second.refresh_token, origin=ORIGIN)


async def test_authenticate_refuses_deactivated_accounts(world: World) -> None:
    account = await world.account("gone@example.com")
    tokens = await world.login().execute(
        email="gone@example.com", password="pw", origin=ORIGIN
    )
    assert isinstance(tokens, TokenPair)
    authenticate = Authenticate(
        lookup=world.uow.accounts, clock=world.clock, access_tokens=world.access
    )
    assert (await authenticate.execute(tokens.access_token)).account.id == account.id
    world.uow.accounts.rows[account.id].is_active = False
    with pytest.raises(InvalidTokenError):
        await authenticate.execute(tokens.access_token)


async def test_update_account_deactivation_ends_sessions(world: World) -> None:
    admin = await world.account("admin@example.com", Role.ADMIN)
    agent = await world.account("agent@example.com", Role.SUPPORT)
    await world.login().execute(email="agent@example.com", password="pw", origin=ORIGIN)
    update = UpdateAccount(uow=world.uow, clock=world.clock)
    view = await update.execute(
        actor=admin, account_id=agent.id, is_active=False, origin=ORIGIN
    )
    assert view.is_active is False
    assert all(s.revoked_at is not None for s in world.uow.sessions.rows.values())
    entry = world.uow.audit_log.entries[-1]
    assert entry.before == {**agent.snapshot(), "is_active": True}
    assert entry.after is not None and entry.after["is_active"] is False


async def test_update_without_changes_writes_nothing(world: World) -> None:
    admin = await world.account("admin@example.com", Role.ADMIN)
    agent = await world.account("agent@example.com", Role.SUPPORT)
    await UpdateAccount(uow=world.uow, clock=world.clock).execute(
        actor=admin, account_id=agent.id, role=Role.SUPPORT, origin=ORIGIN
    )
    assert world.uow.commits == 0 and world.uow.audit_log.entries == []


async def test_role_rules_in_update(world: World) -> None:
    admin = await world.account("admin@example.com", Role.ADMIN)
    operator = await world.account("op@example.com", Role.OPERATOR)
    update = UpdateAccount(uow=world.uow, clock=world.clock)
    with pytest.raises(RoleChangeForbiddenError):
        await update.execute(
            actor=admin, account_id=operator.id, role=Role.ADMIN, origin=ORIGIN
        )
    with pytest.raises(SelfModificationError):
        await update.execute(
            actor=admin, account_id=admin.id, is_active=False, origin=ORIGIN
        )


async def test_console_may_create_any_role_but_staff_only_what_they_may_grant(
    world: World,
) -> None:
    create = CreateAccount(uow=world.uow, hasher=world.hasher, clock=world.clock)
    root = await create.execute(
        actor=None,
        email="root@example.com",
        password="pw",
        role=Role.SUPER_ADMIN,
        origin=ORIGIN,
    )
    assert root.role is Role.SUPER_ADMIN
    operator = await world.account("op@example.com", Role.OPERATOR)
    with pytest.raises(RoleChangeForbiddenError):
        await create.execute(
            actor=operator,
            email="x@example.com",
            password="pw",
            role=Role.VIEWER,
            origin=ORIGIN,
        )


async def test_lists_return_pages(world: World) -> None:
    for n in range(3):
        await world.account(f"c{n}@example.com")
    page = await ListAccounts(uow=world.uow).execute(
        AccountFilter(), PageRequest(limit=2)
    )
    assert page.total == 3 and len(page.items) == 2
    register = RegisterCustomer(uow=world.uow, hasher=world.hasher, clock=world.clock)
    await register.execute(email="z@example.com", password="pw", origin=ORIGIN)
    audit = await ListAuditLog(world.uow).execute(AuditFilter(), PageRequest())
    assert audit.total == 1 and audit.items[0].ip == "192.0.2.1"
