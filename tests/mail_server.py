"""A real SMTP server on localhost for the suite (aiosmtpd), keeping what it got.

Recipients at `refused.example` are refused (550), as a mail server refuses an
address that does not exist; `down` makes every connection fail."""

import asyncio
import email
import email.policy
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from cybervpn.config import MailSettings

REFUSED_DOMAIN = "refused.example"
LINK = re.compile(r"https?://\S+")


@dataclass
class ReceivedMail:
    to: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        content = self.message.get_content()
        assert isinstance(content, str)
        return content

    @property
    def links(self) -> list[str]:
        return LINK.findall(self.text)


@dataclass
class _Handler:
    received: list[ReceivedMail] = field(default_factory=list)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.endswith(f"@{REFUSED_DOMAIN}"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any
    ) -> str:
        self.received.append(
            ReceivedMail(
                to=list(envelope.rcpt_tos),
                message=email.message_from_bytes(
                    envelope.content, _class=EmailMessage, policy=email.policy.default
                ),
            )
        )
        return "250 Message accepted"


@dataclass
class MailServer:
    port: int
    handler: _Handler

    @property
    def received(self) -> list[ReceivedMail]:
        return self.handler.received

    def to(self, address: str) -> list[ReceivedMail]:
        return [m for m in self.received if address in m.to]

    async def wait_for(self, address: str, count: int = 1) -> list[ReceivedMail]:
        """The mail to `address` once `count` of it arrived (delivery runs in the
        background: in-process jobs on SQLite, this server's own thread)."""
        for _ in range(250):
            found = self.to(address)
            if len(found) >= count:
                return found
            await asyncio.sleep(0.02)
        raise AssertionError(f"{count} mail(s) to {address} never arrived")

    def settings(self, **overrides: Any) -> MailSettings:
        values: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": self.port,
            "starttls": False,
            "from_address": "CyberVPN <no-reply@cybervpn.test>",
            "timeout_seconds": 5,
            "web_app_url": "https://app.cybervpn.test",
        }
        return MailSettings(**(values | overrides))


def _free_port() -> int:
    # aiosmtpd checks it is up by connecting to the port it was given, so it
    # needs a real one, not 0.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture(scope="session")
def mail_server() -> Iterator[MailServer]:
    handler = _Handler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield MailServer(port=port, handler=handler)
    finally:
        controller.stop()
