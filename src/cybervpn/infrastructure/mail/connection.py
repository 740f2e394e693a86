"""The mailer the settings ask for: SMTP, or the sandbox mailbox without a host."""

from dataclasses import dataclass

from cybervpn.application.notifications.ports import Mailer
from cybervpn.config import MailSettings
from cybervpn.infrastructure.mail.smtp import SmtpMailer
from cybervpn.infrastructure.sandbox.mail.mailbox import SandboxMailbox


@dataclass(frozen=True, slots=True)
class MailConnection:
    mailer: Mailer
    sandbox: SandboxMailbox | None  # development without SMTP_HOST


def connect_mail(settings: MailSettings) -> MailConnection:
    if settings.host is not None:
        return MailConnection(SmtpMailer(settings), None)
    mailbox = SandboxMailbox()
    return MailConnection(mailbox, mailbox)
