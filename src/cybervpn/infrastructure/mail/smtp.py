"""Sending mail over SMTP (aiosmtplib)."""

from email.message import EmailMessage
from email.utils import formatdate

import aiosmtplib
import structlog

from cybervpn.application.notifications.ports import Mail
from cybervpn.config import MailSettings
from cybervpn.domain.notifications.notification import DeliveryError

log = structlog.get_logger("cybervpn.mail")


class SmtpMailer:
    """One connection per mail: notifications are few and the outbox paces them."""

    def __init__(self, settings: MailSettings) -> None:
        if settings.host is None:
            raise ValueError("SMTP_HOST is not set")
        self._settings = settings
        self._host = settings.host

    async def send(self, mail: Mail) -> None:
        settings = self._settings
        try:
            await aiosmtplib.send(
                _message(mail, settings.from_address),
                hostname=self._host,
                port=settings.port,
                username=settings.username,
                password=(
                    settings.password.get_secret_value() if settings.password else None
                ),
                start_tls=settings.starttls,
                timeout=settings.timeout_seconds,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            raise DeliveryError(f"recipient refused: {error}", permanent=True) from None
        except aiosmtplib.SMTPResponseException as error:
            # 5xx: the server will not take this mail, retrying cannot help.
            raise DeliveryError(
                f"SMTP {error.code}: {error.message}", permanent=error.code >= 500
            ) from None
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            raise DeliveryError(
                f"SMTP unavailable: {type(error).__name__}", permanent=False
            ) from None
        log.info("mail sent", message_id=mail.message_id)


def _message(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = mail.message_id
    message.set_content(mail.text)
    return message
