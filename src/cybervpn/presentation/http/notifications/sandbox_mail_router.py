"""Development only: the mail the sandbox mailbox kept instead of sending. Not
mounted outside development or with SMTP_HOST set (404)."""

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from cybervpn.presentation.http.dependencies import ContainerDep
from cybervpn.presentation.http.pagination import ListResponse

router = APIRouter(prefix="/sandbox/mail", tags=["sandbox"])


class SandboxMailResponse(BaseModel):
    to: str
    subject: str
    text: str
    links: list[str]
    sent_at: datetime


@router.get("", summary="Mail kept by the sandbox mailbox, newest first")
async def sandbox_mail(c: ContainerDep) -> ListResponse[SandboxMailResponse]:
    """Open a verification or password-reset link from here while developing."""
    mailbox = c.mail.sandbox
    kept = [] if mailbox is None else list(reversed(mailbox.messages))
    return ListResponse[SandboxMailResponse].of(
        [
            SandboxMailResponse(
                to=m.to,
                subject=m.subject,
                text=m.text,
                links=m.links,
                sent_at=m.sent_at,
            )
            for m in kept
        ]
    )
