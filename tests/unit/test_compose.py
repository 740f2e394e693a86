"""compose.yaml runs the whole product: every long-running process has a service,
the processes agree on their settings, and their connections fit the database."""

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = pytest.mark.unit
COMPOSE = Path(__file__).parents[2] / "compose.yaml"
LONG_RUNNING = {"serve", "worker", "scheduler"}
# What may differ between the processes: where the API listens, and pool sizes.
PER_PROCESS = {
    "HOST",
    "PORT",
    "DATABASE_POOL_SIZE",
    "DATABASE_MAX_OVERFLOW",
    "DATABASE_LOOKUP_POOL_SIZE",
}


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE.read_text())
    found: dict[str, Any] = document["services"]
    return found


def _app_services(services: dict[str, Any]) -> dict[str, Any]:
    return {
        name: service
        for name, service in services.items()
        if service.get("command", [None])[0] == "cybervpn"
    }


def test_every_long_running_command_has_a_service(services: dict[str, Any]) -> None:
    commands = {s["command"][1] for s in _app_services(services).values()}
    assert LONG_RUNNING <= commands
    assert "migrate" in commands
    scheduler = next(
        s for s in services.values() if s.get("command", [])[1:2] == ["scheduler"]
    )
    assert scheduler["deploy"]["replicas"] == 1


def test_the_processes_agree_on_their_settings(services: dict[str, Any]) -> None:
    apps = _app_services(services)
    shared = [
        {k: v for k, v in s["environment"].items() if k not in PER_PROCESS}
        for s in apps.values()
    ]
    assert all(environment == shared[0] for environment in shared)
    assert len({repr(s["secrets"]) for s in apps.values()}) == 1
    assert len({s["image"] for s in apps.values()}) == 1
    assert all(s["env_file"] == ".env" for s in apps.values())


def test_the_api_listens_outside_its_container_and_only_it_probes_http(
    services: dict[str, Any],
) -> None:
    api = services["api"]
    assert api["environment"]["HOST"] == "0.0.0.0"  # noqa: S104 - in its container
    for name in ("worker", "scheduler"):
        assert services[name]["healthcheck"]["test"] == ["CMD", "cybervpn", "ping"]


def _processes(service: dict[str, Any]) -> int:
    command = service["command"]
    if command[1] == "serve":
        return int(service["environment"]["WEB_CONCURRENCY"])
    if "--processes" in command:
        return int(command[command.index("--processes") + 1])
    return 1


def test_the_connection_budget_fits_the_database_with_margin(
    services: dict[str, Any],
) -> None:
    max_connections = int(
        re.search(r"max_connections=(\d+)", " ".join(services["db"]["command"]))[1]  # type: ignore[index]
    )
    budget = 0
    for name, service in _app_services(services).items():
        if name == "migrate":
            budget += 1
            continue
        environment = service["environment"]
        pool = int(environment["DATABASE_POOL_SIZE"]) + int(
            environment["DATABASE_MAX_OVERFLOW"]
        )
        if service["command"][1] == "serve":  # the session check's own pool
            pool += int(environment["DATABASE_LOOKUP_POOL_SIZE"])
        budget += _processes(service) * pool
    assert budget <= 0.8 * max_connections, budget
