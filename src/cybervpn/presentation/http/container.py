"""The composition root: every long-lived object, built once in the lifespan."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from taskiq import AsyncBroker, InMemoryBroker

from cybervpn.application.billing.credit_payment import CreditPayments
from cybervpn.application.billing.receive_paid_invoices import (
    PaidDelivery,
    ReceivePaidInvoices,
)
from cybervpn.application.billing.receive_stars_payments import (
    ReceiveStarsPayments,
    StarsDelivery,
)
from cybervpn.application.common.uow import UnitOfWorkFactory
from cybervpn.application.identity.dtos import SessionPolicy
from cybervpn.application.identity.session_issuer import SessionTokens
from cybervpn.application.identity.sign_in_store import (
    SignInsInOwnUnitsOfWork,
    SignInStore,
)
from cybervpn.config import ConfigurationError, Settings
from cybervpn.domain.identity.repositories import AccountSessionLookup
from cybervpn.domain.webhooks.delivery import DeliveryOutcome
from cybervpn.infrastructure.clock import SystemClock
from cybervpn.infrastructure.cryptobot.factory import (
    PaymentConnection,
    connect_payments,
)
from cybervpn.infrastructure.group_commit import BatchHandler, GroupCommit
from cybervpn.infrastructure.jobs.broker import (
    InProcessSweeper,
    TaskiqDispatcher,
    create_broker,
)
from cybervpn.infrastructure.jobs.runtime import (
    JobRuntime,
    build_job_runtime,
    unit_of_work_factory,
)
from cybervpn.infrastructure.mail.connection import MailConnection, connect_mail
from cybervpn.infrastructure.metrics.instruments import PASSWORD_HASH_REJECTED
from cybervpn.infrastructure.monitoring.live_feed import MemoryLiveFeed, RedisLiveFeed
from cybervpn.infrastructure.oauth.providers import OAuthGateway, connect_oauth
from cybervpn.infrastructure.observability import Tracing
from cybervpn.infrastructure.persistence.database import (
    create_engine,
    create_session_factory,
)
from cybervpn.infrastructure.persistence.driver import DriverPool
from cybervpn.infrastructure.persistence.repositories.account_sessions import (
    DriverAccountSessionLookup,
    SqlAccountSessionLookup,
)
from cybervpn.infrastructure.persistence.repositories.sign_ins import DriverSignIns
from cybervpn.infrastructure.ratelimit.limiter import Limiter, create_storage
from cybervpn.infrastructure.redis.client import create_redis
from cybervpn.infrastructure.remnawave.factory import PanelConnection, connect_panel
from cybervpn.infrastructure.sandbox.cryptobot.webhooks import SandboxPaymentWebhooks
from cybervpn.infrastructure.sandbox.persistence import keep_between_runs
from cybervpn.infrastructure.sandbox.remnawave.webhooks import SandboxWebhookEmitter
from cybervpn.infrastructure.sandbox.telegram.updates import SandboxTelegramUpdates
from cybervpn.infrastructure.security.bounded_executor import BoundedExecutor
from cybervpn.infrastructure.security.cipher import FernetCipher
from cybervpn.infrastructure.security.jwt_tokens import (
    JwtAccessTokens,
    JwtChallengeTokens,
    JwtKeyring,
)
from cybervpn.infrastructure.security.opaque_tokens import SecureOpaqueTokens
from cybervpn.infrastructure.security.password_hasher import Argon2PasswordHasher
from cybervpn.infrastructure.security.replay_guard import (
    MemoryReplayGuard,
    RedisReplayGuard,
)
from cybervpn.infrastructure.security.tickets import (
    MemoryTicketStore,
    RedisTicketStore,
)
from cybervpn.infrastructure.security.totp import PyotpTotp
from cybervpn.infrastructure.telegram.connection import (
    TelegramConnection,
    connect_telegram,
    development_bot_token,
)
from cybervpn.infrastructure.telegram.login import TelegramLogin
from cybervpn.infrastructure.telegram.stars import TelegramStars

# Paid webhooks that arrive together are credited in one transaction (see
# GroupCommit); a bigger batch would hold its row locks longer for little gain.
PAID_WEBHOOKS_PER_TRANSACTION = 64
# Measured on 2 cores at 32 connections: batches of 16 without it, 32 with 2 ms,
# and about 20 % more webhooks a second; a webhook's answer is 2 ms later.
PAID_WEBHOOK_LINGER_SECONDS = 0.002


@dataclass(slots=True)
class Container:
    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[Any]
    account_sessions: AccountSessionLookup
    sign_ins: SignInStore
    session_tokens: SessionTokens
    redis: Redis | None
    clock: SystemClock
    hash_executor: BoundedExecutor
    password_hasher: Argon2PasswordHasher
    access_tokens: JwtAccessTokens
    challenge_tokens: JwtChallengeTokens
    totp: PyotpTotp
    cipher: FernetCipher
    opaque_tokens: SecureOpaqueTokens
    general_limiter: Limiter
    auth_limiter: Limiter
    vpn_panel: PanelConnection
    telegram: TelegramConnection
    mail: MailConnection
    telegram_stars: TelegramStars
    broker: AsyncBroker
    dispatcher: TaskiqDispatcher
    jobs: JobRuntime
    live_feed: MemoryLiveFeed | RedisLiveFeed
    monitoring_tickets: MemoryTicketStore | RedisTicketStore
    telegram_login: TelegramLogin
    # The token Telegram sign-in data is signed with: the bot's, or in development
    # without one, a token made up for this process (the sandbox signs with it).
    telegram_login_token: str
    replay_guard: MemoryReplayGuard | RedisReplayGuard
    oauth: OAuthGateway
    oauth_states: MemoryTicketStore | RedisTicketStore
    payments: PaymentConnection
    uow_factory: UnitOfWorkFactory  # for work outside a request's own unit of work
    paid_invoices: GroupCommit[PaidDelivery, DeliveryOutcome]
    stars_payments: GroupCommit[StarsDelivery, DeliveryOutcome]
    in_process_sweeper: InProcessSweeper | None = None
    sandbox_webhooks: SandboxWebhookEmitter | None = None
    sandbox_payment_webhooks: SandboxPaymentWebhooks | None = None
    sandbox_telegram_updates: SandboxTelegramUpdates | None = None

    async def start(self, app: FastAPI, stack: AsyncExitStack) -> None:
        """Connect the job broker. With the in-memory broker (development) jobs run
        in this process, so the sweep runs here on a timer too. The sandbox panel
        posts its signed webhooks to this app, as the real panel would. What starts
        is stopped by `stack`, even when a later step fails."""
        self._connect_sandbox_webhooks(app, stack)
        self.broker.state.runtime = self.jobs
        await self.broker.startup()
        stack.push_async_callback(self.broker.shutdown)
        if isinstance(self.broker, InMemoryBroker):
            self.in_process_sweeper = InProcessSweeper(
                self.jobs,
                sweep_seconds=self.settings.jobs.outbox_sweep_seconds,
                reconcile_seconds=self.settings.cryptobot.reconcile_seconds,
            )
            self.in_process_sweeper.start()
            stack.push_async_callback(self.in_process_sweeper.stop)

    def _connect_sandbox_webhooks(self, app: FastAPI, stack: AsyncExitStack) -> None:
        if self.payments.sandbox is not None:
            self.sandbox_payment_webhooks = SandboxPaymentWebhooks(
                self.payments.token, _client_of(app)
            )
            stack.push_async_callback(self.sandbox_payment_webhooks.aclose)
        telegram_secret = self.settings.telegram.webhook_secret
        if self.telegram.sandbox is not None and telegram_secret is not None:
            self.sandbox_telegram_updates = SandboxTelegramUpdates(
                self.telegram.sandbox,
                telegram_secret.get_secret_value(),
                _client_of(app),
            )
            stack.push_async_callback(self.sandbox_telegram_updates.aclose)
        sandbox_app = self.vpn_panel.sandbox_app
        secret = self.settings.remnawave.webhook_secret
        if sandbox_app is None or self.vpn_panel.sandbox is None or secret is None:
            return
        self.sandbox_webhooks = SandboxWebhookEmitter(
            self.vpn_panel.sandbox, secret.get_secret_value(), _client_of(app)
        )
        stack.push_async_callback(self.sandbox_webhooks.aclose)
        sandbox_app.state.webhook_emitter = self.sandbox_webhooks


@asynccontextmanager
async def open_container(
    settings: Settings, app: FastAPI | None = None, tracing: Tracing | None = None
) -> AsyncIterator[Container]:
    """The container for as long as the block runs; `app` (the API) also starts
    the job broker and the sandboxes' webhooks. Everything opened is closed in
    reverse order on the way out: a failing start closes what was opened before
    it, and a close that fails does not skip the others."""
    async with AsyncExitStack() as stack:
        container = build_container(settings, stack, tracing)
        if app is not None:
            await container.start(app, stack)
        yield container


def _client_of(app: FastAPI) -> httpx.AsyncClient:
    """A client that calls this app in process (the sandboxes' webhooks)."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://cybervpn.internal"
    )


def _telegram_login_token(settings: Settings) -> str:
    token = settings.telegram.bot_token
    if token is not None:
        return token.get_secret_value()
    if not settings.app.is_development:  # pragma: no cover - production refuses it
        raise ConfigurationError(["TELEGRAM_BOT_TOKEN is required"])
    return development_bot_token()


def _secret_values(settings: Settings) -> tuple[list[str], list[str]]:
    if settings.jwt.secret is None or settings.security.encryption_key is None:
        raise ConfigurationError(["JWT_SECRET and ENCRYPTION_KEY are required"])
    jwt_keys = [settings.jwt.secret.get_secret_value(), *settings.jwt.previous_secrets]
    cipher_keys = [
        settings.security.encryption_key.get_secret_value(),
        *settings.security.previous_encryption_keys,
    ]
    return jwt_keys, cipher_keys


def _keep_sandboxes(
    settings: Settings,
    vpn_panel: PanelConnection,
    payments: PaymentConnection,
    stack: AsyncExitStack,
) -> None:
    if not settings.app.is_development:
        return
    data_dir = settings.app.data_dir
    if vpn_panel.sandbox is not None:
        keep_between_runs(vpn_panel.sandbox, data_dir / "sandbox-panel.json", stack)
    if payments.sandbox is not None:
        keep_between_runs(payments.sandbox, data_dir / "sandbox-cryptopay.json", stack)


def _batched[T, R](handler: BatchHandler[T, R]) -> GroupCommit[T, R]:
    """Paid webhooks that arrive together, credited in one transaction (ADR 0004)."""
    return GroupCommit(
        handler,
        max_batch=PAID_WEBHOOKS_PER_TRANSACTION,
        linger=PAID_WEBHOOK_LINGER_SECONDS,
    )


def _hot_path_stores(
    settings: Settings,
    engine: AsyncEngine,
    uow_factory: UnitOfWorkFactory,
    stack: AsyncExitStack,
) -> tuple[AccountSessionLookup, SignInStore]:
    """The session check of every authenticated request and the password login: on
    PostgreSQL on the driver, with a pool of its own (ADR 0003); on SQLite through
    SQLAlchemy."""
    database = settings.database
    if database.is_sqlite:
        return SqlAccountSessionLookup(engine), SignInsInOwnUnitsOfWork(uow_factory)
    pool = DriverPool(database.url, max_size=database.lookup_pool_size)
    stack.push_async_callback(pool.aclose)
    return DriverAccountSessionLookup(pool), DriverSignIns(pool)


def build_container(
    settings: Settings, stack: AsyncExitStack, tracing: Tracing | None = None
) -> Container:
    """Builds every long-lived object; `stack` closes each one it opened."""
    jwt_keys, cipher_keys = _secret_values(settings)
    clock = SystemClock()
    engine = create_engine(settings.database)
    stack.push_async_callback(engine.dispose)
    if tracing is not None:
        tracing.trace_engine(engine)
    security = settings.security
    executor = BoundedExecutor(
        workers=security.password_hash_workers,
        queue_limit=security.password_hash_queue_limit,
        name="argon2",
        on_refused=PASSWORD_HASH_REJECTED.inc,
    )
    stack.callback(executor.shutdown)
    keyring = JwtKeyring(
        secrets=jwt_keys,
        algorithm=settings.jwt.algorithm,
        issuer=settings.jwt.issuer,
        audience=settings.jwt.audience,
        clock=clock,
    )
    storage = create_storage(settings.redis.url)
    redis = create_redis(settings.redis.url) if settings.redis.url else None
    if redis is not None:
        stack.push_async_callback(redis.aclose)
    session_factory = create_session_factory(engine)
    login_token = _telegram_login_token(settings)
    telegram = connect_telegram(settings.telegram, sandbox_token=login_token)
    stack.push_async_callback(telegram.aclose)
    mail = connect_mail(settings.mail)
    vpn_panel = connect_panel(settings.remnawave, redis)
    stack.push_async_callback(vpn_panel.transport.aclose)
    oauth, oauth_http = connect_oauth(settings.oauth)
    stack.push_async_callback(oauth_http.aclose)
    payments = connect_payments(settings.cryptobot)
    stack.push_async_callback(payments.provider.aclose)
    _keep_sandboxes(settings, vpn_panel, payments, stack)
    broker = create_broker(settings)
    if tracing is not None:  # the trace goes on into the worker
        broker.add_middlewares(tracing.taskiq_middleware())
    dispatcher = TaskiqDispatcher(broker)
    uow_factory = unit_of_work_factory(session_factory, dispatcher)
    credit = CreditPayments(
        clock=clock, referral_bonus_days=settings.commerce.referral_bonus_days
    )
    paid_invoices = _batched(
        ReceivePaidInvoices(uow_factory=uow_factory, clock=clock, credit=credit).execute
    )
    stack.push_async_callback(paid_invoices.aclose)
    stars_payments = _batched(
        ReceiveStarsPayments(
            uow_factory=uow_factory, clock=clock, credit=credit
        ).execute
    )
    stack.push_async_callback(stars_payments.aclose)
    session_policy = SessionPolicy(
        refresh_token_ttl=timedelta(days=settings.jwt.refresh_token_expire_days),
        session_max_age=timedelta(days=settings.jwt.session_max_age_days),
    )
    access_tokens = JwtAccessTokens(
        keyring, timedelta(minutes=settings.jwt.access_token_expire_minutes)
    )
    opaque_tokens = SecureOpaqueTokens()
    account_sessions, sign_ins = _hot_path_stores(settings, engine, uow_factory, stack)
    return Container(
        settings=settings,
        engine=engine,
        session_factory=session_factory,
        account_sessions=account_sessions,
        sign_ins=sign_ins,
        redis=redis,
        clock=clock,
        hash_executor=executor,
        password_hasher=Argon2PasswordHasher(
            time_cost=security.password_hash_time_cost,
            memory_kib=security.password_hash_memory_kib,
            parallelism=security.password_hash_parallelism,
            executor=executor,
        ),
        access_tokens=access_tokens,
        challenge_tokens=JwtChallengeTokens(keyring),
        totp=PyotpTotp(security.totp_issuer),
        cipher=FernetCipher(cipher_keys),
        opaque_tokens=opaque_tokens,
        session_tokens=SessionTokens(
            clock=clock,
            access_tokens=access_tokens,
            opaque_tokens=opaque_tokens,
            policy=session_policy,
        ),
        general_limiter=Limiter(storage, exact=False),
        auth_limiter=Limiter(storage, exact=True),
        vpn_panel=vpn_panel,
        payments=payments,
        uow_factory=uow_factory,
        paid_invoices=paid_invoices,
        stars_payments=stars_payments,
        telegram=telegram,
        telegram_stars=TelegramStars(telegram.bot_api),
        live_feed=MemoryLiveFeed() if redis is None else RedisLiveFeed(redis),
        monitoring_tickets=(
            MemoryTicketStore()
            if redis is None
            else RedisTicketStore(redis, "monitoring")
        ),
        telegram_login=TelegramLogin(
            bot_token=login_token,
            max_age=timedelta(seconds=settings.telegram.auth_max_age_seconds),
            clock=clock,
        ),
        telegram_login_token=login_token,
        mail=mail,
        replay_guard=MemoryReplayGuard() if redis is None else RedisReplayGuard(redis),
        oauth=oauth,
        oauth_states=(
            MemoryTicketStore() if redis is None else RedisTicketStore(redis, "oauth")
        ),
        broker=broker,
        dispatcher=dispatcher,
        jobs=build_job_runtime(
            settings=settings,
            session_factory=session_factory,
            clock=clock,
            messenger=telegram.messenger,
            mailer=mail.mailer,
            cipher=FernetCipher(cipher_keys),
            panel=vpn_panel.panel.users,
            payments=payments.provider,
            stars=TelegramStars(telegram.bot_api),
            dispatcher=dispatcher,
        ),
    )
