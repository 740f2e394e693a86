"""Sentry starts only with SENTRY_DSN, tagged with the service, and never sends
personal data."""

from collections.abc import Iterator

import pytest
import sentry_sdk

from cybervpn.config import Environment, ObservabilitySettings
from cybervpn.infrastructure.observability import start_error_reporting

pytestmark = pytest.mark.unit


@pytest.fixture
def sentry() -> Iterator[None]:
    yield
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


def test_no_dsn_no_reporting(sentry: None) -> None:
    started = start_error_reporting(
        ObservabilitySettings(sentry_dsn=None), Environment.PRODUCTION, "api"
    )
    assert started is False
    assert not sentry_sdk.get_client().is_active()


def test_a_dsn_starts_reporting_without_personal_data(sentry: None) -> None:
    settings = ObservabilitySettings(
        sentry_dsn="https://public@o0.ingest.sentry.invalid/1",
        sentry_traces_sample_rate=0.1,
    )
    assert start_error_reporting(settings, Environment.PRODUCTION, "worker")
    client = sentry_sdk.get_client()
    assert client.is_active()
    assert client.options["environment"] == "production"
    assert not client.options["send_default_pii"]
    assert client.options["server_name"] == "worker"
    assert client.options["traces_sample_rate"] == 0.1
    assert client.options["release"].startswith("cybervpn@")
