"""In-memory stand-ins for the ports, for unit tests of use cases."""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from cybervpn.application.identity.dtos import SessionPolicy
from cybervpn.application.identity.login import Login
from cybervpn.application.identity.ports import (
    AccessClaims,
    IssuedAccessToken,
    PasswordCheck,
)
from cybervpn.application.identity.refresh_session import RefreshSession
from cybervpn.application.identity.session_issuer import (
    SessionIssuer,
    SessionTokens,
)
from cybervpn.application.identity.sign_in_store import UnitOfWorkSignIns
from cybervpn.domain.audit.entry import AuditEntry, AuditOrigin
from cybervpn.domain.audit.repositories import AuditFilter
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.email_token import EmailToken, EmailTokenPurpose
from cybervpn.domain.identity.errors import InvalidTokenError
from cybervpn.domain.identity.identity import Identity, IdentityProvider
from cybervpn.domain.identity.repositories import AccountFilter
from cybervpn.domain.identity.roles import Role
from cybervpn.domain.identity.service_token import ServiceToken
from cybervpn.domain.identity.session import AuthSession, RefreshToken
from cybervpn.domain.identity.two_factor import TotpCredential
from tests.unit.commerce_fakes import (
    FakeNotifications,
    FakeOutbox,
    FakePayments,
    FakePlans,
    FakePromoCodes,
    FakeReferrals,
    FakeServerGeolocations,
    FakeSubscriptions,
    FakeWebhookLog,
)


class FakeClock:
    def __init__(self) -> None:
        self.current = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


class FakeHasher:
    """'hash:<password>:v<version>'; a lower version than current needs a rehash."""

    def __init__(self, version: int = 1) -> None:
        self.version = version
        self.burned = 0

    async def hash(self, password: str) -> str:
        return f"hash:{password}:v{self.version}"

    async def verify(self, password_hash: str | None, password: str) -> PasswordCheck:
        if password_hash is None:
            self.burned += 1
            return PasswordCheck(valid=False)
        _, stored, version = password_hash.rsplit(":", 2)
        if stored != password:
            return PasswordCheck(valid=False)
        return PasswordCheck(valid=True, needs_rehash=int(version[1:]) < self.version)

    async def burn(self, password: str) -> None:
        self.burned += 1


class FakeAccessTokens:
    def issue(self, account_id: UUID, session_id: UUID) -> IssuedAccessToken:
        return IssuedAccessToken(token=f"{account_id}|{session_id}", expires_in=900)

    def verify(self, token: str) -> AccessClaims:
        try:
            account, session = token.split("|")
            return AccessClaims(account_id=UUID(account), session_id=UUID(session))
        except ValueError as error:
            raise InvalidTokenError from error


class FakeChallenges:
    def issue(self, account_id: UUID) -> str:
        return f"challenge:{account_id}"

    def verify(self, token: str) -> UUID:
        if not token.startswith("challenge:"):
            raise InvalidTokenError
        return UUID(token.removeprefix("challenge:"))


class FakeOpaqueTokens:
    def __init__(self) -> None:
        self.counter = 0

    def new_refresh_token(self) -> str:
        self.counter += 1
        return f"refresh-{self.counter}"

    def new_service_token(self) -> str:
        self.counter += 1
        return f"cvst_service-{self.counter}"

    def new_link_token(self) -> str:
        self.counter += 1
        return f"link-{self.counter}"

    def new_backup_codes(self, count: int) -> list[str]:
        return [f"CODE-{uuid4().hex[:8].upper()}" for _ in range(count)]

    def digest(self, value: str) -> str:
        return f"digest({value})"


@dataclass
class FakeAccounts:
    rows: dict[UUID, Account] = field(default_factory=dict)
    sessions: "FakeSessions | None" = None

    async def get(
        self, account_id: UUID, *, for_update: bool = False
    ) -> Account | None:
        found = self.rows.get(account_id)
        return replace(found) if found else None

    async def get_by_email(self, email: str) -> Account | None:
        return next((replace(a) for a in self.rows.values() if a.email == email), None)

    async def get_with_session(
        self, account_id: UUID, session_id: UUID
    ) -> tuple[Account, AuthSession] | None:
        account = self.rows.get(account_id)
        assert self.sessions is not None
        session = self.sessions.rows.get(session_id)
        if account is None or session is None or session.account_id != account_id:
            return None
        return replace(account), replace(session)

    async def email_exists(self, email: str) -> bool:
        return any(a.email == email for a in self.rows.values())

    async def add(self, account: Account) -> None:
        self.rows[account.id] = replace(account)

    async def update(self, account: Account) -> None:
        self.rows[account.id] = replace(account)

    async def record_login(
        self,
        account_id: UUID,
        *,
        logged_in_at: datetime | None,
        password_hash: str | None,
    ) -> None:
        row = self.rows[account_id]
        if logged_in_at is not None:
            row.last_login_at = logged_in_at
        if password_hash is not None:
            row.password_hash = password_hash

    async def list(
        self, account_filter: AccountFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[Account], int]:
        found = [a for a in self.rows.values() if account_filter.role in (None, a.role)]
        return found[offset : offset + limit], len(found)


@dataclass
class FakeSessions:
    rows: dict[UUID, AuthSession] = field(default_factory=dict)

    async def add(self, session: AuthSession) -> None:
        self.rows[session.id] = replace(session)

    async def get(self, session_id: UUID) -> AuthSession | None:
        found = self.rows.get(session_id)
        return replace(found) if found else None

    async def revoke(self, session_id: UUID, now: datetime) -> None:
        if self.rows[session_id].revoked_at is None:
            self.rows[session_id].revoked_at = now

    async def revoke_all(
        self, account_id: UUID, now: datetime, *, except_session: UUID | None = None
    ) -> int:
        count = 0
        for session in self.rows.values():
            if (
                session.account_id == account_id
                and session.revoked_at is None
                and session.id != except_session
            ):
                session.revoked_at = now
                count += 1
        return count

    async def revoke_started_by(self, service_token_id: UUID, now: datetime) -> int:
        started = [
            s
            for s in self.rows.values()
            if s.service_token_id == service_token_id and s.revoked_at is None
        ]
        for session in started:
            session.revoked_at = now
        return len(started)


@dataclass
class FakeServiceTokens:
    rows: dict[UUID, ServiceToken] = field(default_factory=dict)

    async def add(self, token: ServiceToken) -> None:
        self.rows[token.id] = replace(token)

    async def get(self, token_id: UUID) -> ServiceToken | None:
        found = self.rows.get(token_id)
        return replace(found) if found else None

    async def find_by_digest(self, digest: str) -> ServiceToken | None:
        return next(
            (replace(t) for t in self.rows.values() if t.token_digest == digest), None
        )

    async def list(
        self, *, limit: int, offset: int
    ) -> tuple[Sequence[ServiceToken], int]:
        newest = sorted(self.rows.values(), key=lambda t: t.created_at, reverse=True)
        return [replace(t) for t in newest[offset : offset + limit]], len(newest)

    async def save(self, token: ServiceToken) -> None:
        self.rows[token.id] = replace(token)


@dataclass
class FakeRefreshTokens:
    rows: dict[UUID, RefreshToken] = field(default_factory=dict)

    async def add(self, token: RefreshToken) -> None:
        self.rows[token.id] = replace(token)

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        return next(
            (replace(t) for t in self.rows.values() if t.token_hash == token_hash), None
        )

    async def mark_used(self, token_id: UUID, now: datetime) -> bool:
        if self.rows[token_id].used_at is not None:
            return False
        self.rows[token_id].used_at = now
        return True


@dataclass
class FakeTotpCredentials:
    rows: dict[UUID, TotpCredential] = field(default_factory=dict)

    async def get(self, account_id: UUID) -> TotpCredential | None:
        found = self.rows.get(account_id)
        return replace(found) if found else None

    async def replace_pending(self, credential: TotpCredential) -> None:
        self.rows[credential.account_id] = replace(credential)

    async def mark_enabled(self, account_id: UUID, now: datetime) -> None:
        self.rows[account_id].enabled_at = now

    async def delete(self, account_id: UUID) -> None:
        self.rows.pop(account_id, None)

    async def claim_timecode(self, account_id: UUID, timecode: int) -> bool:
        credential = self.rows[account_id]
        if (
            credential.last_timecode is not None
            and credential.last_timecode >= timecode
        ):
            return False
        credential.last_timecode = timecode
        return True


@dataclass
class FakeBackupCodes:
    rows: dict[UUID, dict[str, datetime | None]] = field(default_factory=dict)

    async def replace(self, account_id: UUID, code_hashes: Sequence[str]) -> None:
        self.rows[account_id] = dict.fromkeys(code_hashes)

    async def consume(self, account_id: UUID, code_hash: str, now: datetime) -> bool:
        codes = self.rows.get(account_id, {})
        if code_hash not in codes or codes[code_hash] is not None:
            return False
        codes[code_hash] = now
        return True

    async def count_unused(self, account_id: UUID) -> int:
        return sum(1 for used in self.rows.get(account_id, {}).values() if used is None)

    async def delete_all(self, account_id: UUID) -> None:
        self.rows.pop(account_id, None)


@dataclass
class FakeAuditLog:
    entries: list[AuditEntry] = field(default_factory=list)

    async def add(self, entry: AuditEntry) -> None:
        self.entries.append(entry)

    def actions(self) -> list[str]:
        return [e.action.value for e in self.entries]

    async def list(
        self, audit_filter: AuditFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[AuditEntry], int]:
        found = [e for e in self.entries if audit_filter.action in (None, e.action)]
        return found[offset : offset + limit], len(found)


@dataclass
class FakeIdentities:
    rows: dict[UUID, Identity] = field(default_factory=dict)

    async def find(
        self, provider: IdentityProvider, provider_user_id: str
    ) -> Identity | None:
        found = [
            i
            for i in self.rows.values()
            if (i.provider, i.provider_user_id) == (provider, provider_user_id)
        ]
        return replace(found[0]) if found else None

    async def add(self, identity: Identity) -> None:
        self.rows[identity.id] = replace(identity)

    async def list_for_account(self, account_id: UUID) -> list[Identity]:
        mine = [i for i in self.rows.values() if i.account_id == account_id]
        return [replace(i) for i in sorted(mine, key=lambda i: i.linked_at)]

    async def save(self, identity: Identity) -> None:
        self.rows[identity.id] = replace(identity)

    async def remove(self, identity: Identity) -> None:
        self.rows.pop(identity.id, None)

    async def remove_all(self, account_id: UUID) -> None:
        for identity in [i for i in self.rows.values() if i.account_id == account_id]:
            self.rows.pop(identity.id)


@dataclass
class FakeEmailTokens:
    rows: dict[UUID, EmailToken] = field(default_factory=dict)

    def add(self, token: EmailToken) -> None:
        self.rows[token.id] = replace(token)

    async def consume(
        self, digest: str, purpose: EmailTokenPurpose, now: datetime
    ) -> EmailToken | None:
        for token in self.rows.values():
            if (
                token.digest == digest
                and token.purpose is purpose
                and token.used_at is None
                and token.expires_at > now
            ):
                token.used_at = now
                return replace(token)
        return None

    async def retire(
        self, account_id: UUID, purpose: EmailTokenPurpose, now: datetime
    ) -> None:
        for token in self.rows.values():
            if token.account_id == account_id and token.purpose is purpose:
                token.used_at = token.used_at or now


@dataclass
class FakeTrialClaims:
    rows: dict[str, UUID] = field(default_factory=dict)

    async def claim(
        self, contact_digests: list[str], account_id: UUID, now: datetime
    ) -> bool:
        fresh = [d for d in contact_digests if d not in self.rows]
        for digest in fresh:
            self.rows[digest] = account_id
        return len(fresh) == len(contact_digests)


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.sessions = FakeSessions()
        self.accounts = FakeAccounts(sessions=self.sessions)
        self.identities = FakeIdentities()
        self.email_tokens = FakeEmailTokens()
        self.refresh_tokens = FakeRefreshTokens()
        self.service_tokens = FakeServiceTokens()
        self.totp_credentials = FakeTotpCredentials()
        self.backup_codes = FakeBackupCodes()
        self.audit_log = FakeAuditLog()
        self.server_geolocations = FakeServerGeolocations()
        self.outbox = FakeOutbox()
        self.notifications = FakeNotifications()
        self.webhook_log = FakeWebhookLog()
        self.plans = FakePlans()
        self.subscriptions = FakeSubscriptions()
        self.payments = FakePayments()
        self.promo_codes = FakePromoCodes()
        self.referrals = FakeReferrals()
        self.trial_claims = FakeTrialClaims()
        self.commits = 0

    async def commit(self) -> None:
        self.commits += 1

    async def rollback(self) -> None:
        return None


ORIGIN = AuditOrigin(ip="192.0.2.1", user_agent="test", request_id="r1")
POLICY = SessionPolicy(
    refresh_token_ttl=timedelta(days=7), session_max_age=timedelta(days=30)
)


class World:
    def __init__(self) -> None:
        self.uow = FakeUnitOfWork()
        self.clock = FakeClock()
        self.hasher = FakeHasher()
        self.tokens = FakeOpaqueTokens()
        self.access = FakeAccessTokens()

    def issuer(self) -> SessionIssuer:
        return SessionIssuer(uow=self.uow, tokens=self.session_tokens())

    def session_tokens(self) -> SessionTokens:
        return SessionTokens(
            clock=self.clock,
            access_tokens=self.access,
            opaque_tokens=self.tokens,
            policy=POLICY,
        )

    def login(self) -> Login:
        return Login(
            store=UnitOfWorkSignIns(self.uow),
            hasher=self.hasher,
            clock=self.clock,
            session_tokens=self.session_tokens(),
            challenges=FakeChallenges(),
        )

    def refresh(self) -> RefreshSession:
        return RefreshSession(
            uow=self.uow,
            clock=self.clock,
            opaque_tokens=self.tokens,
            sessions=self.issuer(),
        )

    async def account(self, email: str, role: Role = Role.CUSTOMER) -> Account:
        account = Account.open(
            email=email,
            password_hash=await self.hasher.hash("pw"),
            role=role,
            now=self.clock.now(),
        )
        await self.uow.accounts.add(account)
        return account
