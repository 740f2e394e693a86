"""Every metric the service exports. The names and labels are a contract: the alert
rules and the dashboard in `deploy/` rely on them (a test checks the dashboard).

The instruments live at module level, as prometheus_client intends. Several
processes (API processes, worker processes) write them to files in
PROMETHEUS_MULTIPROC_DIR, which the exposition merges; each gauge says how.
Gauges about the database's backlog are not here: they are read at scrape time
(`exposition.backlog_families`).
"""

from prometheus_client import Counter, Gauge, Histogram

# Request latency: the fast reads sit around a millisecond, logins near 100 ms.
LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

# Its _count is the request count by route and status (no separate counter: one
# shared-memory write less on every request).
HTTP_REQUEST_DURATION = Histogram(
    "cybervpn_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template.",
    ["method", "route", "status"],
    buckets=LATENCY_BUCKETS,
)
PAYMENTS = Counter(
    "cybervpn_payments_total",
    "Payments by provider and what became of them: created, provider_unavailable "
    "(not created), paid, flagged (paid but not matching; staff must look), expired, "
    "refunded.",
    ["provider", "outcome"],
)
WEBHOOK_DELIVERIES = Counter(
    "cybervpn_webhook_deliveries_total",
    "Webhook deliveries received, by source and outcome "
    "(processed, duplicate, rejected, flagged, ignored).",
    ["source", "outcome"],
)
OUTBOX_PROCESSED = Counter(
    "cybervpn_outbox_processed_total",
    "Background jobs run, by outcome (done, retry, dead, skipped, error).",
    ["outcome"],
)
PANEL_REQUESTS = Counter(
    "cybervpn_panel_requests_total",
    "Calls to the Remnawave panel, by outcome "
    "(ok, client_error, server_error, unreachable, circuit_open).",
    ["outcome"],
)
PANEL_REQUEST_DURATION = Histogram(
    "cybervpn_panel_request_duration_seconds",
    "Time of a call to the Remnawave panel, retries included.",
    ["outcome"],
    buckets=LATENCY_BUCKETS,
)
PANEL_CIRCUIT_OPEN = Gauge(
    "cybervpn_panel_circuit_open",
    "1 while the panel's circuit breaker is open in any live process.",
    multiprocess_mode="livemax",
)
PASSWORD_HASH_REJECTED = Counter(
    "cybervpn_password_hash_rejected_total",
    "Password checks refused with 503 because every hashing slot was taken.",
)
RATE_LIMIT_FALLBACK = Gauge(
    "cybervpn_rate_limit_fallback",
    "1 while a live process limits rates in memory because Redis is unreachable.",
    multiprocess_mode="livemax",
)
DB_POOL_IN_USE = Gauge(
    "cybervpn_db_pool_connections_in_use",
    "Database connections checked out of the pools of the live processes.",
    multiprocess_mode="livesum",
)
DB_POOL_CAPACITY = Gauge(
    "cybervpn_db_pool_connections_max",
    "Connections the pools of the live processes may open (size + overflow).",
    multiprocess_mode="livesum",
)
RECONCILED_AT = Gauge(
    "cybervpn_reconcile_last_success_timestamp_seconds",
    "When payment reconciliation last completed (Unix time).",
    multiprocess_mode="max",
)
