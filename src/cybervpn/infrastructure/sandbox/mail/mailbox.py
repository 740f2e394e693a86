"""Mail in development: kept here instead of sent, and listed with its links."""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import structlog

from cybervpn.application.notifications.ports import Mail

log = structlog.get_logger("cybervpn.mail")
LINK = re.compile(r"https?://\S+")
KEPT = 200  # the newest mails; older ones are dropped


@dataclass(frozen=True, slots=True)
class SandboxMail:
    to: str
    subject: str
    text: str
    message_id: str
    sent_at: datetime

    @property
    def links(self) -> list[str]:
        return LINK.findall(self.text)


@dataclass(slots=True)
class SandboxMailbox:
    messages: list[SandboxMail] = field(default_factory=list)

    async def send(self, mail: Mail) -> None:
        self.messages.append(
            SandboxMail(
                to=mail.to,
                subject=mail.subject,
                text=mail.text,
                message_id=mail.message_id,
                sent_at=datetime.now(UTC),
            )
        )
        del self.messages[:-KEPT]
        log.info("mail (sandbox mailbox)", to=mail.to, subject=mail.subject)
